"""reviews and receipts: the receiving unit's decision on each submission, and the receipts a
sending unit received for its exports (issue 21)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'submission_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('decision', sa.String(length=12), nullable=False),
        sa.Column('comments', sa.JSON(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('receipt_written_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('receipt_file', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_submission_reviews_submission_id_submissions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_reviews')),
        sa.UniqueConstraint('submission_id', name=op.f('uq_submission_reviews_submission_id')))
    op.create_table(
        'export_receipts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('export_id', sa.Integer(), nullable=False),
        sa.Column('decision', sa.String(length=12), nullable=False),
        sa.Column('comments', sa.JSON(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('from_unit', sa.String(length=20), nullable=False),
        sa.Column('signer_fingerprint', sa.String(length=64), nullable=False),
        sa.Column('file_name', sa.String(length=300), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['export_id'], ['exports.id'],
                                name=op.f('fk_export_receipts_export_id_exports'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_receipts')),
        sa.UniqueConstraint('export_id', name=op.f('uq_export_receipts_export_id')))


def downgrade() -> None:
    op.drop_table('export_receipts')
    op.drop_table('submission_reviews')
