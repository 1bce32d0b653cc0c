"""Import customers and purchases: every bad row reported by line, column and reason, then all rows or none.

Validation runs over the whole file before the one write transaction starts, so a file with a single bad row
changes nothing, and a good file is written in one transaction (a crash mid-import leaves no half import).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from operator_tui.core.customer_rows import (
    CustomerRecord,
    FileFormatError,
    decode,
    find_duplicates,
    parse_customers,
)
from operator_tui.core.purchase_rows import parse_purchases
from operator_tui.core.roles import Role
from operator_tui.core.table_files import RowError
from operator_tui.services import enqueue, playbooks, privacy
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.services.rescore import rescore
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import ContactPermission, Customer, ImportBatch, Purchase, StageChange

CHUNK = 500


@dataclass
class ImportReport:
    file: str
    layout: str
    rows: int
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    suppressed: int = 0  # customers imported straight onto do-not-call: their number's owner had their data erased

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(path: Path, encoding: str | None) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return decode(data, encoding)
    except FileFormatError as exc:
        raise InvalidInput(f"{path.name}: {exc}") from None


def import_customers(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    layout: str = "auto",
    region: str = "RU",
    encoding: str | None = None,
    dry_run: bool = False,
    skip_duplicates: bool = False,
) -> ImportReport:
    """Import a customer file (native CSV or VICIdial layout); nothing is written unless every row is good."""
    actor.require(Role.ADMIN, "Importing customers")
    text = _read(path, encoding)
    playbook = playbooks.active(db)
    working = [s.id for s in playbook.stages if not s.terminal]
    try:
        parsed = parse_customers(
            text,
            layout=layout,
            region=region,
            stages=playbook.stage_ids(),
            default_stage=working[0],
            now=utcnow(),
        )
    except FileFormatError as exc:
        raise InvalidInput(f"{path.name}: {exc}") from None
    report = ImportReport(
        path.name,
        parsed.layout,
        len(parsed.records) + _bad_lines(parsed.errors),
        errors=list(parsed.errors),
        dry_run=dry_run,
    )
    duplicates = find_duplicates(parsed.records)
    with db.read() as session:
        duplicates += _known_phones(session, parsed.records)
    if skip_duplicates:
        report.skipped = duplicates
        skip = {d.line for d in duplicates}
        records = [r for r in parsed.records if r.line not in skip]
    else:
        report.errors.extend(duplicates)
        records = parsed.records
    report.errors.sort(key=lambda e: e.line)
    if report.errors or dry_run:
        return report
    with db.write() as session:
        report.suppressed = _insert_customers(session, actor, records)
        session.add(
            ImportBatch(
                kind="customers",
                file_name=path.name,
                layout=parsed.layout,
                rows=len(records),
                user_id=actor.user_id,
            )
        )
        audit(
            session,
            actor,
            "import.customers",
            "import",
            path.name,
            rows=len(records),
            layout=parsed.layout,
            skipped=len(report.skipped),
        )
    report.imported = len(records)
    enqueue.enqueue_new(db)
    return report


def _bad_lines(errors: Iterable[RowError]) -> int:
    return len({e.line for e in errors if e.column != "#1" and e.line > 1})


def _known_phones(session: Session, records: list[CustomerRecord]) -> list[RowError]:
    """Rows whose phone already belongs to a customer in the database."""
    out: list[RowError] = []
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        phones = [r.phone for r in chunk]
        found = dict(session.exec(select(Customer.phone, Customer.id).where(col(Customer.phone).in_(phones))).all())
        out += [
            RowError(r.line, "phone", f"{r.phone} already belongs to customer #{found[r.phone]}")
            for r in chunk
            if r.phone in found
        ]
    return out


def _insert_customers(session: Session, actor: Actor, records: list[CustomerRecord]) -> int:
    """Insert the customers; returns how many came in as do-not-call because their number was erased before."""
    now = utcnow()
    suppressed = 0
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        rows = [_customer_row(r.values, now) for r in chunk]
        # A number whose owner had their data erased comes back only as do-not-call.
        erased = privacy.suppressed(session, [row["phone"] for row in rows])
        for row in rows:
            suppressed += row["phone"] in erased
            row["dnc"] = row["dnc"] or row["phone"] in erased
        ids = (
            session.execute(insert(Customer).returning(col(Customer.id), sort_by_parameter_order=True), rows)
            .scalars()
            .all()
        )
        session.execute(
            insert(StageChange),
            [
                {
                    "customer_id": cid,
                    "from_stage": None,
                    "to_stage": row["stage"],
                    "at": now,
                    "cause": "import",
                    "user_id": actor.user_id,
                }
                for cid, row in zip(ids, rows, strict=True)
            ],
        )
        permissions = [
            {
                "customer_id": cid,
                "phone": row["phone"],
                "kind": kind,
                "granted": True,
                "at": now,
                "source": "import",
                "user_id": actor.user_id,
            }
            for cid, row in zip(ids, rows, strict=True)
            for kind in ("dnc", "consent")
            if row[kind]
        ]
        if permissions:
            session.execute(insert(ContactPermission), permissions)
    return suppressed


def _customer_row(values: dict[str, Any], now: Any) -> dict[str, Any]:
    customer = Customer(**{k: v for k, v in values.items() if v is not None})
    row = customer.model_dump(exclude={"id"})
    row["created_at"] = values.get("created_at") or now
    row["stage_since"] = now
    row["updated_at"] = now
    return row


def import_purchases(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    region: str = "RU",
    encoding: str | None = None,
    dry_run: bool = False,
    skip_duplicates: bool = False,
) -> ImportReport:
    """Import purchases; each row must name an existing customer. Updates customers' purchase totals.

    An order (``external_ref``) already imported is refused (a second import of an overlapping export would count
    its revenue twice), or with ``skip_duplicates`` reported and left out; amounts in another currency than the
    base's purchases are refused: the figures add them up."""
    actor.require(Role.ADMIN, "Importing purchases")
    records, errors = parse_purchases(_read(path, encoding), region=region, now=utcnow())
    report = ImportReport(path.name, "purchases", len(records) + _bad_lines(errors), errors=errors, dry_run=dry_run)
    resolved: list[tuple[int, dict[str, Any]]] = []
    with db.read() as session:
        refs = {r.customer_ref for r in records if r.customer_ref}
        phones = {r.phone for r in records if r.phone and not r.customer_ref}
        by_ref = _lookup(session, Customer.external_ref, refs)
        by_phone = _lookup(session, Customer.phone, phones)
        known = _known_orders(session, {r.values["external_ref"] for r in records if r.values["external_ref"]})
        base = session.exec(select(Purchase.currency).limit(1)).first()
    if base is not None:
        report.errors += [
            RowError(r.line, "currency", f"{r.values['currency']}, but the base's purchases are in {base}")
            for r in records
            if r.values["currency"] != base
        ]
    repeated = [
        RowError(r.line, "external_ref", f"order {r.values['external_ref']!r} is imported already")
        for r in records
        if r.values["external_ref"] in known
    ]
    if skip_duplicates:
        report.skipped = repeated
        records = [r for r in records if r.values["external_ref"] not in known]
    else:
        report.errors += repeated
    for record in records:
        cid = by_ref.get(record.customer_ref) if record.customer_ref else by_phone.get(record.phone)
        if cid is None:
            column, key = ("customer_ref", record.customer_ref) if record.customer_ref else ("phone", record.phone)
            report.errors.append(RowError(record.line, column, f"no customer with {column} {key!r}"))
        else:
            resolved.append((cid, record.values))
    report.errors.sort(key=lambda e: e.line)
    if report.errors or dry_run:
        return report
    with db.write() as session:
        if _known_orders(session, {v["external_ref"] for _, v in resolved if v["external_ref"]}):
            raise InvalidInput.said(
                "{file}: another import brought some of its orders meanwhile; run it again", file=path.name
            )
        for start in range(0, len(resolved), CHUNK):
            session.execute(insert(Purchase), [{"customer_id": cid, **v} for cid, v in resolved[start : start + CHUNK]])
        refresh_purchase_totals(session, {cid for cid, _ in resolved})
        session.add(
            ImportBatch(
                kind="purchases",
                file_name=path.name,
                layout="native",
                rows=len(resolved),
                user_id=actor.user_id,
            )
        )
        audit(session, actor, "import.purchases", "import", path.name, rows=len(resolved))
    report.imported = len(resolved)
    rescore(db, actor)  # value tiers and quintiles are relative to the whole base
    return report


