"""Imports: all-or-nothing, every bad row by line, column and reason; VICIdial's layout too."""

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from operator_tui.services import exports, imports
from operator_tui.services.errors import InvalidInput, NotAllowed
from operator_tui.store.tables import AuditEntry, ContactPermission, Customer, Purchase, StageChange

VICIDIAL_ROWS = [
    "3857822|31022|105|7|9161234567|MR|Ivan||Petrov|ul. Lenina 1|kv. 2||Moscow||||RU|M|1980-01-02|84952223344"
    "|ivan@example.ru||VIP client",
    "3857823|31022|105|7|83432123456|MRS|Anna|S|Ivanova||||Yekaterinburg||||||||||",
    "3857824|31022|105|1|4155552671|MS|Jane||Doe||||San Francisco|CA||94107|US|F|||jane@example.com||"
    "|2|DNC|2007-08-09 00:00:00",
]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def customer_count(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Customer)).one()


def test_native_csv_imports_with_e164_phones_zones_and_stage_history(db, admin, tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "phone,first_name,last_name,stage,segment,dnc\n"
        "+7 495 222-33-44,Иван,Петров,,b2c,no\n8 (4012) 12-34-56,Анна,Кузнецова,retention,vip,yes\n",
    )
    report = imports.import_customers(db, admin, path)
    assert report.ok and report.imported == 2
    with db.read() as s:
        rows = s.exec(select(Customer).order_by(Customer.id)).all()
        assert [(c.phone, c.time_zone, c.stage, c.dnc) for c in rows] == [
            ("+74952223344", "Europe/Moscow", "contact", False),
            ("+74012123456", "Europe/Kaliningrad", "retention", True),
        ]
        assert s.exec(select(func.count()).select_from(StageChange)).one() == 2
        assert s.exec(select(ContactPermission)).one().kind == "dnc"
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "import.customers")).one()


def test_vicidial_pipe_file_without_header(db, admin, tmp_path):
    report = imports.import_customers(db, admin, write(tmp_path, "leads.txt", "\n".join(VICIDIAL_ROWS) + "\n"))
    assert report.ok, [str(e) for e in report.errors]
    assert (report.layout, report.imported) == ("vicidial", 3)
    with db.read() as s:
        ivan = s.exec(select(Customer).where(Customer.external_ref == "3857822")).one()
        assert (ivan.phone, ivan.alt_phone, ivan.notes, ivan.source) == (
            "+79161234567",
            "+74952223344",
            "VIP client",
            "31022",
        )
        assert ivan.address == "ul. Lenina 1, kv. 2"
        jane = s.exec(select(Customer).where(Customer.external_ref == "3857824")).one()
        assert (jane.phone, jane.time_zone, jane.region, jane.dnc) == (
            "+14155552671",
            "America/Los_Angeles",
            "CA",
            True,
        )
        anna = s.exec(select(Customer).where(Customer.external_ref == "3857823")).one()
        assert anna.time_zone == "Asia/Yekaterinburg"


def test_vicidial_tab_file_with_header(db, admin, tmp_path):
    header = "vendor_lead_code\tsource_code\tlist_id\tphone_code\tphone_number\tfirst_name\tlast_name\n"
    path = write(tmp_path, "leads.tsv", header + "A1\tweb\t101\t7\t4952223344\tОльга\tСидорова\n")
    report = imports.import_customers(db, admin, path)
    assert report.ok and report.layout == "vicidial"


def test_one_bad_row_and_nothing_is_imported_every_problem_reported(db, admin, tmp_path):
    text = (
        "phone,first_name,stage,time_zone,email\n"
        "+74952223344,Ok,contact,,\n"
        "12,Bad phone,contact,,\n"
        "+74952223345,Bad stage,nowhere,Mars/Base,not-an-email\n"
        "+7 495 222-33-44,Duplicate,contact,,\n"
    )
    report = imports.import_customers(db, admin, write(tmp_path, "bad.csv", text))
    assert not report.ok and report.imported == 0
    found = [str(e) for e in report.errors]
    assert found[0].startswith("line 3, column phone: '12' is not")
    assert "line 4, column time_zone: unknown time zone 'Mars/Base' (use IANA names like Europe/Moscow)" in found
    assert any(f.startswith("line 4, column stage: unknown stage 'nowhere'") for f in found)
    assert "line 4, column email: 'not-an-email' is not an e-mail address" in found
    assert "line 5, column phone: +74952223344 duplicates line 2" in found
    assert customer_count(db) == 0


