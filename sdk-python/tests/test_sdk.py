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


class Invoices(unittest.TestCase):
    """Invoices rebuilt with the helpers from what the Rust connectors wrote
    in their case folders are the same bytes."""

    ROOT = os.path.join(os.path.dirname(__file__), "..", "..")

    def rust_invoice(self, case):
        import json as std
        with open(os.path.join(self.ROOT, case), encoding="utf-8") as f:
            for line in f:
                m = std.loads(line)
                if m["payload"].get("schema") == documents.INVOICE_SCHEMA:
                    self.assertEqual(m["kind"], documents.INVOICE_POSTED)
                    return m["payload"]
        self.fail(f"no invoice in {case}")

    def rebuild(self, p):
        ids = ("sku", "gtin", "buyer_part", "vendor_part", "erp_item", "attributes")
        lines = [documents.invoice_line(
            l["line_id"], l["quantity"], documents.item_ids(**{k: l.get(k) for k in ids}),
            description=l.get("description"), uom=l.get("uom"), unit_price=l.get("unit_price"),
            total=l.get("total"), charges=[documents.charge(**c) for c in l.get("charges", [])])
            for l in p["lines"]]
        parties = [documents.party(x["role"], x.get("id"), x.get("id_qualifier"),
                                   documents.address(**x["address"]) if "address" in x else None)
                   for x in p.get("parties", [])]
        return documents.invoice(
            p["invoice_id"], p["channel"], p["correlation_id"], p["order_refs"], lines,
            documents.invoice_totals(**p["totals"]), purpose=p.get("purpose"),
            invoice_date=p.get("invoice_date"), currency=p.get("currency"),
            bill_to=documents.address(**p["bill_to"]) if "bill_to" in p else None,
            ship_to=documents.address(**p["ship_to"]) if "ship_to" in p else None,
            parties=parties, charges=[documents.charge(**c) for c in p["charges"]],
            terms=documents.terms(**p["terms"]) if "terms" in p else None,
            references=p.get("references"), source=p.get("source"))

    def test_same_bytes_as_the_rust_sdk(self):
        for case in ("plugins/adobe-commerce-orders/cases/get-invoice-3.expected.jsonl",
                     "plugins/edifact/cases/INVOIC_D97B_staedi.expected.jsonl"):
            p = self.rust_invoice(case)
            self.assertEqual(wjson.dumps(self.rebuild(p)), wjson.dumps(p), case)
            # Field order too, not only the values.
            self.assertEqual(list(self.rebuild(p)), list(p), case)

    def test_empty_parts_are_left_out(self):
        self.assertIsNone(documents.terms())
        self.assertEqual(documents.charge("allowance", amount="1.50"),
                         {"kind": "allowance", "amount": "1.50"})
        inv = documents.invoice("I1", "x12:P", "x12:P:I1", [], [], documents.invoice_totals())
        self.assertEqual(list(inv), ["schema", "invoice_id", "channel", "correlation_id",
                                     "order_refs", "lines", "charges", "totals"])


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
