"""Alembic environment: online only, on the connection the program hands over.

`htx_desktop.store.migrate` puts an open connection (already in a transaction, foreign keys
off on SQLite) in `config.attributes["connection"]`; there is no alembic.ini.
"""

from __future__ import annotations

from alembic import context

from htx_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


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
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
