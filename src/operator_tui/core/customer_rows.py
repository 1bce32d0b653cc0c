"""Customer files as a center has them: the project's own CSV, or VICIdial's standard lead layout.

Pure parsing and validation, so an import can report *every* bad row (line, column, reason) before anything is
written: the service then writes all rows or none. VICIdial's lead loader takes tab- or pipe-delimited files,
with or without a header row, in this column order (the "standard" format of its command-line loader)::

    vendor_lead_code|source_code|list_id|phone_code|phone_number|title|first_name|middle|last_name|
    address1|address2|address3|city|state|province|postal_code|country|gender|date_of_birth|alt_phone|
    email|security_phrase|comments[|called_count|status|entry_date|multi-alt-entries]
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import phonenumbers

from operator_tui.core.phones import PhoneError, normalize_phone, valid_time_zone
from operator_tui.core.table_files import RowError, mapped_rows, read_rows, sniff_delimiter

NATIVE_COLUMNS = (
    "external_ref",
    "source",
    "list_id",
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "email",
    "phone",
    "alt_phone",
    "address",
    "city",
    "region",
    "postal_code",
    "country",
    "gender",
    "birth_date",
    "time_zone",
    "language",
    "stage",
    "segment",
    "dnc",
    "consent",
    "notes",
    "created_at",
)
NATIVE_REQUIRED = ("phone",)
# Columns an export adds after the native ones; the importer accepts and ignores them, so exports re-import.
EXPORT_ONLY_COLUMNS = frozenset(
    {
        "id",
        "value_tier",
        "rfm_r",
        "rfm_f",
        "rfm_m",
        "churn_risk",
        "upsell_propensity",
        "purchases_count",
        "revenue_total",
        "first_purchase_at",
        "last_purchase_at",
        "last_contact_at",
        "last_nps",
        "stage_since",
    }
)

VICIDIAL_COLUMNS = (
    "vendor_lead_code",
    "source_code",
    "list_id",
    "phone_code",
    "phone_number",
    "title",
    "first_name",
    "middle",
    "last_name",
    "address1",
    "address2",
    "address3",
    "city",
    "state",
    "province",
    "postal_code",
    "country",
    "gender",
    "date_of_birth",
    "alt_phone",
    "email",
    "security_phrase",
    "comments",
    "called_count",
    "status",
    "entry_date",
    "multi_alt_entries",
)
VICIDIAL_STANDARD = 23  # columns up to "comments"; the rest are optional
_VICIDIAL_ALIASES = {
    "middle_initial": "middle",
    "country_code": "country",
    "multi-alt-entries": "multi_alt_entries",
}
_VICIDIAL_DNC_STATUSES = {"DNC", "DNCL", "DNCC"}

_TRUE = {"1", "y", "yes", "true", "t", "да", "д"}
_FALSE = {"0", "n", "no", "false", "f", "нет", "н", ""}


@dataclass
class CustomerRecord:
    line: int
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def phone(self) -> str:
        return str(self.values["phone"])


@dataclass
class ParsedFile:
    layout: str  # native | vicidial
    records: list[CustomerRecord]
    errors: list[RowError]
    delimiter: str
    has_header: bool


class FileFormatError(ValueError):
    """The file as a whole cannot be read (encoding, no rows); the message says what to do."""


def decode(data: bytes, encoding: str | None = None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise FileFormatError(f"cannot decode the file as {encoding}: {exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"the file is not UTF-8 (byte {exc.start}); re-save it as UTF-8 or pass --encoding cp1251"
        ) from None


def sniff_layout(text: str) -> tuple[str, str, bool]:
    """Guess (layout, delimiter, has_header) from the first line."""
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first)
    names = [_norm(c) for c in first.split(delimiter)]
    if "phone_number" in names or "vendor_lead_code" in names:
        return "vicidial", delimiter, True
    if "phone" in names:
        return "native", delimiter, True
    if delimiter in ("\t", "|"):
        return "vicidial", delimiter, False
    return "native", delimiter, True


def _norm(name: str) -> str:
    key = name.strip().lower().replace(" ", "_").lstrip("\ufeff")
    return _VICIDIAL_ALIASES.get(key, key)


def parse_customers(
    text: str,
    *,
    layout: str = "auto",
    region: str = "RU",
    stages: Iterable[str] = (),
    default_stage: str | None = None,
    now: datetime | None = None,
) -> ParsedFile:
    """Parse and validate every row; the caller writes nothing unless ``errors`` is empty."""
    sniffed, delimiter, header = sniff_layout(text)
    layout = sniffed if layout == "auto" else layout
    if layout == "vicidial" and sniffed != "vicidial":
        delimiter, header = ("\t" if "\t" in text.split("\n", 1)[0] else "|"), False
    rows = read_rows(text, delimiter)
    if not rows:
        raise FileFormatError("the file has no rows")
    known_stages = set(stages)
    if layout == "native":
        return _parse_native(rows, delimiter, region, known_stages, default_stage, now)
    if layout == "vicidial":
        return _parse_vicidial(rows, delimiter, header, region, known_stages, default_stage, now)
    raise FileFormatError(f"unknown layout {layout!r}: use native, vicidial or auto")


def _parse_native(
    rows: list[tuple[int, list[str]]],
    delimiter: str,
    region: str,
    stages: set[str],
    default_stage: str | None,
    now: datetime | None,
) -> ParsedFile:
    header_line, header = rows[0]
    columns = [_norm(c) for c in header]
    errors: list[RowError] = []
    for position, name in enumerate(columns, 1):
        if name not in NATIVE_COLUMNS and name not in EXPORT_ONLY_COLUMNS:
            hint = difflib.get_close_matches(name, NATIVE_COLUMNS, n=1)
            reason = f"unknown column {header[position - 1]!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            errors.append(RowError(header_line, f"#{position}", reason))
    for name in NATIVE_REQUIRED:
        if name not in columns:
            errors.append(RowError(header_line, name, f"required column {name!r} is missing from the header"))
    if errors:
        return ParsedFile("native", [], errors, delimiter, True)
    records: list[CustomerRecord] = []
    for line, raw in mapped_rows(rows[1:], columns, errors):
        record, row_errors = _validate(line, raw, region, stages, default_stage, now, _NATIVE_NAMES)
        errors.extend(row_errors)
        if record:
            records.append(record)
    return ParsedFile("native", records, errors, delimiter, True)


_NATIVE_NAMES = {n: n for n in NATIVE_COLUMNS}
_VICIDIAL_NAMES = {
    "phone": "phone_number",
    "external_ref": "vendor_lead_code",
    "source": "source_code",
    "middle_name": "middle",
    "region": "state",
    "birth_date": "date_of_birth",
    "notes": "comments",
    "created_at": "entry_date",
    "address": "address1",
    "dnc": "status",
}


def _parse_vicidial(
    rows: list[tuple[int, list[str]]],
    delimiter: str,
    header: bool,
    region: str,
    stages: set[str],
    default_stage: str | None,
    now: datetime | None,
) -> ParsedFile:
    errors: list[RowError] = []
    if header:
        header_line, names = rows[0]
        columns = [_norm(c) for c in names]
        unknown = [c for c in columns if c not in VICIDIAL_COLUMNS]
        for name in unknown:
            errors.append(RowError(header_line, name, f"unknown VICIdial column {name!r}"))
        if "phone_number" not in columns:
            errors.append(RowError(header_line, "phone_number", "required column 'phone_number' is missing"))
        if errors:
            return ParsedFile("vicidial", [], errors, delimiter, True)
        body = rows[1:]
    else:
        columns, body = list(VICIDIAL_COLUMNS), rows
    records: list[CustomerRecord] = []
    for line, row in body:
        if not header and not (VICIDIAL_STANDARD <= len(row) <= len(VICIDIAL_COLUMNS)):
            errors.append(
                RowError(
                    line,
                    "*",
                    f"expected {VICIDIAL_STANDARD} to {len(VICIDIAL_COLUMNS)} "
                    f"fields in VICIdial's standard layout, found {len(row)}",
                )
            )
            continue
        if header and len(row) != len(columns):
            errors.append(RowError(line, "*", f"expected {len(columns)} fields, found {len(row)}"))
            continue
        v = {name: cell.strip() for name, cell in zip(columns, row, strict=False)}
        raw = _from_vicidial(v)
        try:
            raw["phone"] = _vicidial_phone(v.get("phone_code", ""), v.get("phone_number", ""), region)
        except PhoneError as exc:
            errors.append(RowError(line, "phone_number", str(exc)))
            continue
        record, row_errors = _validate(line, raw, region, stages, default_stage, now, _VICIDIAL_NAMES)
        errors.extend(row_errors)
        if record:
            records.append(record)
    return ParsedFile("vicidial", records, errors, delimiter, header)


def _from_vicidial(v: dict[str, str]) -> dict[str, str]:
    address = ", ".join(p for p in (v.get("address1"), v.get("address2"), v.get("address3")) if p)
    country = v.get("country", "")
    status = v.get("status", "").upper()
    return {
        "external_ref": v.get("vendor_lead_code", ""),
        "source": v.get("source_code", ""),
        "list_id": v.get("list_id", ""),
        "title": v.get("title", ""),
        "first_name": v.get("first_name", ""),
        "middle_name": v.get("middle", ""),
        "last_name": v.get("last_name", ""),
        "address": address,
        "city": v.get("city", ""),
        "region": v.get("state", "") or v.get("province", ""),
        "postal_code": v.get("postal_code", ""),
        "country": country if len(country) == 2 else "",
        "gender": v.get("gender", ""),
        "birth_date": v.get("date_of_birth", ""),
        "alt_phone": v.get("alt_phone", ""),
        "email": v.get("email", ""),
        "notes": v.get("comments", ""),
        "dnc": "yes" if status in _VICIDIAL_DNC_STATUSES else "",
        "created_at": v.get("entry_date", ""),
    }


def _vicidial_phone(code: str, number: str, region: str) -> str:
    number = number.strip()
    code = code.strip().lstrip("+")
    if not number:
        raise PhoneError("phone number is empty")
    if number.startswith("+") or not code:
        return number
    for prefix in ("011", "00"):  # international dialling prefixes some lists keep in phone_code
        if code.startswith(prefix) and len(code) > len(prefix):
            code = code[len(prefix) :]
    if not code.isdigit():
        raise PhoneError(f"phone_code {code!r} is not a country calling code")
    country_region = phonenumbers.region_code_for_country_code(int(code))
    if country_region == "ZZ":
        raise PhoneError(f"phone_code {code!r} is not a country calling code")
    parsed = phonenumbers.parse(number, country_region) if number[0] in "0123456789" else None
    if parsed is None:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _day(text: str) -> date | None:
    """A date as ISO writes it (1980-12-31) or as Russian speakers do (31.12.1980); None if neither."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        return None


