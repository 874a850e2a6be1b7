"""messages: point to the backfill of the content key for rows stored before 0014

Revision 0014 added ``messages.content_key`` (the normalised-content key, issue 14) and left it
empty on rows stored before it. The key cannot be computed here: it is computed from the
message's bytes, which live in the evidence store (a folder the database does not know), by the
probes stage's parser, which the core must not import. So this revision changes no schema and
no data: it counts the rows without a key and, when there are any, tells the user to run
``pobi probe rekey`` (probes/rekey.py), which reads each message's bytes back from the evidence
store and records its key; ``pobi probe import`` repeats the hint while such rows remain.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-03 16:40:00
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None

log = logging.getLogger("pobi.store.migrations")
NOTICE = (
    "{n} stored messages have no content key (stored before migration 0014): a webmail export "
    "of one of them would be stored a second time. Run: pobi probe rekey  "
    "({n} thư lưu trước bản nâng cấp 0014 chưa có khóa nội dung: hãy chạy pobi probe rekey)"
)


def upgrade() -> None:
    n = op.get_bind().scalar(
        sa.text("SELECT COUNT(*) FROM messages WHERE content_key = '' OR content_key IS NULL")
    )
    if n:
        log.warning(NOTICE.format(n=n))


def downgrade() -> None:
    pass  # nothing was changed
