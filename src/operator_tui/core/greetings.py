"""The greeting a call opens with, said by the hour where the customer is: ``{greeting}`` in script texts.

A script written "Good afternoon, {customer.first_name}!" is wrong for the customer in Vladivostok whom the operator
in Moscow calls at 10:00 (it is 17:00 there), and for everyone called before noon. ``{greeting}`` says "Good
morning" from 05:00, "Good afternoon" from 12:00 and "Good evening" from 18:00 of the customer's own clock, and a
plain "Hello" at night, from 23:00 (nobody is wished a good evening at two in the morning: a customer who called in,
or one found by search outside their window), in the language the script is shown in (English for a language without
greetings here).
"""

from __future__ import annotations

from datetime import datetime

from operator_tui.core.text import DEFAULT_LANGUAGE

GREETINGS: dict[str, tuple[tuple[int, str], ...]] = {
    "en": ((5, "Good morning"), (12, "Good afternoon"), (18, "Good evening"), (23, "Hello")),
    "ru": ((5, "Доброе утро"), (12, "Добрый день"), (18, "Добрый вечер"), (23, "Здравствуйте")),
}
"""Per language: (the hour it starts, the greeting), in the day's order; before the first, the last one (the
night's) holds."""


def greeting(local: datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """The greeting for ``local``, a time on the customer's clock."""
    table = GREETINGS.get(language) or GREETINGS[DEFAULT_LANGUAGE]
    said = table[-1][1]
    for starts, text in table:
        if local.hour >= starts:
            said = text
    return said