def _validate(
    line: int,
    raw: dict[str, str],
    region: str,
    stages: set[str],
    default_stage: str | None,
    now: datetime | None,
    names: dict[str, str],
) -> tuple[CustomerRecord | None, list[RowError]]:
    """Turn one row's strings into typed values; every problem of the row is reported, not just the first."""
    errors: list[RowError] = []

    def fail(key: str, reason: str) -> None:
        errors.append(RowError(line, names.get(key, key), reason))

    values: dict[str, Any] = {k: (v or None) for k, v in raw.items() if k in NATIVE_COLUMNS}
    try:
        phone = normalize_phone(raw.get("phone", ""), region)
        values["phone"] = phone.e164
        values["country"] = values.get("country") or phone.region
        zone, guessed = phone.time_zone, phone.time_zone_guessed
    except PhoneError as exc:
        fail("phone", str(exc))
        zone, guessed = None, True
    if raw.get("alt_phone"):
        try:
            values["alt_phone"] = normalize_phone(raw["alt_phone"], region).e164
        except PhoneError as exc:
            fail("alt_phone", str(exc))
    if raw.get("time_zone"):
        if valid_time_zone(raw["time_zone"]):
            zone, guessed = raw["time_zone"], False
        else:
            fail("time_zone", f"unknown time zone {raw['time_zone']!r} (use IANA names like Europe/Moscow)")
    values["time_zone"], values["time_zone_guessed"] = zone or "UTC", guessed
    stage = raw.get("stage") or default_stage
    if stages and stage not in stages:
        fail("stage", f"unknown stage {stage!r} (the playbook has: {', '.join(sorted(stages))})")
    values["stage"] = stage
    if raw.get("email") and "@" not in raw["email"]:
        fail("email", f"{raw['email']!r} is not an e-mail address")
    for key in ("dnc", "consent"):
        text = (raw.get(key) or "").strip().lower()
        if text in _TRUE:
            values[key] = True
        elif text in _FALSE:
            values[key] = False if key == "dnc" else None
        else:
            fail(key, f"expected yes or no, got {raw[key]!r}")
    if raw.get("gender"):
        gender = raw["gender"].strip().upper()[:1]
        values["gender"] = gender if gender in ("M", "F") else None
    if raw.get("birth_date"):
        born = _day(raw["birth_date"])
        if born is None:
            fail("birth_date", f"expected a date like 1980-12-31 or 31.12.1980, got {raw['birth_date']!r}")
        elif now is not None and born > now.date():
            fail("birth_date", f"{born.isoformat()} is in the future")
        else:
            values["birth_date"] = born
    if raw.get("created_at"):
        try:
            created = datetime.fromisoformat(raw["created_at"])
            values["created_at"] = created if created.tzinfo else created.replace(tzinfo=UTC)
        except ValueError:
            fail("created_at", f"expected a date and time like 2026-01-31 14:00:00, got {raw['created_at']!r}")
    elif now is not None:
        values["created_at"] = now
    if raw.get("country") and len(raw["country"]) != 2:
        fail("country", f"expected a two-letter country code like RU, got {raw['country']!r}")
    if not (raw.get("first_name") or raw.get("last_name")):
        values.setdefault("first_name", "")
    for key in ("first_name", "last_name"):
        values[key] = values.get(key) or ""
    if errors:
        return None, errors
    return CustomerRecord(line, values), []


def find_duplicates(records: list[CustomerRecord]) -> list[RowError]:
    """Rows whose phone repeats an earlier row of the same file."""
    first: dict[str, int] = {}
    errors: list[RowError] = []
    for record in records:
        if record.phone in first:
            errors.append(RowError(record.line, "phone", f"{record.phone} duplicates line {first[record.phone]}"))
        else:
            first[record.phone] = record.line
    return errors
