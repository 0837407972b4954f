"""PostgreSQL for the tests: a template database with the reference data, copied per test.

HTX_TEST_PG_URL names a throw-away server (`build/pg-test-cluster.sh start` prints it); tests
that need it skip without it. HTX_TEST_BACKEND=postgresql makes the shared `db` fixture a
PostgreSQL database, so the store, indicator and consolidation suites run on both backends
(`.ci/run` runs them a second time so). The template is built once per test session; each test
gets `CREATE DATABASE … TEMPLATE …` (a file copy on the server, ~0.1 s) and drops it after.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from htx_desktop.store.engine import Database
from htx_desktop.store.engine_pg import create_pg_engine, normalise_url

PG_URL = os.environ.get("HTX_TEST_PG_URL", "")
BACKEND = os.environ.get("HTX_TEST_BACKEND", "sqlite")
HOME_PROVINCE = "19"  # as tests/conftest.py: Thái Nguyên
NO_PG = "needs PostgreSQL: set HTX_TEST_PG_URL (bash build/pg-test-cluster.sh start DIR)"
requires_pg = pytest.mark.skipif(not PG_URL, reason=NO_PG)


@dataclass
class PgServer:
    """Makes and drops databases on the test server; names carry the pid (parallel runs)."""

    url: URL
    template: str | None = None
    made: list[str] = field(default_factory=list)
    _numbers: Iterator[int] = field(default_factory=count)

    def _admin(self) -> Engine:
        # CREATE/DROP DATABASE cannot run inside a transaction.
        return create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def create(self, template: str | None = None) -> URL:
        name = f"htx_t{os.getpid()}_{next(self._numbers)}"
        admin = self._admin()
        try:
            with admin.connect() as conn:
                source = f' TEMPLATE "{template}"' if template else ""
                conn.execute(text(f'CREATE DATABASE "{name}"{source}'))
        finally:
            admin.dispose()
        self.made.append(name)
        return self.url.set(database=name)

    def drop(self, url: URL) -> None:
        admin = self._admin()
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        finally:
            admin.dispose()
        if url.database in self.made:
            self.made.remove(url.database)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(self.url.set(database=name))


def build_template(server: PgServer, home_province: str) -> URL:
    """A migrated database with all reference data and the home unit (as the SQLite one)."""
    from htx_desktop.store.migrate import upgrade_to_head
    from htx_desktop.store.reference import find_unit, load_reference, load_targets
    from htx_desktop.store.settings import set_setting

    url = server.create()
    db = Database(create_pg_engine(url))
    try:
        upgrade_to_head(db.engine, None, None)
        with db.session() as session:
            load_reference(session)
            province = find_unit(session, home_province)
            assert province is not None
            load_targets(session, province.id)
            set_setting(session, "home_unit_id", province.id)
    finally:
        db.close()  # a template must have no open connection
    return url


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if not PG_URL:
        pytest.skip(NO_PG)
    server = PgServer(normalise_url(PG_URL))
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> URL:
    return build_template(pg_server, HOME_PROVINCE)


@pytest.fixture
def pg_url(pg_server: PgServer, pg_template: URL) -> Iterator[URL]:
    """The URL of a private PostgreSQL database with the reference data (dropped after)."""
    url = pg_server.create(template=pg_template.database)
    yield url
    pg_server.drop(url)


@pytest.fixture
def pg_db(pg_url: URL) -> Iterator[Database]:
    """As `db`, on PostgreSQL: national units, ethnic groups, plan lines, targets, home unit =
    province 19."""
    db = Database(create_pg_engine(pg_url))
    yield db
    db.close()
