"""Keep the daily roll-ups (store.tables.reports) up to date with calls and stage changes.

Each batch reads the rows past the watermark, adds them to the day rows and moves the watermark, in one write
transaction: a call is counted exactly once however many processes refresh at the same time (their writes take
turns: SQLite's write gate, an advisory lock on PostgreSQL), and none is passed over (the watermark moves only
over ids whose transactions have ended: ``_settled``). Reports refresh first, so they are exact to the last
saved call; the recording transaction itself stays as short as it was (DESIGN.md: the hot path pays for nothing
it does not need).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from operator_tui.core import nps as nps_bands
from operator_tui.core.phones import zone as zone_of
from operator_tui.services.database import Database
from operator_tui.services.runtime import runtime
from operator_tui.store.hot import Hot

log = logging.getLogger(__name__)

BATCH = 20_000  # read and summed outside the write lock; the write applies only the sums
CALL_MEASURES = (
    "calls",
    "reached",
    "success",
    "talk_s",
    "wrap_s",
    "nps_n",
    "nps_sum",
    "promoters",
    "passives",
    "detractors",
)


def refresh(db: Database) -> tuple[int, int]:
    """Bring both roll-ups up to date with every call and stage change saved before this call; returns (calls
    added, stage changes added). Rows saved meanwhile wait for the next refresh: under a steady stream of calls a
    refresh that chased them would never end."""
    tz = zone_of(runtime(db).playbook.reports.time_zone)
    days = _Days(tz)
    calls = _catch_up(lambda upto: _calls_batch(db, days, upto), _settled(db, "interaction"))
    changes = _catch_up(lambda upto: _changes_batch(db, days, upto), _settled(db, "stage_change"))
    return calls, changes


def _catch_up(batch: Callable[[int], int], upto: int) -> int:
    """Run ``batch`` until it has added every row up to id ``upto`` (0: nothing settled, nothing to do); a batch
    returns the rows it added, fewer than ``BATCH`` once caught up, or -1 when another process moved the watermark
    first (then read again). Returns the rows added."""
    added_total = 0
    while upto:
        added = batch(upto)
        added_total += max(added, 0)
        if added != -1 and added < BATCH:
            break
    return added_total


SETTLE_WAIT = "5s"


def _settled(db: Database, table: str) -> int:
    """The highest id of ``table`` below which every row is committed (or never will be), so a watermark may pass
    it. On SQLite writers take turns, so ids are handed out in commit order: the highest id there is. On
    PostgreSQL a save takes its id when its statement runs and commits a little later, so a save that took id 7
    can commit after one that took id 8: a refresh that saw 8 and moved the watermark past 7 would never count 7.
    A SHARE lock on the table waits for every transaction writing to it to end (new writers wait behind it for the
    instant it is held); the highest id then is settled. If a long transaction writes the table (an erasure, an
    import) for longer than ``SETTLE_WAIT``, 0: this refresh adds nothing, the next one catches up."""
    hot = db.hot
    with hot.connection() as conn:
        if hot.sqlite:
            return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        try:
            with hot.write(conn) as cur:
                cur.execute(f"SET LOCAL lock_timeout = '{SETTLE_WAIT}'")
                cur.execute(f"LOCK TABLE {table} IN SHARE MODE")
                return int(cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        except Exception as exc:
            if type(exc).__name__ != "LockNotAvailable":  # psycopg.errors: lock_timeout ran out
                raise
            log.warning("roll-ups of %s not refreshed: a transaction held the table for over %s", table, SETTLE_WAIT)
            return 0


# PostgreSQL: refreshes of all processes write one at a time (SQLite's write gate does that there), so the
# watermark a refresh checks before writing is the one the refresh before it left.
ROLLUP_LOCK = 0x6F70_7475_726F_6C6C  # "opturoll"


def _one_writer(hot: Hot, cur: Any) -> None:
    if not hot.sqlite:
        cur.execute(f"SELECT pg_advisory_xact_lock({ROLLUP_LOCK})")


class _Days:
    """The center's day of a stored UTC time, memoised by the hour it falls in (offsets change on the hour)."""

    def __init__(self, tz: ZoneInfo):
        self.tz = tz
        self.cache: dict[str, date] = {}

    def __call__(self, stored: Any) -> date:
        text = stored if isinstance(stored, str) else stored.isoformat(" ")
        hour = text[:13]  # "2026-11-23 07"
        day = self.cache.get(hour)
        if day is None:
            moment = Hot.from_db(hour + ":00:00")
            assert moment is not None
            day = self.cache[hour] = moment.astimezone(self.tz).date()
        return day


