from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_tui.core.windows import closes_at, is_open, next_open, parse_window

BUSINESS = parse_window("business-hours", {"mon-fri": "09:00-20:00", "sat": "10:00-16:00"})
MOSCOW = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_open_in_the_customers_own_time_zone():
    # 2026-11-23 is a Monday. 07:00 UTC is 10:00 in Moscow but 17:00 in Vladivostok.
    at = utc(2026, 11, 23, 7, 0)
    assert is_open(BUSINESS, at, MOSCOW)
    assert is_open(BUSINESS, at, VLADIVOSTOK)
    late = utc(2026, 11, 23, 11, 30)  # 14:30 Moscow, 21:30 Vladivostok
    assert is_open(BUSINESS, late, MOSCOW)
    assert not is_open(BUSINESS, late, VLADIVOSTOK)


def test_next_open_skips_sunday_and_holidays():
    saturday_evening = utc(2026, 11, 28, 14, 0)  # 17:00 Moscow, after Saturday's 16:00
    assert next_open(BUSINESS, saturday_evening, MOSCOW) == utc(2026, 11, 30, 6, 0)  # Monday 09:00 Moscow
    holidays = frozenset({date(2026, 11, 30)})
    assert next_open(BUSINESS, saturday_evening, MOSCOW, holidays) == utc(2026, 12, 1, 6, 0)


def test_holiday_hours_when_the_window_gives_them():
    window = parse_window("w", {"daily": "09:00-20:00", "holidays": "11:00-15:00"})
    holiday = frozenset({date(2026, 1, 1)})
    assert not is_open(window, utc(2026, 1, 1, 7, 0), MOSCOW, holiday)  # 10:00
    assert is_open(window, utc(2026, 1, 1, 8, 0), MOSCOW, holiday)  # 11:00


def test_dst_moves_the_utc_instant_not_the_local_hours():
    berlin = ZoneInfo("Europe/Berlin")
    window = parse_window("w", {"daily": "09:00-17:00"})
    assert next_open(window, utc(2026, 3, 28, 20, 0), berlin) == utc(2026, 3, 29, 7, 0)  # CEST, UTC+2
    assert next_open(window, utc(2026, 3, 27, 20, 0), berlin) == utc(2026, 3, 28, 8, 0)  # CET, UTC+1


def test_spring_forward_gap_opens_just_after_the_gap():
    berlin = ZoneInfo("Europe/Berlin")
    window = parse_window("w", {"sun": "02:30-05:00"})  # 02:30 does not exist on 2026-03-29
    opened = next_open(window, utc(2026, 3, 28, 12, 0), berlin)
    assert opened is not None
    assert opened.astimezone(berlin).hour == 3


def test_closes_at_and_split_hours():
    window = parse_window("w", {"mon-fri": "10:00-13:00, 14:00-18:00"})
    at = utc(2026, 11, 23, 8, 0)  # 11:00 Moscow
    assert closes_at(window, at, MOSCOW) == utc(2026, 11, 23, 10, 0)
    assert not is_open(window, utc(2026, 11, 23, 10, 30), MOSCOW)  # lunch
    assert closes_at(window, utc(2026, 11, 23, 10, 30), MOSCOW) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"mon-fri": "20:00-09:00"}, "ends before it starts"),
        ({"mon-fri": "9-17"}, "expected a time like 09:00"),
        ({"funday": "09:00-17:00"}, "unknown day spec"),
        ({"mon-fri": "09:00-17:00", "fri": "10:00-12:00"}, "fri is given twice"),
        ({"mon": "09:00-13:00, 12:00-15:00"}, "overlap"),
        ({}, "expected a mapping"),
    ],
)
def test_bad_windows_are_refused_with_the_reason(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_window("w", spec)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad", "America/New_York"]),
)
def test_next_open_is_open_and_never_in_the_past(at, zone_name):
    zone = ZoneInfo(zone_name)
    opened = next_open(BUSINESS, at, zone)
    assert opened is not None and opened >= at
    assert is_open(BUSINESS, opened, zone)
