"""The interface language: the one place the TUI's texts are translated (stdlib ``gettext``).

Every text an operator or a supervisor reads is written in English in the code, wrapped in :func:`_` (or
:func:`ngettext` where a count decides the form; Russian has three), and looked up at the moment it is shown in the
catalogue of the language chosen by :func:`set_language`. The app calls it once, before it builds any screen.

Texts made at import time (a binding's description, a screen's ``SUB_TITLE``, a table's column names) are only
marked with :func:`N_` so that the extractor finds them; whoever shows them passes them through :func:`_` then
(the key bar, the help screen, the screens' own ``__init__``). So the language may be chosen after the modules are
imported, and no lazy-string object ever reaches Textual.

Catalogues: ``operator_tui/locale/<lang>/LC_MESSAGES/operator_tui.po`` (edited by people) and ``.mo`` (compiled by
Babel, shipped in the package); ``tests/tui/test_catalogue.py`` fails when a text is missing, untranslated, fuzzy or
when the ``.mo`` is older than the ``.po``. The playbook's texts are not here: they come from the playbook in the
same language (the signed-in actor carries it).

This module reads the catalogue files and the process environment, nothing else; it must never import Textual,
so the launcher can use it before the app is loaded.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

DOMAIN = "operator_tui"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "ru")
"""The interface languages: English is written in the code, the others have a catalogue."""
DEFAULT_LANGUAGE = "en"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale is read from, in gettext's own order of precedence."""

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


class UnknownLanguage(ValueError):
    """A language the interface has no texts for; the message names the ones it has."""

    def __init__(self, language: str) -> None:
        super().__init__(f"unknown language {language!r}: use {' or '.join(LANGUAGES)}")
        self.language = language


def check_language(language: str) -> str:
    """``language`` as the interface knows it (``RU`` -> ``ru``); :class:`UnknownLanguage` if it has no texts."""
    code = language.strip().lower()
    if code not in LANGUAGES:
        raise UnknownLanguage(language)
    return code


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The interface language the locale asks for (``ru_RU.UTF-8`` -> ``ru``), else English.

    Like gettext, the first of ``LANGUAGE`` (a colon-separated list of preferences), ``LC_ALL``, ``LC_MESSAGES`` and
    ``LANG`` that is set decides; ``C`` and ``POSIX`` mean English.
    """
    env = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = env.get(variable, "")
        if not value:
            continue
        for wanted in value.split(":"):
            code = wanted.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Show every text from now on in ``language`` (one of :data:`LANGUAGES`)."""
    global _translations, _language
    code = check_language(language)
    if code == DEFAULT_LANGUAGE:
        _translations = _gettext.NullTranslations()
    else:
        _translations = _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code])
    _language = code


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """``message`` in the interface language (itself when the catalogue has no translation)."""
    return _translations.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular`` / ``plural`` that goes with ``n``, in the interface language."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the interface language where the same English word reads differently (``May``)."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now: it is translated where it is shown."""
    return message


def weekday_abbr(day: date) -> str:
    names = (
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    )
    return names[day.weekday()]


def month_abbr(day: date) -> str:
    """The month after a day number: ``23 Nov``, ``23 ноя``, ``7 мая``."""
    names = (
        pgettext("month after a day", "Jan"),
        pgettext("month after a day", "Feb"),
        pgettext("month after a day", "Mar"),
        pgettext("month after a day", "Apr"),
        pgettext("month after a day", "May"),
        pgettext("month after a day", "Jun"),
        pgettext("month after a day", "Jul"),
        pgettext("month after a day", "Aug"),
        pgettext("month after a day", "Sep"),
        pgettext("month after a day", "Oct"),
        pgettext("month after a day", "Nov"),
        pgettext("month after a day", "Dec"),
    )
    return names[day.month - 1]


def month_name(day: date) -> str:
    """The month on its own, as in ``November 2026``."""
    names = (
        pgettext("month", "January"),
        pgettext("month", "February"),
        pgettext("month", "March"),
        pgettext("month", "April"),
        pgettext("month", "May"),
        pgettext("month", "June"),
        pgettext("month", "July"),
        pgettext("month", "August"),
        pgettext("month", "September"),
        pgettext("month", "October"),
        pgettext("month", "November"),
        pgettext("month", "December"),
    )
    return names[day.month - 1]


_NUMBER_MARKS = {"en": (",", "."), "ru": ("\u00a0", ",")}
"""(thousands separator, decimal mark) per interface language: ``12,345.6`` / ``12 345,6`` (a no-break space, so
a figure never wraps inside)."""


def number(x: float, decimals: int = 0, *, sign: bool = False) -> str:
    """``x`` written the interface language's way, thousands grouped, with ``decimals`` places (and ``+`` when
    ``sign``)."""
    text = f"{x:{'+' if sign else ''},.{decimals}f}"
    thousands, point = _NUMBER_MARKS.get(_language, _NUMBER_MARKS[DEFAULT_LANGUAGE])
    return "".join(thousands if c == "," else point if c == "." else c for c in text)


def strftime(moment: date | datetime, pattern: str) -> str:
    """``moment.strftime(pattern)`` with the names of days and months (``%a``, ``%b``, ``%B``) in the interface
    language, whatever the process's C locale says."""
    names = {"%a": weekday_abbr(moment), "%b": month_abbr(moment), "%B": month_name(moment)}
    for directive, name in names.items():
        pattern = pattern.replace(directive, name.replace("%", "%%"))
    return moment.strftime(pattern)