def test_missing_required_column_and_misspelt_column(db, admin, tmp_path):
    report = imports.import_customers(db, admin, write(tmp_path, "c.csv", "first_name,phnoe\nIvan,+74952223344\n"))
    found = [str(e) for e in report.errors]
    assert "line 1, column #2: unknown column 'phnoe' (did you mean 'phone'?)" in found
    assert "line 1, column phone: required column 'phone' is missing from the header" in found
    assert customer_count(db) == 0


def test_phone_already_in_the_database_is_a_duplicate_unless_skipped(db, admin, tmp_path):
    first = write(tmp_path, "a.csv", "phone\n+74952223344\n")
    assert imports.import_customers(db, admin, first).ok
    again = write(tmp_path, "b.csv", "phone\n+74952223344\n+74952223399\n")
    report = imports.import_customers(db, admin, again)
    assert [str(e) for e in report.errors] == ["line 2, column phone: +74952223344 already belongs to customer #1"]
    assert customer_count(db) == 1
    report = imports.import_customers(db, admin, again, skip_duplicates=True)
    assert report.ok and report.imported == 1 and len(report.skipped) == 1
    assert customer_count(db) == 2


def test_dry_run_writes_nothing(db, admin, tmp_path):
    report = imports.import_customers(db, admin, write(tmp_path, "a.csv", "phone\n+74952223344\n"), dry_run=True)
    assert report.ok and report.rows == 1 and report.imported == 0
    assert customer_count(db) == 0


def test_not_utf8_gets_a_clear_message_and_cp1251_works_when_asked(db, admin, tmp_path):
    path = write(tmp_path, "win.csv", "phone,first_name\n+74952223344,Иван\n", encoding="cp1251")
    with pytest.raises(InvalidInput, match=r"not UTF-8.*--encoding cp1251"):
        imports.import_customers(db, admin, path)
    assert imports.import_customers(db, admin, path, encoding="cp1251").ok
    with db.read() as s:
        assert s.exec(select(Customer)).one().first_name == "Иван"


def test_operators_may_not_import(db, operator, tmp_path):
    with pytest.raises(NotAllowed):
        imports.import_customers(db, operator, write(tmp_path, "a.csv", "phone\n+74952223344\n"))


def test_purchases_update_totals_and_refuse_unknown_customers(db, admin, tmp_path):
    imports.import_customers(db, admin, write(tmp_path, "c.csv", "external_ref,phone\nC1,+74952223344\n"))
    bad = write(tmp_path, "p.csv", "customer_ref,at,amount\nC1,2026-10-01,1500\nC9,2026-10-02,100\nC1,yesterday,-5\n")
    report = imports.import_purchases(db, admin, bad)
    found = [str(e) for e in report.errors]
    assert "line 3, column customer_ref: no customer with customer_ref 'C9'" in found
    assert any(f.startswith("line 4, column at:") for f in found)
    assert any(f.startswith("line 4, column amount:") for f in found)
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(Purchase)).one() == 0
    good = write(
        tmp_path,
        "p2.csv",
        "customer_ref,at,amount,product\nC1,2026-10-01,1500,Paper\nC1,2026-11-01 12:30,2 500.50,Desk\n",
    )
    assert imports.import_purchases(db, admin, good).imported == 2
    with db.read() as s:
        c = s.exec(select(Customer)).one()
        assert (c.purchases_count, c.revenue_total) == (2, 4000.5)
        assert c.last_purchase_at.isoformat().startswith("2026-11-01T12:30")


def purchases(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Purchase)).one()


