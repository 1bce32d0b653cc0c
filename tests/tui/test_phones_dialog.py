"""A supervisor changes a customer's phone numbers from the TUI: found by the search, changed in a dialog that
says a refusal under the fields and changes nothing then."""

from __future__ import annotations

from sqlmodel import select

from operator_tui.services import customer_phones
from operator_tui.services.database import Database
from operator_tui.store.tables import Customer, QueueEntry
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.help import key_rows
from operator_tui.tui.screens.phones import PhonesDialog
from operator_tui.tui.screens.supervisor import SupervisorHome
from operator_tui.tui.settings import Settings
from tests.conftest import actor
from tests.queue.helpers import MONDAY, place_all
from tests.tui.console import MOSCOW, SMALL, add, console_app, signed_in
from tests.tui.pilots import record_notifications, text


def numbers(db: Database, customer_id: int) -> tuple[str, str | None, str | None]:
    with db.read() as s:
        customer = s.get(Customer, customer_id)
        assert customer is not None
        return customer.phone, customer.alt_phone, customer.wrong_phones


async def open_dialog(keys, name: str) -> None:
    await keys("slash")
    await keys.type(name)
    await keys("enter", "enter")  # search, then open the first found


async def test_a_supervisor_gives_a_customer_another_number(db: Database) -> None:
    cid = add(db, "Anna", "Smirnova", "+74950000001")
    taken = add(db, "Boris", "Petrov", "+74950000002")
    place_all(db, MONDAY)  # in the queue already
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await open_dialog(keys, "Smirn")
        assert isinstance(app.screen, PhonesDialog)
        await keys("tab")
        await keys.type("+7 495 000-00-02")  # Boris's number: refused, nothing changed
        await keys("enter")
        assert isinstance(app.screen, PhonesDialog)
        assert f"That number belongs to customer #{taken}" in text(pilot, ".form-message")
        assert numbers(db, cid) == ("+74950000001", None, None)
        await keys(*["backspace"] * 16)
        await keys.type("8 916 123 45 67")
        await keys("enter")
        assert isinstance(app.screen, SupervisorHome)
        assert f"Customer #{cid}: saved; numbers to call: +7 495 000-00-01, +7 916 123-45-67." in notes.text()
    assert numbers(db, cid) == ("+74950000001", "+79161234567", None)


async def test_a_number_marked_wrong_by_mistake_is_cleared_and_the_customer_called_again(db: Database) -> None:
    cid = add(db, "Anna", "Smirnova", "+74950000001", wrong_phones="+74950000001")
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await open_dialog(keys, "Smirn")
        assert "Marked wrong by a call: +7 495 000-00-01" in text(pilot, "#phones-say")
        await keys("tab", "tab", "space", "ctrl+s")  # past the two numbers to the box, ticked
        assert "back in the queue, to be called on +7 495 000-00-01." in notes.text()
    assert numbers(db, cid) == ("+74950000001", None, None)
    with db.read() as s:
        assert s.exec(select(QueueEntry).where(QueueEntry.customer_id == cid)).first() is not None


async def test_numbers_changed_meanwhile_are_not_written_over(db: Database) -> None:
    cid = add(db, "Anna", "Smirnova", "+74950000001")
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await open_dialog(keys, "Smirn")
        customer_phones.set_phones(db, actor(db, "admin"), cid, alt_phone="+74951112233")  # another desk
        await keys("tab")
        await keys.type("+7 916 123-45-67")
        await keys("ctrl+s")
        assert "numbers meanwhile: open them again" in text(pilot, ".form-message")
        await keys("escape")
        assert isinstance(app.screen, SupervisorHome)
    assert numbers(db, cid) == ("+74950000001", "+74951112233", None)


async def test_a_bad_number_is_refused_in_the_supervisors_language(db: Database) -> None:
    cid = add(db, "Анна", "Смирнова", "+74950000001")
    app = OperatorTuiApp(db, language="ru", clock=FrozenClock(MONDAY), zone=MOSCOW, settings=Settings())
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await open_dialog(keys, "Смирн")
        await keys(*["backspace"] * 16)
        await keys.type("12")
        await keys("ctrl+s")
        assert "Основной номер 12 — не номер, на который можно позвонить" in text(pilot, ".form-message")
    assert numbers(db, cid) == ("+74950000001", None, None)


async def test_an_operator_takes_the_new_number_a_caller_gives_during_the_call(db: Database) -> None:
    cid = add(db, "Anna", "Smirnova", "+74950000001")
    place_all(db, MONDAY)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen)
        # The key bar says "c Numbers" where it has room (the 120-column snapshots); F1 says it in full.
        assert [row.description for row in key_rows(app.screen) if row.binding_id == "call.phones"] == [
            "Change the numbers"
        ]
        await keys("c")
        assert isinstance(app.screen, PhonesDialog)
        await keys(*["backspace"] * 16)
        await keys.type("8 916 123 45 67")
        await keys("enter", "enter")  # to the other number, left empty, and saved
        assert isinstance(app.screen, CallScreen)  # the call goes on, with the new number on the card
        assert "Saved. Numbers to call: +7 916 123-45-67." in notes.text()
        assert app.screen.card.phones == ["+79161234567"]
        assert "☎ +7 916 123-45-67" in " ".join(text(pilot, "#card-text").split())
    assert numbers(db, cid) == ("+79161234567", None, None)
