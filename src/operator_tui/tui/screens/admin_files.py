"""The admin's work with files on this computer: load a playbook, import customers or purchases.

Each file is checked whole before anything is written: a playbook with a problem, or a file with one bad row, is
refused with the problems named and changes nothing. A clean customer or purchase file is imported on a second
press of its key (the first one only checks), so the admin reads how many rows go in before they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import work
from textual.content import Content

from operator_tui.core.playbook import PlaybookError
from operator_tui.services import imports, playbooks
from operator_tui.services.errors import ServiceError
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.refusals import worded
from operator_tui.tui.screens.note import NotePrompt

SHOWN_PROBLEMS = 8  # problems of a refused file listed on the screen (the command line lists them all)


@dataclass(frozen=True)
class FileKind:
    """What one import key takes: its texts (in English, translated when shown) and the service that reads it."""

    name: str  # customers | purchases
    binding: str
    key: str  # the binding's key before any keymap
    title: str
    question: str
    placeholder: str
    checked: str
    imported: str


KINDS = {
    "customers": FileKind(
        "customers",
        "admin.import",
        "i",
        N_("Import customers"),
        N_("The customer file (CSV, or a VICIdial lead file), on this computer:"),
        N_("e.g. /srv/center/leads.csv"),
        N_("[b]$file[/b]: $rows customers in $layout layout, every row good. [b $accent]$key[/] again imports them."),
        N_("Imported {count} customers from {file}; the queue has them."),
    ),
    "purchases": FileKind(
        "purchases",
        "admin.purchases",
        "b",
        N_("Import purchases"),
        N_("The purchase file (CSV: customer_ref or phone, at, amount, …), on this computer:"),
        N_("e.g. /srv/center/orders.csv"),
        N_("[b]$file[/b]: $rows purchases, each of a known customer. [b $accent]$key[/] again imports them."),
        N_("Imported {count} purchases from {file}; values and risks are scored again."),
    ),
}


def _missing(path: str) -> str | None:
    """The refusal of a path that is not there (the dialog stays open to correct it)."""
    return None if Path(path).expanduser().exists() else _("No such file or folder: {path}").format(path=path)


def _playbook_refusal(path: str) -> str | None:
    """A path that is not there, or a playbook with problems, is said in the dialog, still open to correct the path
    (or fix the file and press Enter again); parsing it takes a few milliseconds."""
    missing = _missing(path)
    if missing:
        return missing
    try:
        playbooks.check_file(Path(path).expanduser())
    except PlaybookError as exc:
        return _problems(path, exc)
    return None


def _problems(path: str, exc: PlaybookError) -> str:
    count = len(exc.problems)
    lines = [
        ngettext("Not loaded: {path} has {count} problem.", "Not loaded: {path} has {count} problems.", count).format(
            path=path, count=count
        )
    ]
    return "\n".join(lines + [f"  {problem}" for problem in exc.problems[:SHOWN_PROBLEMS]])


class AdminFiles:
    """Mixed into the admin's home (which gives ``db``, ``actor``, ``say``, ``key_for``, ``load``, ``notify``)."""

    checked_file: tuple[str, str] | None = None  # (kind, path) of a file checked clean: its key again imports it

    def action_load_playbook(self: Any) -> None:
        self.checked_file = None
        prompt = NotePrompt(
            _("Load a playbook"),
            _("The playbook's file or folder (of .yaml files), on this computer:"),
            placeholder=_("e.g. /srv/center/playbook.yaml"),
            required=_("Give the file or folder to load."),
            enter_says=_("Enter checks and loads · Esc back"),
            check=_playbook_refusal,
        )
        self.app.push_screen(prompt, self._load_from)

    def _load_from(self: Any, path: str | None) -> None:
        if path:
            self.say(_("Checking {path}…").format(path=path))
            self._load_playbook(path)

    @work(thread=True, exclusive=True, group="admin-playbook", exit_on_error=False)
    def _load_playbook(self: Any, path: str) -> None:
        missing = _missing(path)  # checked in the dialog already; gone (or broken, below) since, it says so here
        if missing:
            self.app.call_from_thread(self.say, missing, error=True)
            return
        try:
            report = playbooks.load(self.db, self.actor, Path(path).expanduser())
        except PlaybookError as exc:
            self.app.call_from_thread(self.say, _problems(path, exc), error=True)
            return
        except ServiceError as exc:
            self.app.call_from_thread(self.say, worded(exc), error=True)
            return
        changed = [str(c) for c in report.changes if c.status != "unchanged"]
        said = (
            _("{name} is in force already (version {version}): nothing changed.")
            if report.already
            else _("Loaded {name} (version {version}).")
        ).format(name=report.name, version=report.playbook_version_id)
        self.app.call_from_thread(self.notify, "\n".join([said, *changed]), title=_("Playbook"))
        self.app.call_from_thread(self._say_keys)
        self.load()

    def action_import_customers(self: Any) -> None:
        self._start_import(KINDS["customers"])

    def action_import_purchases(self: Any) -> None:
        self._start_import(KINDS["purchases"])

    def _start_import(self: Any, kind: FileKind) -> None:
        if self.checked_file is not None and self.checked_file[0] == kind.name:
            path = self.checked_file[1]
            self.checked_file = None
            self.say(_("Importing {path}…").format(path=path))
            self._import(kind, path, dry_run=False)
            return
        self.checked_file = None
        prompt = NotePrompt(
            _(kind.title),
            _(kind.question),
            placeholder=_(kind.placeholder),
            required=_("Give the file to import."),
            enter_says=_("Enter checks the file · Esc back"),
            check=_missing,
        )
        self.app.push_screen(prompt, lambda path: self._import_from(kind, path))

    def _import_from(self: Any, kind: FileKind, path: str | None) -> None:
        if path:
            self.say(_("Checking {path}…").format(path=path))
            self._import(kind, path, dry_run=True)

    @work(thread=True, exclusive=True, group="admin-import", exit_on_error=False)
    def _import(self: Any, kind: FileKind, path: str, *, dry_run: bool) -> None:
        source = Path(path).expanduser()
        try:
            if kind.name == "customers":
                report = imports.import_customers(self.db, self.actor, source, dry_run=dry_run)
            else:
                report = imports.import_purchases(self.db, self.actor, source, dry_run=dry_run)
        except ServiceError as exc:
            self.app.call_from_thread(self.say, worded(exc), error=True)
            return
        self.app.call_from_thread(self._imported, kind, path, report)

    def _imported(self: Any, kind: FileKind, path: str, report: imports.ImportReport) -> None:
        if not report.ok:
            count = len(report.errors)
            lines = [
                ngettext(
                    "Not imported: {file} has {count} problem; nothing was written.",
                    "Not imported: {file} has {count} problems; nothing was written.",
                    count,
                ).format(file=report.file, count=count)
            ]
            lines += [f"  {problem}" for problem in report.errors[:SHOWN_PROBLEMS]]
            if len(report.errors) > SHOWN_PROBLEMS:
                lines.append(
                    _("  … and {more} more (operator-tui import {kind} FILE --dry-run lists them all)").format(
                        more=len(report.errors) - SHOWN_PROBLEMS, kind=kind.name
                    )
                )
            self.say("\n".join(lines), error=True)
        elif report.dry_run:
            self.checked_file = (kind.name, path)
            self.say(
                Content.from_markup(
                    _(kind.checked),
                    file=report.file,
                    rows=str(report.rows),
                    layout=report.layout,
                    key=self.key_for(kind.binding, kind.key),
                )
            )
        else:
            said = _(kind.imported).format(count=report.imported, file=report.file)
            if report.suppressed:  # not called, ever: their number's earlier owner had their data erased
                said += "\n" + ngettext(
                    "{n} of them is on the do-not-call list: their number was erased before.",
                    "{n} of them are on the do-not-call list: their numbers were erased before.",
                    report.suppressed,
                ).format(n=report.suppressed)
            self.notify(said, title=_("Import"))
            self._say_keys()
