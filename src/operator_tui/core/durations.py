"""Durations as the playbook writes them: ``90s``, ``30m``, ``2h``, ``1d12h``, ``2w``.

One parser for every duration in the playbook, so retry delays, SLAs and cadences read the same everywhere.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_PART = re.compile(r"(\d+)\s*([wdhms])")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[wdhms]\s*)+$")
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}

DURATION_HINT = "expected a duration like 2h, 30m, 1d12h or 90d"


def parse_duration(value: Any) -> timedelta:
    """Parse ``value`` into a positive timedelta; raise ValueError with a hint otherwise."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str) and _WHOLE.match(value.lower()):
        seconds = sum(int(n) * _UNITS[u] for n, u in _PART.findall(value.lower()))
    else:
        raise ValueError(DURATION_HINT)
    if seconds <= 0:
        raise ValueError(f"{DURATION_HINT}; it must be longer than zero")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest playbook spelling of ``delta`` (``1d12h``); inverse of :func:`parse_duration`."""
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in _UNITS.items():
        if unit == "w" and seconds % size:
            continue  # "10d" reads better than "1w3d"
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration, return_type=str)]
