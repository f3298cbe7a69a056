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
