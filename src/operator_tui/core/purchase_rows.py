"""Purchase files: one row per purchase, tied to a customer by external reference or phone.

Columns (header required): ``customer_ref`` or ``phone`` (one of them), ``at``, ``amount``, and optionally
``currency``, ``product``, ``category``, ``external_ref``. Pure parsing; the service resolves customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from operator_tui.core.phones import PhoneError, normalize_phone
from operator_tui.core.table_files import RowError, mapped_rows, read_rows, sniff_delimiter

PURCHASE_COLUMNS = (
    "customer_ref",
    "phone",
    "at",
    "amount",
    "currency",
    "product",
    "category",
    "external_ref",
)


@dataclass
class PurchaseRecord:
    line: int
    customer_ref: str | None
    phone: str | None
    values: dict[str, Any]


AHEAD = timedelta(days=1)
"""How far past ``now`` a purchase may be dated: a time written without its zone is read as UTC, which can put
a morning sale in Moscow a few hours ahead. Beyond that it is a mistake (a year typed wrong)."""


def parse_purchases(
    text: str, *, region: str = "RU", now: datetime | None = None
) -> tuple[list[PurchaseRecord], list[RowError]]:
    """The file's rows as purchases, every problem of every row reported: among them a date in the future (past
    ``now`` and ``AHEAD``), an order (``external_ref``) twice in the file, and a currency other than the first
    row's (amounts in two currencies cannot be added up; the service holds the base to its own currency too)."""
    rows = read_rows(text, sniff_delimiter(text.split("\n", 1)[0]))
    if not rows:
        return [], [RowError(1, "*", "the file has no rows")]
    header_line, header = rows[0]
    columns = [c.strip().lower().lstrip("\ufeff") for c in header]
    errors = [RowError(header_line, c, f"unknown column {c!r}") for c in columns if c not in PURCHASE_COLUMNS]
    for required in ("at", "amount"):
        if required not in columns:
            errors.append(RowError(header_line, required, f"required column {required!r} is missing"))
    if "customer_ref" not in columns and "phone" not in columns:
        errors.append(RowError(header_line, "customer_ref", "need a 'customer_ref' or a 'phone' column"))
    if errors:
        return [], errors
    records: list[PurchaseRecord] = []
    orders: dict[str, int] = {}  # external_ref -> the line it is first on
    for line, raw in mapped_rows(rows[1:], columns, errors):
        row_errors: list[RowError] = []
        phone = None
        if raw.get("phone"):
            try:
                phone = normalize_phone(raw["phone"], region).e164
            except PhoneError as exc:
                row_errors.append(RowError(line, "phone", str(exc)))
        if not raw.get("customer_ref") and not raw.get("phone"):
            row_errors.append(RowError(line, "customer_ref", "no customer_ref and no phone"))
        try:
            at = datetime.fromisoformat(raw["at"])
            at = at if at.tzinfo else at.replace(tzinfo=UTC)
        except ValueError:
            row_errors.append(
                RowError(line, "at", f"expected a date like 2026-01-31 or 2026-01-31 14:00, got {raw['at']!r}")
            )
            at = None
        if at is not None and now is not None and at > now + AHEAD:
            row_errors.append(RowError(line, "at", f"{raw['at']} is in the future"))
        try:
            amount = Decimal(raw["amount"].replace(",", ".").replace(" ", ""))
            if not amount.is_finite() or amount <= 0:
                raise InvalidOperation
        except InvalidOperation:
            row_errors.append(
                RowError(line, "amount", f"expected a positive amount like 1500.00, got {raw['amount']!r}")
            )
            amount = Decimal(0)
        currency = (raw.get("currency") or "RUB").upper()
        if len(currency) != 3 or not currency.isalpha():
            row_errors.append(RowError(line, "currency", f"expected a currency code like RUB, got {currency!r}"))
        elif records and currency != records[0].values["currency"]:
            first = records[0]
            row_errors.append(
                RowError(
                    line,
                    "currency",
                    f"{currency}, but line {first.line} is in {first.values['currency']}: amounts in two "
                    "currencies cannot be added up (convert them first)",
                )
            )
        order = raw.get("external_ref") or ""
        if order and order in orders:
            row_errors.append(RowError(line, "external_ref", f"order {order!r} is on line {orders[order]} too"))
        elif order:
            orders[order] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        values = {
            "at": at,
            "amount": float(amount),
            "currency": currency,
            "product": raw.get("product") or None,
            "category": raw.get("category") or None,
            "external_ref": raw.get("external_ref") or None,
        }
        records.append(PurchaseRecord(line, raw.get("customer_ref") or None, phone, values))
    return records, errors
