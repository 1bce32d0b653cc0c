"""Erasing a customer: personal data gone everywhere, anonymous figures kept, refusals change nothing; the audit
log is reportable."""

import json
from datetime import timedelta

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from operator_tui.cli.app import app
from operator_tui.services import audit_log, imports, privacy, queue, reports
from operator_tui.services.context import SYSTEM
from operator_tui.services.errors import InvalidInput, NotAllowed, NotFound
from operator_tui.store.tables import Answer, AuditEntry, Callback, ContactPermission, Customer, Interaction, Task
from tests.conftest import actor
from tests.queue.helpers import MONDAY, add_customer, entry_of, place_all, record

SECRET = "Ivan at +7 999 123-45-67, ask for Masha"
DETRACTOR = {"nps": "3", "reason": "2", "contact-ok": "y", "improve": SECRET}


def surveyed_detractor(db, operator):
    cid = add_customer(
        db,
        stage="retention",
        first_name="Ivan",
        last_name="Secretov",
        notes="VIP, calls at 9",
        alt_phone="+74950001122",
        wrong_phones="+74950001122",  # a call found the other number wrong
    )
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    assert claim.customer_id == cid
    record(db, operator, claim, "SURVEYED", answers=DETRACTOR, note=SECRET)
    return cid


def summary(db):
    result = reports.report(db, SYSTEM, reports.parse_period("2026-11-23", MONDAY.date()))
    return result.total


def test_erasure_removes_personal_data_and_keeps_the_figures(db, operator):
    cid = surveyed_detractor(db, operator)
    with db.read() as s:
        phone = s.get(Customer, cid).phone
    before = summary(db)
    done = privacy.erase_customer(db, SYSTEM, cid, now=MONDAY + timedelta(hours=1))
    assert (done.calls, done.answers_cleared) == (1, 1)
    with db.read() as s:
        customer = s.get(Customer, cid)
        assert (customer.first_name, customer.last_name, customer.phone, customer.notes) == ("", "", "", None)
        assert (customer.alt_phone, customer.wrong_phones) == (None, None)
        assert customer.dnc and customer.erased_at is not None and customer.stage  # the stage stays for reports
        call = s.exec(select(Interaction).where(Interaction.customer_id == cid)).one()
        assert call.note is None and call.outcome_code == "SURVEYED"
        answers = {a.node_id: (a.value_text, a.value_number) for a in s.exec(select(Answer))}
        assert answers["improve"] == (None, None) and answers["nps"][1] == 3
        assert all(t.status != "open" and t.note is None for t in s.exec(select(Task).where(Task.customer_id == cid)))
        permissions = s.exec(select(ContactPermission).where(ContactPermission.customer_id == cid)).all()
        # The consent the survey logged and the erasure's do-not-call entries (one a number): by the hash alone.
        assert sorted((p.kind, p.phone) for p in permissions) == sorted(
            [
                ("consent", privacy.phone_hash(phone)),
                ("dnc", privacy.phone_hash(phone)),
                ("dnc", privacy.phone_hash("+74950001122")),
            ]
        )
        everything = json.dumps([str(row) for row in s.exec(select(AuditEntry))], ensure_ascii=False)
        assert "Secretov" not in everything and "Masha" not in everything
    assert entry_of(db, cid) is None  # out of the queue for good
    assert summary(db) == before


def test_the_same_number_imported_again_comes_back_as_do_not_call(db, operator, tmp_path):
    cid = surveyed_detractor(db, operator)
    with db.read() as s:
        phone = s.get(Customer, cid).phone
    privacy.erase_customer(db, SYSTEM, cid)
    file = tmp_path / "again.csv"
    file.write_text(f"first_name,last_name,phone\nIvan,Secretov,{phone}\nNew,Person,+74951112233\n", encoding="utf-8")
    report = imports.import_customers(db, SYSTEM, file)
    assert (report.imported, report.suppressed) == (2, 1)  # the import says so
    with db.read() as s:
        dnc = dict(s.exec(select(Customer.phone, Customer.dnc).where(col(Customer.erased_at).is_(None))).all())
    assert dnc[phone] is True and dnc["+74951112233"] is False


