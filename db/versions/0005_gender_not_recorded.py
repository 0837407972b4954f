"""people.gender may be empty: sex not recorded (issue 18)

Before, a blank sex became 'female' (the column's default), and a man entered through a sheet
with the sex column empty counted as a woman. Now the column takes NULL for "not recorded" and
has no default. Existing rows keep their value: what was stored as 'female' stays 'female' (the
program cannot tell which of them were blanks).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from htx_desktop.store import search_index

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite rebuilds `people` (batch mode): its list search index and triggers are dropped
    # first and made again afterwards (store/search_index.py).
    search_index.uninstall(op.get_bind())
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('gender', existing_type=sa.String(length=10), nullable=True)
    search_index.install(op.get_bind())


def downgrade() -> None:
    # A person whose sex was not recorded had no value; the old schema needs one.
    op.execute("UPDATE people SET gender = 'other' WHERE gender IS NULL")
    search_index.uninstall(op.get_bind())
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('gender', existing_type=sa.String(length=10), nullable=False)
    search_index.install(op.get_bind())
