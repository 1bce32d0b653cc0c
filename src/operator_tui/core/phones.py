"""Phone numbers in E.164 and the customer's time zone derived from them, via ``phonenumbers``.

The time zone matters because a customer may only be called inside the calling window of *their* local time.
``phonenumbers`` answers with one zone for a geographic number and with many for a mobile range that spans a
country; in that case the country's main zone is a guess and is marked as such, so an explicit zone from the
import (or a later correction) always wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from phonenumbers import timezone as phone_timezones

# phonenumbers names one representative zone per UTC offset; where that zone lies in another country and keeps
# different DST rules, use the country's own zone with the same standard offset.
_REPRESENTATIVE_FIXES = {("RU", "Europe/Bucharest"): "Europe/Kaliningrad"}
# The zone to assume when a number spans several zones of a country.
_COUNTRY_MAIN_ZONE = {
    "RU": "Europe/Moscow",
    "US": "America/New_York",
    "KZ": "Asia/Almaty",
    "CA": "America/Toronto",
    "BR": "America/Sao_Paulo",
    "MX": "America/Mexico_City",
    "AU": "Australia/Sydney",
}


class PhoneError(ValueError):
    """The text is not a valid phone number; the message says why."""


@dataclass(frozen=True)
class Phone:
    e164: str
    region: str | None
    time_zone: str | None
    time_zone_guessed: bool


def normalize_phone(text: str, region: str = "RU") -> Phone:
    """Parse ``text`` (national with ``region``'s rules, or international with +) into E.164 with its zone."""
    raw = (text or "").strip()
    if not raw:
        raise PhoneError("phone number is empty")
    try:
        number = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"{raw!r} is not a phone number ({exc.args[0] if exc.args else exc})") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"{raw!r} is not a valid phone number for region {region.upper()}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    country = phonenumbers.region_code_for_number(number)
    zones = [z for z in phone_timezones.time_zones_for_number(number) if z != "Etc/Unknown"]
    zones = [_REPRESENTATIVE_FIXES.get((country or "", z), z) for z in zones]
    if len(zones) == 1:
        return Phone(e164, country, zones[0], False)
    guess = _COUNTRY_MAIN_ZONE.get(country or "")
    if guess is None and zones:
        guess = zones[0]
    return Phone(e164, country, guess, True)


def valid_time_zone(name: str) -> bool:
    return name in _zone_names()


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


@cache
def zone(name: str) -> ZoneInfo:
    """The zone object, kept for the life of the process: zoneinfo's own cache keeps only the last few strongly,
    and a base spread over a dozen zones would re-read the tz files on almost every call."""
    return ZoneInfo(name)


# -- numbers found wrong ----------------------------------------------------------------------------------------
# A call that reached the wrong person marks the number dialled, not the customer: the next call goes to their
# other number, and only when every number they have is marked do they leave the queue (until a new number is
# entered: a number not in the list is good). Stored as the marked numbers of the customer's own, space-separated.


def wrong_set(stored: str | None) -> frozenset[str]:
    return frozenset((stored or "").split())


def callable_phones(phones: list[str | None], wrong: str | None) -> list[str]:
    """The customer's numbers in their order (main first), without those marked wrong."""
    marked = wrong_set(wrong)
    return [p for p in phones if p and p not in marked]


def marked_phones(phones: list[str | None], wrong: str | None) -> list[str]:
    """The customer's numbers a call found wrong, in their order (main first): the rest of ``callable_phones``."""
    marked = wrong_set(wrong)
    return [p for p in phones if p and p in marked]


def marks_kept(phones: list[str | None], wrong: str | None) -> str | None:
    """The stored list for the customer's numbers now: marks of numbers they no longer have are dropped."""
    marked = wrong_set(wrong)
    return " ".join(dict.fromkeys(p for p in phones if p and p in marked)) or None


def mark_wrong(phones: list[str | None], wrong: str | None, number: str) -> str | None:
    """The stored list after ``number`` (one of ``phones``) is found wrong; numbers the customer no longer has
    are dropped from it."""
    return marks_kept(phones, f"{wrong or ''} {number}")
