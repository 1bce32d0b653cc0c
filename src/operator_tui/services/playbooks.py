"""Check, load and read playbooks, keeping every used script and checklist version intact.

Loading is all-or-nothing: a playbook with any error is refused with every problem and the active one stays.
A script or checklist whose content changed gets a new version if the old one was used by a call (or review);
an unused version is simply replaced. Old calls and reviews keep pointing at the version they used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from operator_tui.core.playbook import (
    Checklist,
    Playbook,
    PlaybookError,
    Problem,
    Script,
    merge_documents,
    playbook_from_data,
    read_yaml,
)
from operator_tui.core.roles import Role
from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotFound
from operator_tui.store.tables import (
    ChecklistVersion,
    Customer,
    Interaction,
    PlaybookVersion,
    Review,
    ScriptVersion,
    User,
)


@dataclass
class VersionChange:
    kind: str  # script | checklist
    id: str
    version: int
    status: str  # new | unchanged | replaced | new-version

    def __str__(self) -> str:
        return f"{self.kind} {self.id} v{self.version}: {self.status}"


@dataclass
class LoadReport:
    playbook_version_id: int
    name: str
    changes: list[VersionChange] = field(default_factory=list)
    already: bool = False  # the same text was in force already: nothing was written


def read_source(path: Path) -> tuple[str, Any]:
    """The text to store and the parsed data of a playbook file or folder (``*.yaml`` files merged)."""
    if not path.exists():
        raise PlaybookError([Problem("", f"no such file or folder: {path}")])
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise PlaybookError([Problem("", f"no .yaml files in {path}")])
        documents = [(f.name, read_yaml(f.read_text(encoding="utf-8"), f.name)) for f in files]
        data = merge_documents(documents)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), data
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError([Problem("", f"cannot read {path}: {exc}")]) from None
    return text, read_yaml(text, path.name)


def check_file(path: Path) -> Playbook:
    """Parse and validate a playbook file or folder; raise PlaybookError listing every problem."""
    _, data = read_source(path)
    return playbook_from_data(data, path.name)


def canonical(model: BaseModel) -> tuple[str, str]:
    """Canonical JSON of a script or checklist without its version number, and its hash."""
    data = model.model_dump(mode="json", exclude={"version"})
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode()).hexdigest()


def load(db: Database, actor: Actor, path: Path) -> LoadReport:
    """Validate and activate the playbook at ``path`` (admins only)."""
    actor.require(Role.ADMIN, "Loading a playbook")
    text, data = read_source(path)
    playbook = playbook_from_data(data, path.name)
    return load_parsed(db, actor, text, playbook)


def load_parsed(db: Database, actor: Actor, text: str, playbook: Playbook) -> LoadReport:
    """Activate ``playbook``; the very text already in force is left as it is (``LoadReport.already``)."""
    actor.require(Role.ADMIN, "Loading a playbook")
    digest = hashlib.sha256(text.encode()).hexdigest()
    with db.write() as session:
        _refuse_orphaned_stages(session, playbook)
        current = _in_force(session)
        if current is not None and current.id is not None and current.content_hash == digest:
            report = LoadReport(current.id, playbook.name, already=True)
            for script in playbook.scripts:
                report.changes.append(_store_version(session, ScriptVersion, "script", script, current.id))
            for checklist in playbook.checklists:
                report.changes.append(_store_version(session, ChecklistVersion, "checklist", checklist, current.id))
            return report
        record = PlaybookVersion(
            name=playbook.name,
            source_text=text,
            content_hash=digest,
            active=True,
            loaded_by=actor.user_id,
        )
        if current is not None:
            current.active = False
            session.add(current)
        session.add(record)
        session.flush()
        assert record.id is not None
        report = LoadReport(record.id, playbook.name)
        for script in playbook.scripts:
            report.changes.append(_store_version(session, ScriptVersion, "script", script, record.id))
        for checklist in playbook.checklists:
            report.changes.append(_store_version(session, ChecklistVersion, "checklist", checklist, record.id))
        audit(
            session,
            actor,
            "playbook.load",
            "playbook",
            record.id,
            name=playbook.name,
            changes=[str(c) for c in report.changes if c.status != "unchanged"],
        )
    _ACTIVE_CACHE.clear()
    return report


def _refuse_orphaned_stages(session: Session, playbook: Playbook) -> None:
    stages = set(playbook.stage_ids())
    rows = session.exec(select(Customer.stage, func.count()).group_by(Customer.stage)).all()
    orphaned = [f"{count} customer(s) in stage {stage!r}" for stage, count in rows if stage not in stages]
    if orphaned:
        raise InvalidInput(
            "the new playbook drops stages that customers are in: "
            + "; ".join(orphaned)
            + ". Keep those stages (or move the customers) and load again.",
            orphaned,
        )


def _store_version(
    session: Session,
    table: type[ScriptVersion] | type[ChecklistVersion],
    kind: str,
    model: Script | Checklist,
    playbook_version_id: int,
) -> VersionChange:
    definition, digest = canonical(model)
    id_column = col(ScriptVersion.script_id) if table is ScriptVersion else col(ChecklistVersion.checklist_id)
    latest = cast(
        ScriptVersion | ChecklistVersion | None,
        session.exec(select(table).where(id_column == model.id).order_by(col(table.version).desc())).first(),
    )
    if latest is None:
        session.add(_version_row(table, model.id, model.version, digest, definition, playbook_version_id))
        return VersionChange(kind, model.id, model.version, "new")
    if latest.content_hash == digest:
        return VersionChange(kind, model.id, latest.version, "unchanged")
    if model.version <= latest.version and not _used(session, table, latest.id):
        latest.content_hash, latest.definition, latest.playbook_version_id = digest, definition, playbook_version_id
        session.add(latest)
        return VersionChange(kind, model.id, latest.version, "replaced (the old text was never used)")
    version = max(model.version, latest.version + 1)
    session.add(_version_row(table, model.id, version, digest, definition, playbook_version_id))
    return VersionChange(kind, model.id, version, f"new-version (v{latest.version} is kept for its calls)")


def _version_row(
    table: type[ScriptVersion] | type[ChecklistVersion],
    item_id: str,
    version: int,
    digest: str,
    definition: str,
    playbook_version_id: int,
) -> ScriptVersion | ChecklistVersion:
    if table is ScriptVersion:
        return ScriptVersion(
            script_id=item_id,
            version=version,
            content_hash=digest,
            definition=definition,
            playbook_version_id=playbook_version_id,
        )
    return ChecklistVersion(
        checklist_id=item_id,
        version=version,
        content_hash=digest,
        definition=definition,
        playbook_version_id=playbook_version_id,
    )


def _used(session: Session, table: type[ScriptVersion] | type[ChecklistVersion], version_id: int | None) -> bool:
    if table is ScriptVersion:
        used = select(Interaction.id).where(Interaction.script_version_id == version_id).limit(1)
    else:
        used = select(Review.id).where(Review.checklist_version_id == version_id).limit(1)
    return session.exec(used).first() is not None


_ACTIVE_CACHE: dict[int, Playbook] = {}


def _in_force(session: Session) -> PlaybookVersion | None:
    return session.exec(select(PlaybookVersion).where(col(PlaybookVersion.active))).first()


def _loaded(session: Session) -> PlaybookVersion:
    """The playbook version in force; NotFound, with the command that loads one, when there is none."""
    record = _in_force(session)
    if record is None:
        raise NotFound("no playbook is loaded: run `operator-tui playbook load FILE`")
    return record


def active(db: Database) -> Playbook:
    """The playbook in force (parsed once per loaded version and process)."""
    with db.read() as session:
        record = _loaded(session)
    assert record.id is not None
    if record.id not in _ACTIVE_CACHE:
        _ACTIVE_CACHE[record.id] = playbook_from_data(read_yaml(record.source_text), record.name)
    return _ACTIVE_CACHE[record.id]


@dataclass(frozen=True)
class ActiveSummary:
    """What the admin's screen says of the playbook in force."""

    name: str
    version_id: int
    loaded_at: datetime
    loaded_by: str | None  # a login; None when loaded by the system (``operator-tui init``, demo data)
    stages: int
    strategies: int
    scripts: int
    checklists: int
    outcomes: int


