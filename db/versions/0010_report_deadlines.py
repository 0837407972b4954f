"""report deadlines: the reporting calendar the receiving unit sets per period (issue 21 point 4)

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # One row per period whose deadline differs from the default (25 December of the period's
    # last year); a period without a row has the default.
    op.create_table(
        'report_deadlines',
        sa.Column('period', sa.String(length=20), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('set_by', sa.String(length=200), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('period', name=op.f('pk_report_deadlines')))


def downgrade() -> None:
    op.drop_table('report_deadlines')
