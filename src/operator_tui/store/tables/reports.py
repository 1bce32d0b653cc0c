"""Daily roll-ups that reports read instead of millions of calls (issue: a month report under a second at 10M).

Rows are added to by ``services.rollups`` from calls and stage changes past a watermark, in one write transaction
with the watermark, so each call is counted exactly once. Empty strings stand for "none" so they can be part of
the primary key.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class CallDay(SQLModel, table=True):
    """Calls summed per day along one dimension at a time (``dim``: operator, strategy, stage or segment).

    One narrow roll-up per dimension, not one row per combination: a month of a thousand operators is thirty
    thousand operator rows, and a report reads only the dimension it groups by.
    """

    __tablename__ = "call_day"

    day: date = Field(primary_key=True)  # in the center's time zone (playbook reports.time_zone)
    dim: str = Field(primary_key=True, max_length=10)
    key: str = Field(primary_key=True, max_length=60)  # the operator's id, the strategy, stage or segment ("" none)
    outcome_code: str = Field(primary_key=True, max_length=30)  # kept for the strategy dimension only, else ""
    calls: int = 0
    reached: int = 0
    success: int = 0
    talk_s: float = 0.0
    wrap_s: float = 0.0
    nps_n: int = 0
    nps_sum: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0


class StageDay(SQLModel, table=True):
    __tablename__ = "stage_day"

    day: date = Field(primary_key=True)
    from_stage: str = Field(primary_key=True, max_length=40)
    to_stage: str = Field(primary_key=True, max_length=40)
    cause: str = Field(primary_key=True, max_length=16)
    changes: int = 0


class RollupMark(SQLModel, table=True):
    """How far each roll-up has read its source table (the highest id counted)."""

    __tablename__ = "rollup_mark"

    name: str = Field(primary_key=True, max_length=30)
    last_id: int = 0
