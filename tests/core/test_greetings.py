"""``{greeting}``: said by the hour on the customer's clock, in the script's language."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from operator_tui.core.greetings import greeting

MONDAY_0700_UTC = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "en", "ru"),
    [
        ("Europe/Kaliningrad", "Good morning", "Доброе утро"),  # 09:00
        ("Europe/Moscow", "Good morning", "Доброе утро"),  # 10:00
        ("Asia/Novosibirsk", "Good afternoon", "Добрый день"),  # 14:00
        ("Asia/Vladivostok", "Good afternoon", "Добрый день"),  # 17:00
        ("Asia/Magadan", "Good evening", "Добрый вечер"),  # 18:00
        ("Pacific/Kiritimati", "Good evening", "Добрый вечер"),  # 21:00
        ("America/New_York", "Hello", "Здравствуйте"),  # 02:00: night, no good evening or morning
    ],
)
def test_the_greeting_follows_the_customers_clock(zone: str, en: str, ru: str) -> None:
    local = MONDAY_0700_UTC.astimezone(ZoneInfo(zone))
    assert greeting(local, "en") == en
    assert greeting(local, "ru") == ru


def test_a_language_without_greetings_says_them_in_english() -> None:
    assert greeting(datetime(2026, 11, 23, 12, 0), "de") == "Good afternoon"


def test_the_hours_where_the_greeting_changes() -> None:
    said = [greeting(datetime(2026, 11, 23, hour, 0)) for hour in (4, 5, 11, 12, 17, 18, 22, 23, 0)]
    assert said == [
        "Hello", "Good morning", "Good morning", "Good afternoon", "Good afternoon", "Good evening", "Good evening",
        "Hello", "Hello",
    ]  # fmt: skip
