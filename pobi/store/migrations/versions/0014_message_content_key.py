"""messages: a normalised-content key, and the link from a reused Message-ID to its first use

Before this, a message whose Message-ID was already stored in the round was skipped as a
duplicate, and distinct evidence was lost (broken or anonymised Message-IDs are common). Now:
same bytes -> stored once; same normalised content (``content_key``, probes/fingerprint.py) ->
stored once; same Message-ID, other content -> stored, flagged ``message_id_reused`` and linked
through ``message_id_reused_of`` to the first message with that Message-ID.

Rows stored before this revision keep an empty ``content_key``: they are still found by their
bytes; the key is computed for every message stored from now on.

Revision ID: 0014
Revises: 0002
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("content_key", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("message_id_reused_of", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_messages_content_key"), ["content_key"], unique=False)
        batch.create_index(
            "uq_messages_round_id_content_key",
            ["round_id", "content_key"],
            unique=True,
            sqlite_where=sa.text("content_key <> ''"),
            postgresql_where=sa.text("content_key <> ''"),
        )
        batch.create_foreign_key(
            op.f("fk_messages_message_id_reused_of_messages"),
            "messages",
            ["message_id_reused_of"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint(op.f("fk_messages_message_id_reused_of_messages"), type_="foreignkey")
        batch.drop_index("uq_messages_round_id_content_key")
        batch.drop_index(op.f("ix_messages_content_key"))
        batch.drop_column("message_id_reused_of")
        batch.drop_column("content_key")
