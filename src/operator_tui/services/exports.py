"""Export customers and interactions as CSV or JSON, streamed so a million rows never sit in memory.

The customer CSV uses the import's own column names first, so an export can be edited and imported elsewhere;
computed columns (value tier, RFM, churn risk, totals) follow and are ignored by the importer.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, TextIO

from sqlmodel import col, select

from operator_tui.core.customer_rows import EXPORT_ONLY_COLUMNS, NATIVE_COLUMNS
from operator_tui.core.roles import Role
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput
from operator_tui.store.tables import Customer, Interaction, User

CUSTOMER_EXTRA = tuple(sorted(EXPORT_ONLY_COLUMNS - {"id"}))
CUSTOMER_COLUMNS = ("id", *NATIVE_COLUMNS, *CUSTOMER_EXTRA)
INTERACTION_COLUMNS = (
    "id",
    "attempt_id",
    "customer_id",
    "operator",
    "strategy_id",
    "direction",
    "phone_dialed",
    "started_at",
    "answered_at",
    "ended_at",
    "wrapup_ended_at",
    "outcome_code",
    "reached",
    "success",
    "nps",
    "stage_before",
    "stage_after",
    "note",
    "recording_ref",
    "is_test",
)
FORMATS = ("csv", "json")


def _text(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _customers(db: Database) -> Iterator[dict[str, Any]]:
    with db.read() as session:
        rows = session.exec(select(Customer).order_by(col(Customer.id)).execution_options(yield_per=1000))
        for customer in rows:
            data = customer.model_dump()
            yield {c: _text(data.get(c)) for c in CUSTOMER_COLUMNS}


def _interactions(db: Database) -> Iterator[dict[str, Any]]:
    with db.read() as session:
        logins = dict(session.exec(select(User.id, User.login)).all())
        rows = session.exec(select(Interaction).order_by(col(Interaction.id)).execution_options(yield_per=1000))
        for interaction in rows:
            data = interaction.model_dump()
            data["operator"] = logins.get(interaction.operator_id)
            yield {c: _text(data.get(c)) for c in INTERACTION_COLUMNS}


def export(db: Database, actor: Actor, what: str, fmt: str, out: TextIO) -> int:
    """Write ``customers`` or ``interactions`` to ``out`` in ``csv`` or ``json`` (lines); return the row count."""
    actor.require(Role.SUPERVISOR, "Exporting data")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}: use csv or json")
    sources = {
        "customers": (_customers, CUSTOMER_COLUMNS),
        "interactions": (_interactions, INTERACTION_COLUMNS),
    }
    if what not in sources:
        raise InvalidInput(f"cannot export {what!r}: use customers or interactions")
    rows, columns = sources[what]
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows(db):
            writer.writerow(row)
            count += 1
    else:
        out.write("[\n")
        for row in rows(db):
            out.write((",\n" if count else "") + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    with db.write() as session:
        audit(session, actor, f"export.{what}", "export", None, format=fmt, rows=count)
    return count
