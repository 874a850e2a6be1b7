"""Budget documents, and a second index (transparency) beside participation in one round

- ``documents``: one row per budget document a crawl found (documents.csv is a view of it);
- ``scores.index_name`` and ``province_index.index_name`` (``participation`` | ``transparency``):
  a round is scored with both rubrics, each replacing only its own rows; ``province_index`` is
  unique per (round, province, index).

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("found_on", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("listing_date", sa.String(length=10), nullable=False),
        sa.Column("document_date", sa.String(length=10), nullable=False),
        sa.Column("last_modified", sa.String(length=10), nullable=False),
        sa.Column("published_on", sa.String(length=10), nullable=False),
        sa.Column("date_source", sa.String(length=16), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("text_excerpt", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("warc_sha256", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_documents_round_id_rounds")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["crawl_sites.id"], name=op.f("fk_documents_site_id_crawl_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("round_id", "url", name=op.f("uq_documents_round_id_url")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_site_id"), ["site_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_documents_province_code"), ["province_code"], unique=False
        )
        batch_op.create_index(
            "ix_documents_round_province", ["round_id", "province_code"], unique=False
        )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "index_name",
                sa.String(length=16),
                server_default="participation",
                nullable=False,
            )
        )
    with op.batch_alter_table("province_index", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "index_name",
                sa.String(length=16),
                server_default="participation",
                nullable=False,
            )
        )
        batch_op.drop_constraint("uq_province_index_round_id_province_code", type_="unique")
        batch_op.create_unique_constraint(
            "uq_province_index_round_id_province_code_index_name",
            ["round_id", "province_code", "index_name"],
        )


def downgrade() -> None:
    with op.batch_alter_table("province_index", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_province_index_round_id_province_code_index_name", type_="unique"
        )
        batch_op.create_unique_constraint(
            "uq_province_index_round_id_province_code", ["round_id", "province_code"]
        )
        batch_op.drop_column("index_name")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_column("index_name")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_round_province")
        batch_op.drop_index(batch_op.f("ix_documents_province_code"))
        batch_op.drop_index(batch_op.f("ix_documents_site_id"))
        batch_op.drop_index(batch_op.f("ix_documents_round_id"))
    op.drop_table("documents")