def _known_orders(session: Session, orders: set[str]) -> set[str]:
    """Those of ``orders`` (purchases' external refs) in the base already (``ix_purchase_external_ref``)."""
    listed = sorted(orders)
    found: set[str] = set()
    for start in range(0, len(listed), CHUNK):
        chunk = listed[start : start + CHUNK]
        found.update(
            r for r in session.exec(select(Purchase.external_ref).where(col(Purchase.external_ref).in_(chunk))) if r
        )
    return found


def _lookup(session: Session, column: Any, keys: set[Any]) -> dict[Any, int]:
    keys_list = sorted(k for k in keys if k)
    found: dict[Any, int] = {}
    for start in range(0, len(keys_list), CHUNK):
        rows = session.exec(select(column, Customer.id).where(column.in_(keys_list[start : start + CHUNK]))).all()
        found.update(dict(rows))
    return found


def refresh_purchase_totals(session: Session, customer_ids: set[int]) -> None:
    """Recompute count, revenue and first/last purchase of these customers from their purchases."""
    ids = sorted(customer_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        totals = session.execute(
            sa_select(
                col(Purchase.customer_id),
                func.count(),
                func.sum(col(Purchase.amount)),
                func.min(col(Purchase.at)),
                func.max(col(Purchase.at)),
            )
            .where(col(Purchase.customer_id).in_(chunk))
            .group_by(col(Purchase.customer_id))
        ).all()
        for cid, count, total, first, last in totals:
            session.execute(
                update(Customer)
                .where(col(Customer.id) == cid)
                .values(
                    purchases_count=count,
                    revenue_total=float(total or 0),
                    first_purchase_at=first,
                    last_purchase_at=last,
                )
            )
