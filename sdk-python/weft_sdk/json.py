"""JSON for plugins: numbers with a fraction or exponent are read as
:class:`decimal.Decimal` (never floats), and a document that does not
parse gets the same reason the Rust SDK gives (serde_json's wording:
``expected value at line 1 column 1``), so golden cases are shared
across languages."""

from __future__ import annotations

import json as _json
import re
from decimal import Decimal
from typing import Any, Union


class JsonError(ValueError):
    """A document that is not JSON; ``str()`` is the serde_json-style reason."""


def loads(data: Union[bytes, str]) -> Any:
    """Parses ``data`` (UTF-8 bytes or text); raises :class:`JsonError`."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise JsonError(_at(bytes(data)[: e.start], "invalid unicode code point")) from None
    else:
        text = data
    try:
        return _json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise JsonError(diagnose(text)) from None


_MARK = "\u0000weft-number:"
_MARKED = re.compile(r'"\\u0000weft-number:([^"]*)"')


def dumps(doc: Any) -> str:
    """Compact JSON text as the Rust SDK writes it (non-ASCII as is).
    Decimals are written as JSON numbers with their exact text, numbers
    read by :func:`weft_sdk.scalar.loads` as serde_json writes them (floats
    with a point: ``100.0``); floats are refused: never use them for money."""
    seen = [False]
    text = _json.dumps(_plain(doc, seen), ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(lambda m: m.group(1), text) if seen[0] else text


def _plain(o: Any, seen: list) -> Any:
    if getattr(o, "is_number", False):  # weft_sdk.scalar.Num
        seen[0] = True
        t = str(o)
        if getattr(o, "is_float", False) and "." not in t and "e" not in t:
            t += ".0"
        return _MARK + t
    if isinstance(o, Decimal):
        if not o.is_finite():
            raise ValueError(f"{o} is not a JSON number")
        seen[0] = True
        return _MARK + format(o, "f")
    if isinstance(o, float):
        raise TypeError("floats are not written: use decimal.Decimal (money is exact)")
    if isinstance(o, dict):
        return {k: _plain(v, seen) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_plain(v, seen) for v in o]
    return o


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _at(prefix: Union[str, bytes], reason: str) -> str:
    """``reason at line L column C`` for an error after ``prefix``."""
    if isinstance(prefix, bytes):
        prefix = prefix.decode("utf-8", "replace")
    line = prefix.count("\n") + 1
    col = len(prefix) - (prefix.rfind("\n") + 1)
    return f"{reason} at line {line} column {col}"


class _Scan:
    """A small JSON scanner that finds where and why a text fails, worded
    as serde_json words it. Only run on text that already failed."""

    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.depth = 0

    def fail(self, reason: str, consumed: int = 1) -> JsonError:
        # serde_json counts the offending character as read.
        end = min(self.i + consumed, len(self.s))
        return JsonError(_at(self.s[:end], reason))

    def eof(self, reason: str) -> JsonError:
        return JsonError(_at(self.s, reason))

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\n\r":
            self.i += 1

    def value(self) -> None:
        self.ws()
        if self.i >= len(self.s):
            raise self.eof("EOF while parsing a value")
        c = self.s[self.i]
        if c == "{":
            self.container("}", "an object")
        elif c == "[":
            self.container("]", "a list")
        elif c == '"':
            self.string()
        elif c in "-0123456789":
            self.number()
        elif c in "ntf":
            word = {"n": "null", "t": "true", "f": "false"}[c]
            for k, want in enumerate(word):
                if self.i + k >= len(self.s):
                    self.i = len(self.s)
                    raise self.eof("EOF while parsing a value")
                if self.s[self.i + k] != want:
                    self.i += k
                    raise self.fail("expected ident")
            self.i += len(word)
        else:
            raise self.fail("expected value")

    def container(self, close: str, what: str) -> None:
        self.depth += 1
        if self.depth > 128:
            raise self.fail("recursion limit exceeded")
        self.i += 1
        is_obj = close == "}"
        first = True
        while True:
            self.ws()
            if self.i >= len(self.s):
                raise self.eof(f"EOF while parsing {what}")
            c = self.s[self.i]
            if c == close:
                if not first:
                    raise self.fail("trailing comma")
                self.i += 1
                break
            if is_obj:
                if c != '"':
                    raise self.fail("key must be a string")
                self.string()
                self.ws()
                if self.i >= len(self.s):
                    raise self.eof(f"EOF while parsing {what}")
                if self.s[self.i] != ":":
                    raise self.fail("expected `:`")
                self.i += 1
            self.value()
            self.ws()
            if self.i >= len(self.s):
                raise self.eof(f"EOF while parsing {what}")
            c = self.s[self.i]
            if c == ",":
                self.i += 1
                self.ws()
                if self.i < len(self.s) and self.s[self.i] == close:
                    raise self.fail("trailing comma")
                continue
            if c == close:
                self.i += 1
                break
            raise self.fail(f"expected `,` or `{close}`")
        self.depth -= 1

    def string(self) -> None:
        self.i += 1
        while True:
            if self.i >= len(self.s):
                raise self.eof("EOF while parsing a string")
            c = self.s[self.i]
            if c == '"':
                self.i += 1
                return
            if ord(c) < 0x20:
                raise self.fail("control character (\\u0000-\\u001F) found while parsing a string")
            if c == "\\":
                self.i += 1
                if self.i >= len(self.s):
                    raise self.eof("EOF while parsing a string")
                e = self.s[self.i]
                if e == "u":
                    hexd = self.s[self.i + 1 : self.i + 5]
                    if len(hexd) < 4 and all(h in "0123456789abcdefABCDEF" for h in hexd):
                        self.i = len(self.s)
                        raise self.eof("EOF while parsing a string")
                    if not all(h in "0123456789abcdefABCDEF" for h in hexd):
                        raise self.fail("invalid escape")
                    self.i += 4
                elif e not in '"\\/bfnrt':
                    raise self.fail("invalid escape")
            self.i += 1

    def number(self) -> None:
        s = self.s
        if s[self.i] == "-":
            self.i += 1
        if self.i >= len(s):
            raise self.eof("EOF while parsing a value")
        if s[self.i] == "0":
            self.i += 1
        elif s[self.i].isdigit():
            while self.i < len(s) and s[self.i] in "0123456789":
                self.i += 1
        else:
            raise self.fail("invalid number")
        if self.i < len(s) and s[self.i] == ".":
            self.i += 1
            if self.i >= len(s):
                raise self.eof("EOF while parsing a value")
            if s[self.i] not in "0123456789":
                raise self.fail("invalid number")
            while self.i < len(s) and s[self.i] in "0123456789":
                self.i += 1
        if self.i < len(s) and s[self.i] in "eE":
            self.i += 1
            if self.i < len(s) and s[self.i] in "+-":
                self.i += 1
            if self.i >= len(s):
                raise self.eof("EOF while parsing a value")
            if s[self.i] not in "0123456789":
                raise self.fail("invalid number")
            while self.i < len(s) and s[self.i] in "0123456789":
                self.i += 1


def diagnose(text: str) -> str:
    """Why ``text`` is not one JSON value, worded as serde_json does."""
    scan = _Scan(text)
    try:
        scan.value()
        scan.ws()
        if scan.i < len(text):
            raise scan.fail("trailing characters")
    except JsonError as e:
        return str(e)
    return "invalid JSON"