def test_an_order_is_counted_once_in_one_currency_and_never_in_the_future(db, admin, tmp_path):
    """A second import of the same export, an order twice in one file, another currency or a date next year is
    refused with its line and nothing is written; with skip_duplicates the orders imported before are left out."""
    imports.import_customers(db, admin, write(tmp_path, "c.csv", "external_ref,phone\nC1,+74952223344\n"))
    first = write(tmp_path, "p.csv", "customer_ref,at,amount,external_ref\nC1,2026-10-01,1500,ORD-1\n")
    assert imports.import_purchases(db, admin, first).imported == 1
    again = imports.import_purchases(db, admin, first)
    assert [str(e) for e in again.errors] == ["line 2, column external_ref: order 'ORD-1' is imported already"]
    bad = write(
        tmp_path,
        "bad.csv",
        "customer_ref,at,amount,currency,external_ref\n"
        "C1,2026-10-02,100,RUB,ORD-2\nC1,2026-10-03,100,RUB,ORD-2\nC1,2026-10-04,100,EUR,ORD-3\n"
        "C1,2099-06-01,100,RUB,ORD-4\n",
    )
    found = [str(e) for e in imports.import_purchases(db, admin, bad).errors]
    assert "line 3, column external_ref: order 'ORD-2' is on line 2 too" in found
    assert any(f.startswith("line 4, column currency: EUR, but line 2 is in RUB") for f in found)
    assert "line 5, column at: 2099-06-01 is in the future" in found
    euros = write(tmp_path, "eur.csv", "customer_ref,at,amount,currency\nC1,2026-10-05,10,EUR\n")
    assert [str(e) for e in imports.import_purchases(db, admin, euros).errors] == [
        "line 2, column currency: EUR, but the base's purchases are in RUB"
    ]
    assert purchases(db) == 1
    overlap = write(
        tmp_path, "o.csv", "customer_ref,at,amount,external_ref\nC1,2026-10-01,1500,ORD-1\nC1,2026-10-06,700,ORD-5\n"
    )
    report = imports.import_purchases(db, admin, overlap, skip_duplicates=True)
    assert (report.imported, [str(e) for e in report.skipped]) == (
        1,
        ["line 2, column external_ref: order 'ORD-1' is imported already"],
    )
    with db.read() as s:
        assert s.exec(select(Customer)).one().revenue_total == 2200


def test_a_birth_date_in_the_future_is_refused_and_the_russian_way_is_read(db, admin, tmp_path):
    path = write(tmp_path, "c.csv", "phone,birth_date\n+74952223344,2030-01-01\n+74952223345,31.12.1980\n")
    found = [str(e) for e in imports.import_customers(db, admin, path).errors]
    assert found == ["line 2, column birth_date: 2030-01-01 is in the future"]
    fixed = write(tmp_path, "c2.csv", "phone,birth_date\n+74952223345,31.12.1980\n")
    assert imports.import_customers(db, admin, fixed).imported == 1
    with db.read() as s:
        assert str(s.exec(select(Customer.birth_date)).one()) == "1980-12-31"


def test_export_reimports_into_another_database(db, admin, tmp_path, template_db):
    import csv
    import io
    import json
    import shutil

    from operator_tui.services.database import open_database
    from operator_tui.store.engine import sqlite_url

    imports.import_customers(db, admin, write(tmp_path, "leads.txt", "\n".join(VICIDIAL_ROWS) + "\n"))
    out = io.StringIO()
    assert exports.export(db, admin, "customers", "csv", out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["phone"] for r in rows] == ["+79161234567", "+73432123456", "+14155552671"]
    other_path = tmp_path / "other.db"
    shutil.copyfile(template_db, other_path)
    other = open_database(sqlite_url(other_path))
    report = imports.import_customers(other, admin, write(tmp_path, "export.csv", out.getvalue()))
    assert report.ok and report.imported == 3
    out = io.StringIO()
    exports.export(db, admin, "customers", "json", out)
    assert [c["external_ref"] for c in json.loads(out.getvalue())] == ["3857822", "3857823", "3857824"]


def test_export_refuses_unknown_format_and_operators(db, admin, operator):
    import io

    with pytest.raises(InvalidInput, match="use csv or json"):
        exports.export(db, admin, "customers", "xml", io.StringIO())
    with pytest.raises(NotAllowed):
        exports.export(db, operator, "customers", "csv", io.StringIO())
