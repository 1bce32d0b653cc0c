"""The translations: every text of the TUI is in each catalogue, translated, and the shipped ``.mo`` is compiled from
the ``.po`` as it is now. When this fails after a change of texts (see ``operator_tui.tui.i18n``)::

    pybabel extract -F src/operator_tui/locale/babel.cfg -k said -o /tmp/operator_tui.pot --no-location --omit-header .
    pybabel update -i /tmp/operator_tui.pot -d src/operator_tui/locale -D operator_tui --no-fuzzy-matching
    (translate the new entries in src/operator_tui/locale/ru/LC_MESSAGES/operator_tui.po)
    pybabel compile -d src/operator_tui/locale -D operator_tui
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from operator_tui import services
from operator_tui.tui import i18n

SOURCES = Path(i18n.__file__).parent
REFUSALS = Path(services.__file__).parent  # the services' refusals a TUI user may meet: ServiceError.said(...)
TRANSLATED = [language for language in i18n.LANGUAGES if language != i18n.DEFAULT_LANGUAGE]
Key = str | tuple[str, str]  # msgid, or (msgctxt, msgid)
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|\$[a-z_]+|%\([a-z_]+\)[sd]|\[/?[a-z $-]*\]")
"""What a translation must keep as it is: format fields, content variables and markup tags."""


def po_path(language: str) -> Path:
    return i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def read_catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def extracted() -> dict[Key, tuple[str, list[str]]]:
    """Every message marked in the TUI's sources: key -> (msgid or its plural, where it is)."""
    found: dict[Key, tuple[str, list[str]]] = {}
    for filename, lineno, message, _comments, context in [
        *extract_from_dir(SOURCES),
        *extract_from_dir(REFUSALS, keywords={"said": None}),
    ]:
        msgid = message[0] if isinstance(message, tuple) else message
        if not msgid:
            continue
        key: Key = (context, msgid) if context else msgid
        found.setdefault(key, (msgid, []))[1].append(f"{filename}:{lineno}")
    return found


