"""The command line end to end: exit codes, messages, and that refused commands change nothing."""

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from operator_tui.cli.app import app
from operator_tui.playbooks import DEFAULT_PLAYBOOK

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def test_playbook_check_ok_and_broken(tmp_path):
    ok = run("playbook", "check", DEFAULT_PLAYBOOK)
    assert ok.exit_code == 0 and "6 strategies" in ok.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        DEFAULT_PLAYBOOK.read_text(encoding="utf-8").replace("window: daytime-weekdays", "window: nightly"),
        encoding="utf-8",
    )
    result = run("playbook", "check", broken)
    assert result.exit_code == 1
    assert "strategies[4].window: unknown window 'nightly'" in result.output


def test_init_import_export_round(tmp_path):
    db = tmp_path / "center.db"
    result = run("init", "--db", db, "--admin-pin", "4321")
    assert result.exit_code == 0, result.output
    assert run("init", "--db", db, "--admin-pin", "4321").exit_code == 1
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "phone,first_name,last_name\n+74952223344,Иван,Петров\n+73432123456,Анна,Иванова\n", encoding="utf-8"
    )
    dry = run("import", "customers", leads, "--db", db, "--dry-run")
    assert dry.exit_code == 0 and "would be imported" in dry.output
    assert count(db, "customer") == 0
    assert run("import", "customers", leads, "--db", db).exit_code == 0
    assert count(db, "customer") == 2
    more = tmp_path / "more.csv"
    more.write_text("phone,first_name\n+74952223344,Иван\n+74952223399,Олег\n", encoding="utf-8")
    dry = run("import", "customers", more, "--db", db, "--dry-run", "--skip-duplicates")
    assert "1 row(s) in native layout would be imported, 1 skipped" in dry.output  # as the real run will
    out = tmp_path / "out.json"
    assert run("export", "customers", "--db", db, "--format", "json", "--output", out).exit_code == 0
    assert [c["phone"] for c in json.loads(out.read_text(encoding="utf-8"))] == [
        "+74952223344",
        "+73432123456",
    ]


def test_bad_rows_exit_1_list_every_row_and_import_nothing(tmp_path, db_path):
    leads = tmp_path / "bad.csv"
    leads.write_text("phone,first_name\n+74952223344,Ok\nnot-a-phone,Bad\n+74952223344,Dup\n", encoding="utf-8")
    result = run("import", "customers", leads, "--db", db_path)
    assert result.exit_code == 1
    assert "2 problem(s); nothing was imported" in result.output
    assert "line 3, column phone:" in result.output and "line 4, column phone:" in result.output
    assert count(db_path, "customer") == 0


def test_an_unwritable_database_path_is_a_clear_error(tmp_path):
    result = run("init", "--db", tmp_path / "no" / "such" / "dir.db", "--admin-pin", "1234")
    assert result.exit_code == 1
    assert "the directory" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_users_list_and_unlock(db_path):
    result = run("users", "list", "--db", db_path)
    assert result.exit_code == 0 and "op01" in result.output and "sup01" in result.output
    assert run("users", "unlock", "nobody", "--db", db_path).exit_code == 1


def test_users_deactivate_activate_and_set_team(db_path):
    assert run("users", "deactivate", "op02", "--db", db_path).output.strip() == "Deactivated op02."
    listed = run("users", "list", "--db", db_path).output
    assert any(line.split("│")[1].strip() == "op02" and "no" in line for line in listed.splitlines() if "│" in line)
    refused = run("users", "deactivate", "nobody", "--db", db_path)
    assert refused.exit_code == 1 and "no user nobody" in refused.output
    assert run("users", "activate", "op02", "--db", db_path).exit_code == 0
    assert run("users", "set-team", "op02", "Night", "--db", db_path).output.strip() == "op02 is now in team Night."
    assert run("users", "set-team", "op02", "--db", db_path).output.strip() == "op02 is now in no team."


def test_db_status_and_upgrade(db_path):
    assert "current" in run("db", "status", "--db", db_path).output
    assert run("db", "upgrade", "--db", db_path).exit_code == 0


def test_demo_data_refuses_to_overwrite_without_force(db_path):
    result = run("demo-data", "--db", db_path, "--customers", "5")
    assert result.exit_code == 1 and "--force" in result.output


@pytest.mark.parametrize("args", [["--db", "x.db", "--url", "sqlite://"]])
def test_db_and_url_together_are_refused(args, tmp_path):
    result = run("users", "list", *args)
    assert result.exit_code == 1 and "not both" in result.output


def test_queue_explain_status_and_rescore(db_path, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text("phone,first_name,time_zone\n+74952223344,Иван,Asia/Vladivostok\n", encoding="utf-8")
    assert run("import", "customers", leads, "--db", db_path).exit_code == 0
    explained = run("queue", "explain", "1", "--db", db_path, "--at", "2030-11-25T13:00")
    assert explained.exit_code == 0, explained.output
    assert "not callable now" in explained.output and "window is closed" in explained.output
    assert "first-contact: eligible from Tue 26 Nov 09:00 local (business-hours window)" in explained.output
    status = run("queue", "status", "--db", db_path, "--at", "2030-11-25T13:00")
    assert status.exit_code == 0 and "first-contact" in status.output and "window opens" in status.output
    assert run("queue", "explain", "999", "--db", db_path).exit_code == 1
    assert run("queue", "status", "--db", db_path, "--at", "yesterday").exit_code == 1
    rescored = run("rescore", "--db", db_path)
    assert rescored.exit_code == 0 and "Rescored 1 customers" in rescored.output


def test_bench_queue_prints_one_json_object(tmp_path):
    result = run(
        "bench",
        "queue",
        "--customers",
        "300",
        "--operators",
        "1",
        "--seconds",
        "1",
        "--folder",
        tmp_path / "bench",
        "--json",
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in (
        "cycles_per_s",
        "claim_p50_ms",
        "claim_p99_ms",
        "record_p99_ms",
        "double_claims",
        "lost_outcomes",
        "customers",
        "operators",
    ):
        assert key in figures
    assert figures["customers"] == 300 and figures["double_claims"] == 0 and figures["lost_outcomes"] == 0


def test_set_phone_changes_numbers_and_refuses_bad_ones(db_path, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text("phone,first_name\n+74952223344,Иван\n", encoding="utf-8")
    assert run("import", "customers", leads, "--db", db_path).exit_code == 0
    done = run("set-phone", "1", "--alt", "8 495 222-33-55", "--db", db_path)
    assert done.exit_code == 0, done.output
    assert "other number changed; numbers to call: +74952223344, +74952223355" in done.output
    bad = run("set-phone", "1", "--phone", "123", "--db", db_path)
    assert bad.exit_code == 1 and "the main number 123 is not a phone number" in bad.output
    assert run("set-phone", "1", "--db", db_path).exit_code == 1  # nothing said to change
    assert run("set-phone", "1", "--alt", "+74952223366", "--no-alt", "--db", db_path).exit_code == 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select phone, alt_phone from customer where id = 1").fetchone() == (
            "+74952223344",
            "+74952223355",
        )
