"""survey: reminder waves, request channels and law, two coders, disputes, earlier rounds

Issue 17. New tables request_waves, wave_events, contact_logs, coders, disputes,
dispute_decisions, legacy_results; requests gain channel, channel_ref and law; message_codings
gain role.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="email")
        )
        batch.add_column(sa.Column("channel_ref", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("law", sa.String(length=64), nullable=False, server_default=""))
    with op.batch_alter_table("message_codings") as batch:
        batch.add_column(sa.Column("role", sa.String(length=16), nullable=False, server_default=""))
    op.create_table(
        "request_waves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=96), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.String(length=512), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("eml_sha256", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_request_waves_request_id_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_waves")),
        sa.UniqueConstraint("request_id", "wave", name=op.f("uq_request_waves_request_id_wave")),
    )
    op.create_index(op.f("ix_request_waves_request_id"), "request_waves", ["request_id"])
    op.create_table(
        "wave_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_pk", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["wave_pk"], ["request_waves.id"], name=op.f("fk_wave_events_wave_pk_request_waves")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave_events")),
    )
    op.create_index(op.f("ix_wave_events_wave_pk"), "wave_events", ["wave_pk"])
    op.create_table(
        "contact_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=96), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("number", sa.String(length=320), nullable=False),
        sa.Column("answered_by", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("researcher", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_contact_logs_request_id_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_logs")),
    )
    op.create_index(op.f("ix_contact_logs_request_id"), "contact_logs", ["request_id"])
    op.create_table(
        "coders",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_coders")),
    )
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.String(length=64), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("filed_by", sa.Text(), nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("filed_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_disputes_round_id_rounds")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_disputes_finding_id_findings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    op.create_index(op.f("ix_disputes_round_id"), "disputes", ["round_id"])
    op.create_table(
        "dispute_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("researcher", sa.String(length=128), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.id"],
            name=op.f("fk_dispute_decisions_dispute_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_decisions")),
    )
    op.create_index(op.f("ix_dispute_decisions_dispute_id"), "dispute_decisions", ["dispute_id"])
    op.create_table(
        "legacy_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.String(length=64), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=1), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_legacy_results_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legacy_results")),
        sa.UniqueConstraint(
            "round_id",
            "province_code",
            "indicator",
            name=op.f("uq_legacy_results_round_id_province_code_indicator"),
        ),
    )
    op.create_index(op.f("ix_legacy_results_round_id"), "legacy_results", ["round_id"])


def downgrade() -> None:
    for table in (
        "legacy_results",
        "dispute_decisions",
        "disputes",
        "coders",
        "contact_logs",
        "wave_events",
        "request_waves",
    ):
        op.drop_table(table)
    with op.batch_alter_table("message_codings") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("law")
        batch.drop_column("channel_ref")
        batch.drop_column("channel")
