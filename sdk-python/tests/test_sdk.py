"""The Python SDK's own tests: decimal money, JSON error texts and output,
lenient scalars, documents, the host stand-in. Run: python3 -m unittest
discover -s sdk-python/tests (scripts/test.sh does)."""

import os
import sys
import unittest
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from weft_sdk import Invalid, Message, Retryable, documents, host, money  # noqa: E402
from weft_sdk import json as wjson  # noqa: E402
from weft_sdk import scalar, text  # noqa: E402
from weft_sdk.datetime import to_rfc3339  # noqa: E402


class Money(unittest.TestCase):
    def test_parse_and_format(self):
        self.assertEqual(money.money_str(money.parse("199")), "199.00")
        self.assertEqual(money.money_str(money.parse("3.345")), "3.345")
        self.assertEqual(money.qty_str(money.parse("2.000")), "2")
        self.assertEqual(money.money_str(money.parse("1e2")), "100.00")
        self.assertEqual(money.qty_str(money.parse("000100")), "100")
        self.assertEqual(money.money_str(money.parse("0.1") + money.parse("0.2")), "0.30")
        for bad in ["abc", "", "NaN", "Infinity", "1_000", None, 1.5]:
            self.assertIsNone(money.parse(bad), bad)
        self.assertIsNone(money.from_json(0.06), "floats are refused")
        self.assertEqual(money.from_json(Decimal("0.06")), Decimal("0.06"))
        self.assertEqual(money.sum_of(["1.10", "2.20"]), Decimal("3.30"))
        self.assertIsNone(money.sum_of(["1.10", "x"]))


class Json(unittest.TestCase):
    def err(self, t):
        with self.assertRaises(wjson.JsonError) as c:
            wjson.loads(t)
        return str(c.exception)

    def test_errors_read_as_the_rust_sdk_words_them(self):
        self.assertEqual(self.err("not an order"), "expected ident at line 1 column 2")
        self.assertEqual(self.err(b"order_id=727"), "expected value at line 1 column 1")
        self.assertEqual(self.err('{"a": 1,}'), "trailing comma at line 1 column 9")
        self.assertEqual(self.err("[1 2]"), "expected `,` or `]` at line 1 column 4")
        self.assertEqual(self.err("{"), "EOF while parsing an object at line 1 column 1")
        self.assertEqual(self.err("1 2"), "trailing characters at line 1 column 3")

    def test_numbers_are_exact(self):
        self.assertEqual(wjson.loads('{"a": 19.90}')["a"], Decimal("19.90"))
        self.assertEqual(wjson.dumps({"a": Decimal("19.90"), "b": "é"}), '{"a":19.90,"b":"é"}')
        with self.assertRaises(TypeError):
            wjson.dumps({"a": 1.5})
        doc = scalar.loads('[29.35, 100.0, 12, "x"]')
        self.assertEqual(list(doc), ["29.35", "100", "12", "x"])
        self.assertEqual(wjson.dumps(doc), '[29.35,100.0,12,"x"]')


class Scalars(unittest.TestCase):
    def test_fields(self):
        self.assertEqual(scalar.take_trimmed(" a "), "a")
        self.assertIsNone(scalar.take_trimmed("  "))
        self.assertEqual(scalar.take_text(" A &amp; B "), "A & B")
        self.assertEqual(scalar.as_bool("1"), True)
        self.assertEqual(scalar.text(True), "true")
        with self.assertRaisesRegex(ValueError, "total `x1` is not a decimal"):
            scalar.decimal("x1", "total")
        self.assertEqual(text.decode_entities("O&#039;Brien &ndash; &eacute; &bogus;"), "O'Brien – é &bogus;")
        self.assertEqual(text.clip("a\nbcd", 3), "a\\nb…")
        self.assertEqual(to_rfc3339("2024-03-01 10:11:12"), "2024-03-01T10:11:12Z")
        self.assertEqual(to_rfc3339("2024-03-01T10:11:12.5+02:00"), "2024-03-01T10:11:12.5+02:00")
        self.assertIsNone(to_rfc3339("01/03/2024"))


class Documents(unittest.TestCase):
    def test_field_order_and_absent_fields_as_the_rust_sdk(self):
        o = documents.order("1", "shop", "shop:1", "original",
                            [documents.order_line("a", "2", unit_price="1.00")],
                            documents.totals(total="2.00"), source={"b": 1, "a": 2})
        self.assertEqual(list(o), ["schema", "order_id", "channel", "correlation_id", "purpose",
                                   "lines", "totals", "source"])
        self.assertEqual(o["lines"][0], {"line_id": "a", "sku": None, "quantity": "2", "unit_price": "1.00"})
        self.assertEqual(list(o["source"]), ["a", "b"])
        self.assertEqual(documents.Event.from_setting(" Updated "), documents.Event.UPDATED)
        with self.assertRaises(Invalid):
            documents.Event.from_setting("later")


class Host(unittest.TestCase):
    def test_stand_in(self):
        host.reset()
        host.set_config("strict", "yes")
        self.assertTrue(host.config_bool("strict", False))
        host.set_config("strict", "maybe")
        with self.assertRaises(Invalid):
            host.config_bool("strict", False)
        host.set_lookup("sku", "A", "1")
        self.assertEqual(host.lookup("sku", "A"), "1")
        self.assertEqual(host.next_sequence("isa"), 1)
        host.set_sequence("isa", 41)
        self.assertEqual(host.next_sequence("isa"), 42)
        host.reset()
        self.assertIsNone(host.config("strict"))

    def test_messages_and_errors(self):
        m = Message.json("a", "c", "order.created", {"x": 1}).with_header("X-Trace", "1").with_header("x-trace", "2")
        self.assertEqual(m.header("X-TRACE"), "2")
        self.assertEqual(len(m.headers), 1)
        self.assertEqual(Invalid("bad").prefixed("[1]: ").reason, "[1]: bad")
        self.assertEqual(Retryable("later").prefixed("[1]: ").reason, "later")


if __name__ == "__main__":
    unittest.main()
