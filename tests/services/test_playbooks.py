"""Loading playbooks: all-or-nothing, and script/checklist versions that calls used never change."""

from pathlib import Path

import pytest
from sqlmodel import col, select

from operator_tui.core.playbook import PlaybookError
from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services import playbooks
from operator_tui.services.errors import InvalidInput, NotAllowed
from operator_tui.store.tables import Customer, Interaction, PlaybookVersion, ScriptVersion


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PLAYBOOK.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def script_versions(db, script_id: str) -> list[tuple[int, str]]:
    with db.read() as s:
        rows = s.exec(
            select(ScriptVersion).where(ScriptVersion.script_id == script_id).order_by(col(ScriptVersion.version))
        ).all()
        return [(r.version, r.definition) for r in rows]


def add_call(db, script_version_id: int) -> None:
    with db.write() as s:
        customer = Customer(phone="+74952223344", time_zone="Europe/Moscow", stage="retention")
        s.add(customer)
        s.flush()
        s.add(
            Interaction(
                attempt_id="a1",
                customer_id=customer.id,
                operator_id=1,
                outcome_code="SURVEYED",
                started_at=customer.created_at,
                script_version_id=script_version_id,
            )
        )


def test_unchanged_reload_keeps_versions(db, admin):
    report = playbooks.load(db, admin, DEFAULT_PLAYBOOK)
    assert {c.status for c in report.changes} == {"unchanged"}
    assert [v for v, _ in script_versions(db, "nps-survey")] == [1]


def test_an_edit_of_a_used_script_makes_a_new_version_and_keeps_the_old(db, admin, tmp_path):
    with db.read() as s:
        v1 = s.exec(select(ScriptVersion).where(ScriptVersion.script_id == "nps-survey")).one()
    add_call(db, v1.id)
    path = edited(
        tmp_path,
        "Thank you, {customer.first_name}! Your answers",
        "Many thanks, {customer.first_name}! Your answers",
    )
    report = playbooks.load(db, admin, path)
    change = next(c for c in report.changes if c.id == "nps-survey")
    assert (change.version, change.status.split()[0]) == (2, "new-version")
    versions = script_versions(db, "nps-survey")
    assert [v for v, _ in versions] == [1, 2]
    assert versions[0][1] == v1.definition  # the version the call used is untouched
    assert "Many thanks" in versions[1][1]
    assert playbooks.current_versions(db)["script"]["nps-survey"] != v1.id


def test_an_edit_of_an_unused_script_replaces_it(db, admin, tmp_path):
    path = edited(tmp_path, "Thank you for being honest with us.", "Thank you for your honesty.")
    report = playbooks.load(db, admin, path)
    change = next(c for c in report.changes if c.id == "win-back")
    assert change.version == 1 and change.status.startswith("replaced")
    assert "honesty" in script_versions(db, "win-back")[0][1]


def test_a_broken_playbook_is_refused_and_the_active_one_stays(db, admin, tmp_path):
    with db.read() as s:
        before = s.exec(select(PlaybookVersion).where(col(PlaybookVersion.active))).one().id
    path = edited(tmp_path, "next: convenient", "next: convenint")
    with pytest.raises(PlaybookError, match="unknown node 'convenint'"):
        playbooks.load(db, admin, path)
    with db.read() as s:
        assert s.exec(select(PlaybookVersion).where(col(PlaybookVersion.active))).one().id == before
    assert playbooks.active(db).name == "Customer lifecycle (default)"


def test_dropping_a_stage_customers_are_in_is_refused(db, admin, tmp_path):
    with db.write() as s:
        s.add(Customer(phone="+74952223344", time_zone="Europe/Moscow", stage="loyalty"))
    path = tmp_path / "other.yaml"
    path.write_text(
        Path(playbooks.__file__).parent.parent.joinpath("playbooks", "buttle.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="1 customer\\(s\\) in stage 'loyalty'"):
        playbooks.load(db, admin, path)


def test_a_folder_playbook_merges_its_files(db, admin, tmp_path):
    import yaml

    data = yaml.safe_load(DEFAULT_PLAYBOOK.read_text(encoding="utf-8"))
    folder = tmp_path / "pb"
    folder.mkdir()
    scripts = data.pop("scripts")
    (folder / "main.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "scripts.yaml").write_text(yaml.safe_dump({"scripts": scripts}, allow_unicode=True), encoding="utf-8")
    assert playbooks.check_file(folder).script("nps-survey").nodes[1].type == "nps"


def test_only_admins_load_playbooks(db, supervisor):
    with pytest.raises(NotAllowed):
        playbooks.load(db, supervisor, DEFAULT_PLAYBOOK)


def test_the_playbook_in_force_loaded_again_changes_nothing(db, admin):
    before = playbooks.summary(db).version_id
    report = playbooks.load(db, admin, DEFAULT_PLAYBOOK)
    assert report.already and report.playbook_version_id == before
    assert playbooks.summary(db).version_id == before


def test_the_text_in_force_is_read_by_supervisors_and_admins_only(db, admin, supervisor, operator, tmp_path) -> None:
    path = edited(tmp_path, "name: Customer lifecycle (default)", "name: Customer lifecycle (edited)")
    loaded = playbooks.load(db, admin, path)
    shown = playbooks.source(db, supervisor)
    assert shown.version_id == loaded.playbook_version_id and shown.name == "Customer lifecycle (edited)"
    assert shown.text == path.read_text(encoding="utf-8")  # as loaded, comments and all
    with pytest.raises(NotAllowed):
        playbooks.source(db, operator)
