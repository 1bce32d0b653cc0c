"""Find a customer for an inbound call: by phone (any way it is written) or by name.

Both go through indexes (``ix_customer_phone`` / ``ix_customer_alt_phone`` and ``ix_customer_name``) as range
seeks, so a search stays instant at a million customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, select

from operator_tui.core.phones import PhoneError, normalize_phone
from operator_tui.core.roles import Role
from operator_tui.core.text import localize
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.runtime import runtime
from operator_tui.store.tables import Customer

LIMIT = 20


PHONE_CHARACTERS = frozenset("0123456789+()-. ")  # how people write a phone: +7 (812) 778-58-42


@dataclass(frozen=True)
class Found:
    customer_id: int
    name: str
    phone: str
    place: str
    stage: str  # the stage's name in the searcher's language
    dnc: bool


def search(db: Database, actor: Actor, text: str, region: str = "RU", limit: int = LIMIT) -> list[Found]:
    """Customers whose phone is ``text`` (or starts with its digits), or whose name starts with it (last name
    first, or first name first)."""
    actor.require(Role.OPERATOR, "Searching customers")
    query = " ".join(text.split())
    if len(query) < 2:
        return []
    digits = "".join(ch for ch in query if ch.isdigit())
    with db.read() as s:
        if len(digits) >= 4 and (set(query) <= PHONE_CHARACTERS or len(digits) >= len(query.replace(" ", "")) - 3):
            try:
                exact = normalize_phone(query, region).e164
                condition = or_(col(Customer.phone) == exact, col(Customer.alt_phone) == exact)
            except PhoneError:
                prefix = "+" + digits
                condition = (col(Customer.phone) >= prefix) & (col(Customer.phone) < prefix + "~")
            rows = s.exec(select(Customer).where(condition).order_by(col(Customer.phone)).limit(limit)).all()
        else:
            words = [w[:1].upper() + w[1:] for w in query.split()]
            rows = _by_name(s, words[0], words[1] if len(words) > 1 else None, limit)
            if len(words) > 1:  # "Ирина Бобылева" as well as "Бобылева Ирина": first name first is common too
                seen = {c.id for c in rows}
                rows += [c for c in _by_name(s, words[1], words[0], limit) if c.id not in seen][: limit - len(rows)]
    stages = {st.id: localize(st.label, actor.language) for st in runtime(db).playbook.stages if st.label}
    return [
        Found(
            c.id or 0,
            c.listed_name,
            c.phone,
            ", ".join(p for p in (c.city, c.region) if p),
            stages.get(c.stage, c.stage),
            c.dnc,
        )
        for c in rows
    ]


def _by_name(s: Any, last: str, first: str | None, limit: int) -> list[Customer]:
    """A range seek on ``ix_customer_name``: last names starting with ``last`` (and first names with ``first``)."""
    condition = (col(Customer.last_name) >= last) & (col(Customer.last_name) < last + "\uffff")
    if first:
        condition = condition & col(Customer.first_name).startswith(first)
    query = select(Customer).where(condition).order_by(col(Customer.last_name), col(Customer.first_name))
    return list(s.exec(query.limit(limit)).all())
