"""signing keys: the senders' keys this unit knows, and the unit's own key on a server (issue 19)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sender_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_code', sa.String(length=20), nullable=False),
        sa.Column('public_key', sa.String(length=64), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted_by', sa.String(length=200), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sender_keys')))
    with op.batch_alter_table('sender_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sender_keys_unit_code'), ['unit_code'],
                              unique=False)
    op.create_table(
        'unit_signing_keys',
        sa.Column('unit_code', sa.String(length=20), nullable=False),
        sa.Column('private_key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('unit_code', name=op.f('pk_unit_signing_keys')))


def downgrade() -> None:
    op.drop_table('unit_signing_keys')
    with op.batch_alter_table('sender_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sender_keys_unit_code'))
    op.drop_table('sender_keys')
