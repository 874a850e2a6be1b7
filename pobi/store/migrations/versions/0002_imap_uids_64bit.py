"""IMAP UIDVALIDITY and UIDs as 64-bit integers

Both are unsigned 32-bit numbers in IMAP (RFC 3501/9051): up to 4 294 967 295, beyond
PostgreSQL's signed INTEGER. A server whose UIDVALIDITY was 2 509 244 358 made collection fail
on PostgreSQL ("integer out of range"); SQLite's INTEGER is 64-bit and was never affected.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mailbox_cursors") as batch:
        batch.alter_column("uidvalidity", type_=sa.BigInteger(), existing_nullable=False)
        batch.alter_column("last_uid", type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("mailbox_cursors") as batch:
        batch.alter_column("last_uid", type_=sa.Integer(), existing_nullable=False)
        batch.alter_column("uidvalidity", type_=sa.Integer(), existing_nullable=False)
