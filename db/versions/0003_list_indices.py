"""list indices: full-text (trigram) indices for the lists' word search on SQLite (issue 10)

The lists search `LIKE '%word%'` on the folded names, which no B-tree index serves; at
100,000 cooperatives and 500,000 people each keystroke took 0.15 s and 0.8 s. On SQLite this
revision adds FTS5 trigram indices over `cooperatives`, `people` and `events`
(`htx_desktop/store/search_index.py`); the sort keys `name_key`/`title_key` already have their
B-tree indices (revision 0001), which the lists walk to fetch only their first window of rows.
PostgreSQL keeps the plain LIKE: nothing to do there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from htx_desktop.store import search_index

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    search_index.install(op.get_bind())


def downgrade() -> None:
    search_index.uninstall(op.get_bind())