def test_the_sources_have_texts_to_translate() -> None:
    found = extracted()
    assert len(found) > 300
    assert "Next customer" in found and ("month", "May") in found
    assert "say what you dispute and why" in found  # a service's refusal, raised with ServiceError.said


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated(language: str) -> None:
    catalogue = read_catalogue(language)
    problems = []
    for key, (msgid, where) in sorted(extracted().items(), key=lambda item: str(item[0])):
        context = key[0] if isinstance(key, tuple) else None
        message = catalogue.get(msgid, context=context)
        if message is None:
            problems.append(f"missing: {msgid!r} ({where[0]})")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({where[0]})")
        elif not all(message.string) if isinstance(message.string, tuple) else not message.string:
            problems.append(f"untranslated: {msgid!r} ({where[0]})")
    assert not problems, f"{len(problems)} problem(s) in {po_path(language)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_markup(language: str) -> None:
    problems = []
    for message in read_catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and (found := set(PLACEHOLDER.findall(string))) != wanted:
                problems.append(f"{ids[0]!r}: {sorted(wanted)} in English, {sorted(found)} in {string!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_has_no_texts_the_sources_lost(language: str) -> None:
    keys = extracted()
    stale = []
    for message in read_catalogue(language):
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if msgid and ((message.context, msgid) if message.context else msgid) not in keys:
            stale.append(msgid)
    assert not stale, f"remove from {po_path(language)} (or run pybabel update):\n" + "\n".join(map(repr, stale))


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_text_is_in_the_catalogue_once(language: str) -> None:
    """Babel reads a repeated entry without a word (the last one wins); gettext's msgfmt refuses the file."""
    seen: dict[tuple[str | None, str], int] = {}
    context = None
    for number, line in enumerate(po_path(language).read_text().splitlines(), 1):
        if line.startswith("msgctxt "):
            context = line
        elif line.startswith("msgid ") and line != 'msgid ""':
            key = (context, line)
            assert key not in seen, f"{po_path(language)}:{number} repeats line {seen[key]}: {line}"
            seen[key] = number
            context = None


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_up_to_date(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(language))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with po_path(language).with_suffix(".mo").open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    assert _texts(shipped) == _texts(fresh), "the .mo is stale: run pybabel compile -d src/operator_tui/locale"
    assert shipped.plural(1) == 0 and shipped.plural(3) == 1 and shipped.plural(5) == 2 and shipped.plural(21) == 0


def _texts(translations: gettext.GNUTranslations) -> dict[object, str]:
    """The catalogue's entries, its header without the line that names the Babel release that compiled it (a newer
    release compiles the same texts with another line there)."""
    catalog: dict[object, str] = dict(translations._catalog)  # type: ignore[attr-defined]
    catalog[""] = "\n".join(line for line in catalog[""].splitlines() if not line.startswith("Generated-By:"))
    return catalog


def test_the_language_comes_from_the_locale() -> None:
    assert i18n.language_from_environment({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert i18n.language_from_environment({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}) == "en"
    assert i18n.language_from_environment({"LANGUAGE": "de:ru", "LANG": "en_US.UTF-8"}) == "ru"
    assert i18n.language_from_environment({"LC_MESSAGES": "de_DE"}) == "en"
    assert i18n.language_from_environment({}) == "en"


def test_russian_plurals_and_dates() -> None:
    from datetime import datetime

    i18n.set_language("ru")
    try:
        forms = [i18n.ngettext("{n} call", "{n} calls", n).format(n=n) for n in (1, 2, 5, 11, 21, 22)]
        assert forms == ["1 звонок", "2 звонка", "5 звонков", "11 звонков", "21 звонок", "22 звонка"]
        assert i18n.strftime(datetime(2026, 5, 4, 9, 30), "%a %d %b %H:%M") == "пн 04 мая 09:30"
        assert i18n.strftime(datetime(2026, 5, 4), "%B %Y") == "май 2026"
    finally:
        i18n.set_language("en")
    assert i18n.strftime(datetime(2026, 5, 4, 9, 30), "%a %d %b %H:%M") == "Mon 04 May 09:30"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(i18n.UnknownLanguage, match="unknown language 'de': use en or ru"):
        i18n.set_language("de")
    assert i18n.current_language() == "en"


def test_a_services_refusal_reads_in_the_ui_language(db, operator) -> None:
    """The service raises in English (the command line's language) and the TUI says it in the user's."""
    from operator_tui.services import operators, qa_disputes
    from operator_tui.services.errors import ServiceError
    from operator_tui.tui.refusals import worded

    refusals = []
    for attempt in (
        lambda: qa_disputes.open_dispute(db, operator, review_id=999, reason="unfair"),
        lambda: qa_disputes.open_dispute(db, operator, review_id=999, reason="  "),
        lambda: operators.set_state(db, operator, "paused", reason="NAP"),
    ):
        with pytest.raises(ServiceError) as refused:
            attempt()
        refusals.append(refused.value)
    assert [str(e) for e in refusals][:2] == ["no review #999", "say what you dispute and why"]
    assert str(refusals[2]).startswith("a pause needs a reason: BREAK")
    i18n.set_language("ru")
    try:
        worded_ru = [worded(e) for e in refusals]
    finally:
        i18n.set_language("en")
    assert worded_ru[:2] == ["Нет проверки №999", "Напишите, что вы оспариваете и почему"]
    assert worded_ru[2].startswith("Для паузы нужна причина: BREAK")
    assert [worded(e) for e in refusals] == [str(e)[:1].upper() + str(e)[1:] for e in refusals]  # its own words


def test_waits_are_said_in_the_interface_language() -> None:
    from datetime import UTC, datetime, timedelta

    from operator_tui.tui.clock import until

    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    i18n.set_language("ru")
    try:
        said = [until(now + wait, now) for wait in (timedelta(hours=2, minutes=34), timedelta(minutes=7))]
        said += [until(now + timedelta(days=days), now) for days in (2, 5, 21)] + [until(now, now)]
    finally:
        i18n.set_language("en")
    assert said == ["через 2 ч 34 мин", "через 7 мин", "через 2 дня", "через 5 дней", "через 21 день", "сейчас"]
    assert until(now + timedelta(hours=2, minutes=5), now) == "in 2 h 05 min"
