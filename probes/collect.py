"""``pobi probe collect``: read replies over IMAP, incrementally, into the store.

For each configured folder (``[imap] folders``; INBOX, Junk and Spam by default -- a folder the
account does not have is skipped with a note) the ``mailbox_cursors`` row remembers the folder's
UIDVALIDITY and the last UID stored. A run fetches only UIDs above it (``BODY.PEEK[]``: nothing is
marked read) and passes the exact bytes and the INTERNALDATE to
:func:`probes.ingest.ingest_message`. Each message is committed together with the cursor advance,
so a run killed at any point resumes where it stopped and stores every message once. When the
server reports a different UIDVALIDITY the folder is rescanned from the start; the ingest step
drops the duplicates (same bytes or same Message-ID).
"""

from __future__ import annotations

import imaplib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi.clock import now
from pobi.config import Config
from pobi.errors import ExternalServiceError
from pobi.evidence import EvidenceStore
from pobi.rounds import get_round
from pobi.store import Store
from pobi.store.tables import MailboxCursor

Ingest = Callable[..., Any]


@dataclass
class CollectReport:
    account: str
    new: int = 0
    duplicates: int = 0
    per_folder: dict[str, int] = field(default_factory=dict)
    skipped_folders: list[str] = field(default_factory=list)
    rescanned: list[tuple[str, int, int]] = field(default_factory=list)  # folder, old, new
    kinds: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    bounced_requests: list[str] = field(default_factory=list)


def _cursor(session: Session, round_id: str, account: str, folder: str) -> MailboxCursor | None:
    return session.scalars(
        select(MailboxCursor).where(
            MailboxCursor.round_id == round_id,
            MailboxCursor.account == account,
            MailboxCursor.folder == folder,
        )
    ).first()


def _advance(
    session: Session, round_id: str, account: str, folder: str, uidvalidity: int, uid: int
) -> None:
    cur = _cursor(session, round_id, account, folder)
    if cur is None:
        session.add(
            MailboxCursor(
                round_id=round_id,
                account=account,
                folder=folder,
                uidvalidity=uidvalidity,
                last_uid=uid,
                updated_at=now(),
            )
        )
    else:
        cur.uidvalidity, cur.last_uid, cur.updated_at = uidvalidity, uid, now()
    session.flush()


def collect(
    store: Store,
    evidence: EvidenceStore,
    cfg: Config,
    round_id: str,
    *,
    ingest: Ingest | None = None,
    on_folder: Callable[[str, int], None] | None = None,
    on_message: Callable[[str, int], None] | None = None,
) -> CollectReport:
    """Collect new messages of every configured folder. ``on_folder(folder, n_new)`` is called
    before a folder's messages, ``on_message(folder, uid)`` after each one."""
    from probes.imap import account_name, open_mailbox

    if ingest is None:
        from probes.ingest import ingest_message as ingest
    with store.session() as s:
        get_round(s, round_id)
    account = account_name(cfg.imap)
    report = CollectReport(account=account)
    try:
        with open_mailbox(cfg.imap, cfg.secret("imap_password")) as box:
            _collect_folders(
                box, store, evidence, cfg, round_id, account, report, ingest, on_folder, on_message
            )
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ExternalServiceError(
            f"The IMAP connection to {account} failed during collection ({exc.__class__.__name__}: "
            f"{exc}). The {report.new} messages stored so far are kept; run "
            f"pobi probe collect --round {round_id} again to continue."
        ) from exc
    return report


def _collect_folders(
    box: Any,
    store: Store,
    evidence: EvidenceStore,
    cfg: Config,
    round_id: str,
    account: str,
    report: CollectReport,
    ingest: Ingest,
    on_folder: Callable[[str, int], None] | None,
    on_message: Callable[[str, int], None] | None,
) -> None:
    from probes.imap import fetch, folder_names, select, uids_after

    available = {name.lower(): name for name in folder_names(box)}
    seen: set[str] = set()
    for wanted in cfg.imap.folders:
        folder = available.get(wanted.lower())
        if folder is None:
            report.skipped_folders.append(wanted)
            continue
        if folder in seen:
            continue
        seen.add(folder)
        status = select(box, folder)
        with store.session() as s:
            cur = _cursor(s, round_id, account, folder)
            last = cur.last_uid if cur else 0
            fresh = cur is None or cur.uidvalidity != status.uidvalidity
            if cur is not None and cur.uidvalidity != status.uidvalidity:
                report.rescanned.append((folder, cur.uidvalidity, status.uidvalidity))
                last = 0
        uids = uids_after(box, last)
        if on_folder:
            on_folder(folder, len(uids))
        report.per_folder[folder] = 0
        for uid in uids:
            got = fetch(box, uid)
            with store.session() as s:
                if got is not None:
                    result = ingest(
                        s,
                        evidence,
                        round_id,
                        got.raw,
                        source=f"imap://{account}/{folder};UIDVALIDITY={status.uidvalidity};UID={uid}",
                        received_at=got.internaldate,
                        settings=cfg,
                    )
                    _count(report, folder, result)
                _advance(s, round_id, account, folder, status.uidvalidity, uid)
            if on_message:
                on_message(folder, uid)
        if not uids and fresh:
            with store.session() as s:
                _advance(s, round_id, account, folder, status.uidvalidity, last)


def _count(report: CollectReport, folder: str, result: Any) -> None:
    if getattr(result, "duplicate", False):
        report.duplicates += 1
        return
    report.new += 1
    report.per_folder[folder] = report.per_folder.get(folder, 0) + 1
    report.kinds[str(getattr(result, "kind", "") or "?")] += 1
    report.methods[str(getattr(result, "match_method", "") or "?")] += 1
    bounced = getattr(result, "bounced_request", None)
    if bounced:
        report.bounced_requests.append(bounced)