def test_a_customer_on_a_call_is_refused_and_nothing_changes(db, operator):
    cid = add_customer(db, first_name="Busy")
    place_all(db)
    queue.next_customer(db, operator, now=MONDAY)
    with pytest.raises(InvalidInput, match="on a call right now"):
        privacy.erase_customer(db, SYSTEM, cid, now=MONDAY + timedelta(minutes=1))
    with db.read() as s:
        assert s.get(Customer, cid).first_name == "Busy"
        assert not s.exec(select(AuditEntry).where(AuditEntry.action == "customer.erase")).all()


def test_refusals(db, operator):
    cid = add_customer(db)
    with pytest.raises(NotAllowed):
        privacy.erase_customer(db, operator, cid)
    with pytest.raises(NotAllowed):
        privacy.erase_customer(db, actor(db, "sup01"), cid)
    with pytest.raises(NotFound):
        privacy.erase_customer(db, SYSTEM, 999_999)
    privacy.erase_customer(db, SYSTEM, cid)
    with pytest.raises(InvalidInput, match="erased already"):
        privacy.erase_customer(db, SYSTEM, cid)


def test_open_callbacks_are_cancelled(db, operator):
    cid = add_customer(db, first_name="Later")
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    record(db, operator, claim, "CALLBACK", callback_at=MONDAY + timedelta(hours=3), note="after lunch, ask for Ivan")
    done = privacy.erase_customer(db, SYSTEM, cid, now=MONDAY + timedelta(hours=1))
    assert done.callbacks_cancelled == 1
    with db.read() as s:
        callback = s.exec(select(Callback).where(Callback.customer_id == cid)).one()
    assert (callback.status, callback.note) == ("cancelled", None)
    with pytest.raises(queue.QueueEmpty):
        queue.next_customer(db, operator, now=MONDAY + timedelta(hours=4))


def test_audit_log_filters(db, operator):
    supervisor = actor(db, "sup01")
    cid = add_customer(db)
    privacy.erase_customer(db, SYSTEM, cid)
    everything = audit_log.entries(db, supervisor)
    assert everything[0].action == "customer.erase" and everything[0].login == "system"
    logins = audit_log.entries(db, supervisor, action="user.login")
    assert logins and {row.login for row in logins} <= {"op01", "sup01"}
    assert [row.login for row in audit_log.entries(db, supervisor, login="sup01", action="user")] == ["sup01"]
    assert len(audit_log.entries(db, supervisor, limit=1)) == 1
    with pytest.raises(NotAllowed):
        audit_log.entries(db, operator)
    with pytest.raises(InvalidInput, match="no user"):
        audit_log.entries(db, supervisor, login="nobody")
    with pytest.raises(InvalidInput, match="limit"):
        audit_log.entries(db, supervisor, limit=0)
    # A mistyped action is said to be one, not answered with an empty log; a known one that did not happen is empty.
    with pytest.raises(InvalidInput, match="no action 'usr': use one of call, customer, export"):
        audit_log.entries(db, supervisor, action="usr")
    assert audit_log.entries(db, supervisor, action="qa.resolve") == []


def test_cli_erase_and_audit(db_path):
    from operator_tui.services.database import open_database
    from operator_tui.store.engine import sqlite_url

    db = open_database(sqlite_url(db_path))
    cid = add_customer(db, first_name="Cli")
    db.close()
    runner = CliRunner()
    refused = runner.invoke(app, ["erase-customer", str(cid), "--db", str(db_path)], input="n\n")
    assert refused.exit_code == 1
    done = runner.invoke(app, ["erase-customer", str(cid), "--db", str(db_path), "--yes"])
    assert done.exit_code == 0 and f"Erased customer #{cid}" in done.output
    shown = runner.invoke(app, ["audit", "--db", str(db_path), "--action", "customer", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert [row["action"] for row in json.loads(shown.output)] == ["customer.erase"]
    bad = runner.invoke(app, ["audit", "--db", str(db_path), "--format", "xml"])
    assert bad.exit_code == 1
