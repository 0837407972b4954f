"""supervision visits: a Union officers' visit to a cooperative (issue 26)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervision_visits",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("cooperative_id", sa.String(length=36), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("visitors", sa.String(length=500), nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("follow_up_done", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperatives.id"],
            name=op.f("fk_supervision_visits_cooperative_id_cooperatives")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"],
            name=op.f("fk_supervision_visits_submission_id_submissions")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_supervision_visits_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_visits")),
    )
    with op.batch_alter_table("supervision_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_visits_cooperative_id"),
                              ["cooperative_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_visits_submission_id"),
                              ["submission_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_visits_unit_id"), ["unit_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("supervision_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_visits_unit_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_visits_submission_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_visits_cooperative_id"))
    op.drop_table("supervision_visits")
