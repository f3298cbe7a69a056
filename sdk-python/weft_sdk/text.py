"""Text helpers for error reasons: control characters escaped so a reason
stays on one line, long values clipped (as the Rust SDK's ``text``)."""

from __future__ import annotations


def _is_control(c: str) -> bool:
    o = ord(c)
    return o < 0x20 or 0x7F <= o < 0xA0


def _escape(c: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, f"\\u{{{ord(c):x}}}")


def escape_controls(s: str) -> str:
    """``s`` with control characters escaped (``\\n``, ``\\u{7}``)."""
    if not any(_is_control(c) for c in s):
        return s
    return "".join(_escape(c) if _is_control(c) else c for c in s)


def controls_to_spaces(s: str) -> str:
    """``s`` with every control character replaced by a space."""
    return "".join(" " if _is_control(c) else c for c in s)


def clip(s: str, limit: int) -> str:
    """Document text quoted in a reason: its first ``limit`` characters,
    controls escaped, ``…`` appended when there were more."""
    head = escape_controls(s[:limit])
    return head + "…" if len(s) > limit else head


_NAMED = {
    "amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0",
    "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’", "sbquo": "‚",
    "ldquo": "“", "rdquo": "”", "bdquo": "„", "laquo": "«", "raquo": "»", "times": "×",
    "divide": "÷", "minus": "−", "deg": "°", "plusmn": "±", "middot": "·", "bull": "•",
    "trade": "™", "reg": "®", "copy": "©", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
    "sect": "§", "para": "¶", "frac12": "½", "frac14": "¼", "frac34": "¾", "sup2": "²",
    "sup3": "³", "micro": "µ", "ordf": "ª", "ordm": "º", "iexcl": "¡", "iquest": "¿",
    "shy": "\u00ad", "szlig": "ß", "aelig": "æ", "AElig": "Æ", "oelig": "œ", "OElig": "Œ",
    "eth": "ð", "ETH": "Ð", "thorn": "þ", "THORN": "Þ",
}
_ACCENTS = {
    "grave": ("aeiouAEIOU", "àèìòùÀÈÌÒÙ"),
    "acute": ("aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ"),
    "circ": ("aeiouAEIOU", "âêîôûÂÊÎÔÛ"),
    "tilde": ("anoANO", "ãñõÃÑÕ"),
    "uml": ("aeiouyAEIOUY", "äëïöüÿÄËÏÖÜŸ"),
    "ring": ("aA", "åÅ"),
    "cedil": ("cC", "çÇ"),
    "slash": ("oO", "øØ"),
}
#: The longest reference name looked at; a longer run before `;` stays text.
_MAX_REF = 10


def _reference(name: str):
    if name.startswith("#"):
        num = name[1:]
        try:
            code = int(num[1:], 16) if num[:1] in ("x", "X") else int(num, 10)
        except ValueError:
            return None
        if num[:1] in ("x", "X") and not all(c in "0123456789abcdefABCDEF" for c in num[1:]):
            return None
        if not num[:1] in ("x", "X") and not num.isdigit():
            return None
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code)
    if name in _NAMED:
        return _NAMED[name]
    if len(name) >= 2:
        pair = _ACCENTS.get(name[1:])
        if pair and name[0] in pair[0]:
            return pair[1][pair[0].index(name[0])]
    return None


def decode_entities(s: str) -> str:
    """``s`` with known HTML character references (``&amp;``, ``&#039;``,
    ``&ndash;``, ``&eacute;``) replaced, once; others left as they are."""
    if "&" not in s:
        return s
    out = []
    rest = s
    while True:
        at = rest.find("&")
        if at < 0:
            break
        out.append(rest[:at])
        after = rest[at + 1:]
        end = after.find(";", 0, _MAX_REF + 1)
        c = _reference(after[:end]) if end >= 0 else None
        if c is not None:
            out.append(c)
            rest = after[end + 1:]
        else:
            out.append("&")
            rest = after
    out.append(rest)
    return "".join(out)


def json_shape(v) -> str:
    """What a JSON value is, for an error about a document of the wrong
    kind: ``an object with keys: id, name`` (at most 12), ``an array``, …"""
    if isinstance(v, dict):
        if not v:
            return "an empty object"
        keys = list(v)[:12] + (["…"] if len(v) > 12 else [])
        return "an object with keys: " + ", ".join(keys)
    if isinstance(v, list):
        return "an array"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, str) and not getattr(v, "is_number", False):
        return "a string"
    if v is None:
        return "null"
    return "a number"
