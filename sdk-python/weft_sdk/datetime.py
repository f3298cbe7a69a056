"""Dates and timestamps as channel documents write them (the Rust SDK's
``datetime``)."""

from __future__ import annotations

import re
from typing import Optional

_TS = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ Tt](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|z|[+-]\d{2}:\d{2})?)?$")


def to_rfc3339(s: str) -> Optional[str]:
    """A timestamp as RFC 3339: ``2024-03-01 10:11:12`` (no zone: UTC) →
    ``2024-03-01T10:11:12Z``; a zone is kept; a bare date stays a date;
    None when it is neither."""
    s = s.strip()
    m = _TS.fullmatch(s)
    if not m or not s.isascii():
        return None
    date, time, zone = m.groups()
    if time is None:
        return date if len(s) == 10 else None
    return f"{date}T{time}{zone or 'Z'}"
