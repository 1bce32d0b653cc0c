"""``operator-tui set-phone``: a customer's numbers changed by hand (a new number for one whose calls all reached
the wrong person)."""

from __future__ import annotations

from typing import Annotated

import typer

from operator_tui.cli.common import console, fail, open_db, refusals
from operator_tui.cli.options import DbOption, UrlOption
from operator_tui.services import customer_phones
from operator_tui.services.context import SYSTEM

FIELD_NAMES = {"phone": "main number", "alt_phone": "other number", "wrong_phones": "wrong-number marks"}


@refusals
def set_phone(
    customer_id: Annotated[int, typer.Argument(help="The customer's number (#id on the card).")],
    phone: Annotated[str | None, typer.Option(help="The new main number.")] = None,
    alt: Annotated[str | None, typer.Option(help="The new other number.")] = None,
    no_alt: Annotated[bool, typer.Option("--no-alt", help="Take the other number away.")] = False,
    clear_wrong: Annotated[
        bool, typer.Option("--clear-wrong", help="The numbers a call marked wrong are right after all.")
    ] = False,
    db: DbOption = None,
    url: UrlOption = None,
) -> None:
    """Change a customer's phone numbers; one whose numbers were all wrong comes back into the queue."""
    if phone is None and alt is None and not no_alt and not clear_wrong:
        raise fail("say what to change: --phone, --alt, --no-alt or --clear-wrong")
    if alt is not None and no_alt:
        raise fail("--alt and --no-alt contradict each other")
    done = customer_phones.set_phones(
        open_db(db, url), SYSTEM, customer_id, phone=phone, alt_phone=alt, remove_alt=no_alt, clear_marks=clear_wrong
    )
    console.print(
        f"Customer #{done.customer_id}: {' and '.join(FIELD_NAMES[f] for f in done.changed)} changed; "
        + (f"numbers to call: {', '.join(done.phones)}" if done.phones else "no number left to call")
        + ("; back in the queue." if done.queued else ".")
    )