_NUDGE_EVERY = 500  # saved calls per process between background refreshes
_nudges = 0
_refreshing = threading.Lock()


def nudge(db: Database) -> None:
    """Called after each saved call: now and then refresh the roll-ups in a background thread, so a report never
    has much to catch up on and the saving operator waits for none of it."""
    global _nudges
    _nudges += 1
    if _nudges < _NUDGE_EVERY or not _refreshing.acquire(blocking=False):
        return
    _nudges = 0

    def run() -> None:
        try:
            refresh(db)
        except Exception:  # the next nudge or report tries again
            pass
        finally:
            _refreshing.release()

    threading.Thread(target=run, name="rollups", daemon=True).start()


def _mark(cur: Any, p: Any, name: str) -> int:
    row = cur.execute(f"SELECT last_id FROM rollup_mark WHERE name = {p('name')}", {"name": name}).fetchone()
    return int(row[0]) if row else 0


def _set_mark(cur: Any, p: Any, name: str, last_id: int) -> None:
    cur.execute(
        f"INSERT INTO rollup_mark (name, last_id) VALUES ({p('name')}, {p('last')}) "
        "ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id",
        {"name": name, "last": last_id},
    )


def _span(hot: Hot, start: str, end: str) -> str:
    """Seconds between two time columns, computed by the database rather than parsed row by row in Python."""
    if hot.sqlite:
        return f"(julianday({end}) - julianday({start})) * 86400.0"
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


def _calls_batch(db: Database, days: _Days, upto_id: int) -> int:
    """Add the next calls past the watermark, up to id ``upto_id`` (``_settled``). The database sums them per day
    (of the center) and dimension, outside the write lock; the write only applies the sums, and only if no other
    process moved the watermark meanwhile (then -1: read again)."""
    hot = db.hot
    p = runtime(db).sql.param
    with hot.connection() as conn:
        with hot.reading(conn):
            last = _mark(conn, p, "calls")
            first_at, last_at, upto, count = conn.execute(
                f"SELECT min(started_at), max(started_at), max(id), count(*) FROM (SELECT id, started_at FROM "
                f"interaction WHERE id > {p('last')} AND id <= {p('settled')} ORDER BY id LIMIT {BATCH}) AS batch",
                {"last": last, "settled": upto_id},
            ).fetchone()
            if not count:
                return 0
            talk = _span(hot, "coalesce(i.answered_at, i.started_at)", "i.ended_at")
            wrap = _span(hot, "i.ended_at", "i.wrapup_ended_at")
            measures = (
                "count(*), sum(CASE WHEN i.reached THEN 1 ELSE 0 END), sum(CASE WHEN i.success THEN 1 ELSE 0 END), "
                f"sum(CASE WHEN i.reached THEN {talk} ELSE 0 END), sum({wrap}), count(i.nps), sum(i.nps), "
                + ", ".join(nps_bands.sql_counts("i.nps"))
            )
            groups = {
                "operator": ("CAST(i.operator_id AS TEXT)", "''", ""),
                "strategy": ("coalesce(i.strategy_id, '')", "i.outcome_code", ""),
                "stage": ("coalesce(i.stage_before, '')", "''", ""),
                "segment": ("coalesce(c.segment, '')", "''", " JOIN customer c ON c.id = i.customer_id"),
            }
            sums: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0.0] * len(CALL_MEASURES))
            for day, where, params in _day_slices(hot, p, days.tz, first_at, last_at):
                span = {"last": last, "upto": upto, **params}
                for dim, (key, outcome, join) in groups.items():
                    rows = conn.execute(
                        f"SELECT {day}, {key}, {outcome}, {measures} FROM interaction i{join} WHERE i.id > "
                        f"{p('last')} AND i.id <= {p('upto')} AND i.is_test = {_false(hot)}{where} "
                        "GROUP BY 1, 2, 3",  # by position: PostgreSQL refuses a constant ('') by value
                        span,
                    ).fetchall()
                    for local_day, group, code, *values in rows:
                        total = sums[(_as_date(local_day), dim, str(group), code or "")]
                        for n, value in enumerate(values):
                            total[n] += float(value or 0)
        columns = ("day", "dim", "key", "outcome_code", *CALL_MEASURES)
        with hot.write(conn) as cur:
            _one_writer(hot, cur)
            if _mark(cur, p, "calls") != last:
                return -1
            if sums:
                cur.executemany(
                    f"INSERT INTO call_day ({', '.join(columns)}) VALUES ({', '.join(p(c) for c in columns)}) "
                    "ON CONFLICT (day, dim, key, outcome_code) DO UPDATE SET "
                    + ", ".join(f"{m} = call_day.{m} + excluded.{m}" for m in CALL_MEASURES),
                    [dict(zip(columns, (_date(hot, k[0]), *k[1:], *v), strict=True)) for k, v in sums.items()],
                )
            _set_mark(cur, p, "calls", int(upto))
        return int(count)


