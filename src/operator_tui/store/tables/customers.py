"""Customers, their purchases, their stage history and their calling permissions (DNC / consent)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Numeric, Text
from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created, when


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_stage_segment", "stage", "segment"),
        Index("ix_customer_name", "last_name", "first_name"),  # search by name for inbound calls
    )

    id: int | None = Field(default=None, primary_key=True)
    external_ref: str | None = Field(default=None, max_length=60, index=True)  # e.g. VICIdial vendor_lead_code
    source: str | None = Field(default=None, max_length=60)
    list_id: str | None = Field(default=None, max_length=30)
    title: str | None = Field(default=None, max_length=20)
    first_name: str = Field(default="", max_length=80)
    middle_name: str | None = Field(default=None, max_length=80)
    last_name: str = Field(default="", max_length=80)
    email: str | None = Field(default=None, max_length=200)
    phone: str = Field(max_length=20, index=True)  # E.164
    alt_phone: str | None = Field(default=None, max_length=20, index=True)
    wrong_phones: str | None = Field(default=None, max_length=50)  # of the two, those found wrong (core.phones)
    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=80)
    region: str | None = Field(default=None, max_length=80)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=2)
    gender: str | None = Field(default=None, max_length=1)
    birth_date: date | None = None
    time_zone: str = Field(max_length=40, index=True)  # indexed: the queue lists the zones in use from it
    time_zone_guessed: bool = False
    language: str | None = Field(default=None, max_length=5)
    stage: str = Field(max_length=40)
    stage_since: datetime = created()
    segment: str | None = Field(default=None, max_length=40)
    # Value and risk, recomputed from purchases and interactions (core.value); kept here so priority is cheap.
    value_tier: str = Field(default="C", max_length=1)
    rfm_r: int = 0
    rfm_f: int = 0
    rfm_m: int = 0
    churn_risk: float = 0.0
    upsell_propensity: float = 0.0
    purchases_count: int = 0
    revenue_total: float = 0.0
    first_purchase_at: datetime | None = when()
    last_purchase_at: datetime | None = when()
    last_contact_at: datetime | None = when()
    last_nps: int | None = None
    dnc: bool = False
    consent: bool | None = None
    notes: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created()
    updated_at: datetime = created()
    erased_at: datetime | None = when()

    @property
    def numbers(self) -> list[str | None]:
        """The main number and the other one (None when there is none), as core.phones takes them."""
        return [self.phone, self.alt_phone]

    @property
    def listed_name(self) -> str:
        """The name as lists show it, last name first (a search's results)."""
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def spoken_name(self) -> str:
        """The name as said to the person and shown for one customer (the card, a dialog about them)."""
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


class Purchase(SQLModel, table=True):
    __tablename__ = "purchase"
    __table_args__ = (
        Index("ix_purchase_customer_at", "customer_id", "at"),
        Index("ix_purchase_external_ref", "external_ref"),  # an import's orders are looked up: none twice
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    at: datetime = when(nullable=False, index=True)
    amount: float = Field(sa_type=Numeric(14, 2, asdecimal=False))
    currency: str = Field(default="RUB", max_length=3)
    product: str | None = Field(default=None, max_length=120)
    category: str | None = Field(default=None, max_length=60)
    external_ref: str | None = Field(default=None, max_length=60)
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id")  # a sale made on a call


class StageChange(SQLModel, table=True):
    """Append-only: every move along the lifecycle, with its cause. Never updated, never deleted."""

    __tablename__ = "stage_change"
    __table_args__ = (Index("ix_stage_change_customer_at", "customer_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    from_stage: str | None = Field(default=None, max_length=40)
    to_stage: str = Field(max_length=40)
    at: datetime = when(nullable=False, index=True)
    cause: str = Field(max_length=16)  # outcome | rule | import | manual | demo
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    rule: str | None = Field(default=None, max_length=120)
    note: str | None = Field(default=None, max_length=500)


class ContactPermission(SQLModel, table=True):
    """The log of do-not-call and consent decisions; ``Customer.dnc`` / ``consent`` mirror the latest."""

    __tablename__ = "contact_permission"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    phone: str = Field(max_length=20, index=True)
    kind: str = Field(max_length=10)  # dnc | consent
    granted: bool  # dnc: True = on the list; consent: True = consented
    at: datetime = when(nullable=False)
    source: str = Field(max_length=20)  # outcome | import | admin | customer
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id")
    note: str | None = Field(default=None, max_length=500)
