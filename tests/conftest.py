"""Shared fixtures: a real database per test with the schema, the default playbook and a few users.

``db`` is a SQLite file (a copy of a per-process template) or, for the test folders in ``BOTH_BACKENDS``, also a
PostgreSQL database (``CREATE DATABASE ... TEMPLATE``) on a throwaway server that each test process starts itself
(tests/pg.py): those tests run once per backend, with ids ``[sqlite]`` and ``[postgresql]``.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from operator_tui.core.roles import Role
from operator_tui.services import accounts, auth, playbooks
from operator_tui.services.context import SYSTEM, Actor
from operator_tui.services.database import Database, open_database
from operator_tui.store.engine import sqlite_url
from tests import pg

# Screens show times in the machine's own zone unless the app is given one: the suite reads the same on every
# machine (snapshots included) in UTC. Set before anything asks the zone; worker processes inherit it.
os.environ["TZ"] = "UTC"
time.tzset()

# Machines here are shared and noisy: a property test must fail on a wrong answer, never on a slow example.
settings.register_profile("operator-tui", deadline=None)
settings.load_profile("operator-tui")

DEMO_PINS = {"op01": "1111", "op02": "1111", "sup01": "2222", "admin": "0000"}


BOTH_BACKENDS = ("services", "queue", "qa", "reports")
"""Test folders whose tests that use a database run on SQLite and on PostgreSQL."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    if "backend" in metafunc.fixturenames and metafunc.definition.path.parent.name in BOTH_BACKENDS and not sqlite_only:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database behind ``db``: SQLite, or each backend in turn in the folders of ``BOTH_BACKENDS``."""
    return str(getattr(request, "param", "sqlite"))


def make_db(where: Path | str) -> Database:
    """A new database (a SQLite file path or a URL) with the default playbook and users op01, op02 (team A),
    sup01, admin."""
    db = open_database(sqlite_url(where) if isinstance(where, Path) else where, create=True)
    playbooks.load_default(db, SYSTEM)
    accounts.create_user(db, SYSTEM, login_name="admin", full_name="Admin", role=Role.ADMIN, pin="0000")
    accounts.create_user(
        db,
        SYSTEM,
        login_name="sup01",
        full_name="Svetlana Supervisor",
        role=Role.SUPERVISOR,
        pin="2222",
        team="Team A",
    )
    for login in ("op01", "op02"):
        accounts.create_user(
            db,
            SYSTEM,
            login_name=login,
            full_name=f"Operator {login[-1]}",
            role=Role.OPERATOR,
            pin="1111",
            team="Team A",
        )
    return db


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test process: schema, playbook and users cost seconds (PIN hashing is slow on purpose)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    make_db(path).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path, request: pytest.FixtureRequest) -> Path:
    """A SQLite file only: a test that also runs on PostgreSQL must use ``db_url`` for the same database."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("backend", "sqlite") != "sqlite":
        pytest.fail("db_path is SQLite's; on PostgreSQL use db_url (e.g. --url instead of --db)", pytrace=False)
    path = tmp_path / "test.db"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.Cluster]:
    """This test process's own PostgreSQL server (xdist workers do not share one: nothing to coordinate, and
    each stops its own). Missing binaries fail the PostgreSQL variants unless OPERATOR_TUI_TESTS_NO_PG=1."""
    if os.environ.get(pg.NO_PG_ENV, "") not in ("", "0"):
        pytest.skip(f"PostgreSQL variants skipped: {pg.NO_PG_ENV} is set")
    try:
        cluster = pg.start()
    except pg.PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: pg.Cluster) -> str:
    """The template database, made once per test process like ``template_db``."""
    pg_cluster.execute("CREATE DATABASE template_app")
    make_db(pg_cluster.url("template_app")).close()
    return "template_app"


@pytest.fixture
def pg_url(pg_cluster: pg.Cluster, pg_template: str) -> Iterator[str]:
    """A fresh copy of the template (a file copy: about 0.1 s), dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {pg_template} STRATEGY FILE_COPY")
    yield pg_cluster.url(name)
    pg_cluster.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest) -> str:
    """The URL of this test's database, on the test's backend."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return sqlite_url(request.getfixturevalue("db_path"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()


def actor(db: Database, login: str) -> Actor:
    return auth.login(db, login, DEMO_PINS[login])


@pytest.fixture
def operator(db: Database) -> Actor:
    return actor(db, "op01")


@pytest.fixture
def supervisor(db: Database) -> Actor:
    return actor(db, "sup01")


@pytest.fixture
def admin(db: Database) -> Actor:
    return actor(db, "admin")