def _day_slices(hot: Hot, p: Any, tz: ZoneInfo, first: Any, last: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """How to compute the center's day in SQL over the time span of a batch: (day expression, extra WHERE,
    parameters). PostgreSQL converts zones itself; SQLite gets one slice per stretch of constant UTC offset (a
    DST change splits the span), each with its offset written into ``date(started_at, '+N minutes')``."""
    if not hot.sqlite:
        return [(f"date(i.started_at AT TIME ZONE 'UTC' AT TIME ZONE {p('tz')})", "", {"tz": str(tz.key)})]
    start, end = Hot.from_db(first), Hot.from_db(last)
    assert start is not None and end is not None
    slices: list[tuple[int, Any, Any]] = []  # (offset minutes, from, to)
    moment = start.replace(minute=0, second=0, microsecond=0)
    while True:
        offset = int((moment.astimezone(tz).utcoffset() or timedelta()).total_seconds() // 60)
        if not slices or slices[-1][0] != offset:
            slices.append((offset, moment, None))
        if moment > end:
            break
        moment += timedelta(hours=1)
    out = []
    for n, (offset, begins, _) in enumerate(slices):
        upper = slices[n + 1][1] if n + 1 < len(slices) else None
        where = f" AND i.started_at >= {p(f'from{n}')}" if n else ""
        params = {f"from{n}": hot.to_db(begins)} if n else {}
        if upper is not None:
            where += f" AND i.started_at < {p(f'to{n}')}"
            params[f"to{n}"] = hot.to_db(upper)
        out.append((f"date(i.started_at, '{offset:+d} minutes')", where, params))
    return out


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _changes_batch(db: Database, days: _Days, upto_id: int) -> int:
    """The same for stage changes."""
    hot = db.hot
    p = runtime(db).sql.param
    with hot.connection() as conn:
        with hot.reading(conn):
            last = _mark(conn, p, "stages")
            rows = conn.execute(
                f"SELECT id, at, from_stage, to_stage, cause FROM stage_change WHERE id > {p('last')} "
                f"AND id <= {p('settled')} ORDER BY id LIMIT {BATCH}",
                {"last": last, "settled": upto_id},
            ).fetchall()
        if not rows:
            return 0
        counts: dict[tuple[Any, ...], int] = defaultdict(int)
        for _, at, source, target, cause in rows:
            counts[(days(at), source or "", target, cause)] += 1
        with hot.write(conn) as cur:
            _one_writer(hot, cur)
            if _mark(cur, p, "stages") != last:
                return -1
            cur.executemany(
                f"INSERT INTO stage_day (day, from_stage, to_stage, cause, changes) VALUES ({p('day')}, {p('f')}, "
                f"{p('t')}, {p('c')}, {p('n')}) ON CONFLICT (day, from_stage, to_stage, cause) DO UPDATE SET "
                "changes = stage_day.changes + excluded.changes",
                [{"day": _date(hot, k[0]), "f": k[1], "t": k[2], "c": k[3], "n": n} for k, n in counts.items()],
            )
            _set_mark(cur, p, "stages", int(rows[-1][0]))
        return len(rows)


def _false(hot: Hot) -> str:
    return "0" if hot.sqlite else "false"


def _date(hot: Hot, day: date) -> Any:
    return day.isoformat() if hot.sqlite else day


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=tz)
