"""Alembic environment: online only, on the connection the program hands over.

`htx_desktop.store.migrate` puts an open connection (already in a transaction, foreign keys
off on SQLite) in `config.attributes["connection"]`; there is no alembic.ini.
"""

from __future__ import annotations

from alembic import context

from htx_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    # The SQLite full-text indices (store/search_index.py: `people_fts` and its shadow tables
    # `people_fts_data`, …) are not models; autogenerate must not propose dropping them.
    return not (type_ == "table" and name is not None and "_fts" in name)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through htx_desktop.store.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by rebuilding them; PostgreSQL alters them in place.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