def summary(db: Database) -> ActiveSummary:
    """The playbook in force, who loaded it and when, and how much it holds."""
    playbook = active(db)
    with db.read() as session:
        record = _loaded(session)
        user = session.get(User, record.loaded_by) if record.loaded_by else None
    assert record.id is not None
    return ActiveSummary(
        name=playbook.name,
        version_id=record.id,
        loaded_at=record.loaded_at,
        loaded_by=user.login if user else None,
        stages=len(playbook.stages),
        strategies=len(playbook.strategies),
        scripts=len(playbook.scripts),
        checklists=len(playbook.checklists),
        outcomes=len(playbook.outcomes),
    )


@dataclass(frozen=True)
class PlaybookSource:
    """The playbook in force as it was loaded, for an admin or supervisor to read (the YAML, a folder's files
    merged)."""

    name: str
    version_id: int
    loaded_at: datetime
    text: str


def source(db: Database, actor: Actor) -> PlaybookSource:
    """The text of the playbook in force: what the queue, the scripts and the checklists run on now."""
    actor.require(Role.SUPERVISOR, "Reading the playbook")
    with db.read() as session:
        record = _loaded(session)
    assert record.id is not None
    return PlaybookSource(record.name, record.id, record.loaded_at, record.source_text)


def load_default(db: Database, actor: Actor) -> LoadReport:
    return load(db, actor, DEFAULT_PLAYBOOK)


def current_versions(db: Database) -> dict[str, dict[str, int]]:
    """The newest stored version id of each script and checklist: ``{"script": {id: row id}, ...}``."""
    out: dict[str, dict[str, int]] = {"script": {}, "checklist": {}}
    with db.read() as session:
        for sv in session.exec(select(ScriptVersion).order_by(col(ScriptVersion.version))):
            assert sv.id is not None
            out["script"][sv.script_id] = sv.id
        for cv in session.exec(select(ChecklistVersion).order_by(col(ChecklistVersion.version))):
            assert cv.id is not None
            out["checklist"][cv.checklist_id] = cv.id
    return out
