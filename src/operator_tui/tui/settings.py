"""The user's settings: a small YAML file in the platform's config folder, checked by a pydantic model.

``config.yaml`` beside ``keymap.yaml`` (``platformdirs.user_config_dir("operator-tui")``)::

    dial_command: "linphonecsh dial {phone}"   # run with the customer's number when the operator presses d

Like the keymap, reading it must never stop the app: a missing file means the defaults, a broken one means the
defaults and a problem to show. This module reads one small file and does no other I/O.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from platformdirs import user_config_dir
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

APP_NAME = "operator-tui"
SETTINGS_FILE = "config.yaml"
PHONE = "{phone}"


class Settings(BaseModel):
    """What a user may set; unknown keys are refused so that a misspelt key is not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dial_command: str | None = None
    """A command line run with the customer's number, e.g. ``linphonecsh dial {phone}``; without ``{phone}`` the
    number is added as the last argument. It runs without a shell: no pipes, no ``;``."""

    @field_validator("dial_command")
    @classmethod
    def _splittable(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            parts = shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot split {value!r} into arguments: {exc}") from None
        if not parts:
            return None
        return value


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings = field(default_factory=Settings)
    problems: list[str] = field(default_factory=list)


def settings_path() -> Path:
    return Path(user_config_dir(APP_NAME)) / SETTINGS_FILE


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Read ``path`` (default: :func:`settings_path`); a missing file gives the defaults."""
    path = settings_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings()
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSettings(problems=[f"cannot read {path}: {exc}"])
    return parse_settings(text, source=str(path))


def parse_settings(text: str, *, source: str = SETTINGS_FILE) -> LoadedSettings:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return LoadedSettings(problems=[f"{source} is not valid YAML; the defaults apply"])
    if data is None:
        return LoadedSettings()
    if not isinstance(data, dict):
        return LoadedSettings(problems=[f"{source} must map settings to values, like `dial_command: ...`"])
    try:
        return LoadedSettings(Settings.model_validate(data))
    except ValidationError as exc:
        problems = [f"{source}: {'.'.join(map(str, e['loc'])) or 'file'}: {_message(e['msg'])}" for e in exc.errors()]
        return LoadedSettings(problems=problems)


def _message(text: str) -> str:
    return text.removeprefix("Value error, ")
