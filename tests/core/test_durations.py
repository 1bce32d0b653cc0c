from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_tui.core.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2h", 7200), ("30m", 1800), ("1d12h", 129600), ("90d", 7776000), ("2w", 1209600), ("90s", 90)],
)
def test_parses(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["soon", "2", "h2", "-1h", "0m", "", "2 hours", 5])
def test_refuses_with_hint(text):
    with pytest.raises(ValueError, match="expected a duration like 2h"):
        parse_duration(text)


@given(st.integers(1, 10**8))
def test_format_round_trips(seconds):
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta
