"""IMAP access (imap-tools over imaplib) for collection and for the outbox's Sent-folder check.

Security: ``tls`` (port 993), ``starttls`` (port 143), ``none`` only to a loopback host. The user
is ``[imap] username``; the password comes only from ``POBI_IMAP_PASSWORD``.
Messages are fetched with ``BODY.PEEK[]`` (nothing is marked as read) so the bytes are exactly
what the server stores, together with their UID and INTERNALDATE.
"""

from __future__ import annotations

import imaplib
import re
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError

from pobi.config import ImapSettings
from pobi.errors import ConfigError, ExternalServiceError
from probes.smtp import check_security

_UID = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


@dataclass(frozen=True)
class Fetched:
    uid: int
    raw: bytes
    internaldate: datetime | None


@dataclass(frozen=True)
class FolderStatus:
    name: str
    uidvalidity: int
    uidnext: int
    messages: int


def account_name(settings: ImapSettings) -> str:
    return f"{settings.username}@{settings.host}:{settings.port}"


@contextmanager
def open_mailbox(
    settings: ImapSettings, password: str, *, timeout: float = 60
) -> Iterator[MailBox]:
    if not settings.host:
        raise ConfigError(
            "imap.host is not set (pobi.toml section imap): pobi reads replies (and checks the Sent folder) over IMAP.",
            hint="See docs/requests.md, 'Configuring a real mailbox safely'.",
        )
    check_security("imap", settings.host, settings.security)
    if not password:
        raise ConfigError(
            "POBI_IMAP_PASSWORD is not set; pobi reads the IMAP password only from the environment."
        )
    try:
        if settings.security == "tls":
            box = MailBox(
                settings.host,
                settings.port,
                timeout=timeout,
                ssl_context=ssl.create_default_context(),
            )
        elif settings.security == "starttls":
            box = MailBoxStartTls(
                settings.host,
                settings.port,
                timeout=timeout,
                ssl_context=ssl.create_default_context(),
            )
        else:
            box = MailBoxUnencrypted(settings.host, settings.port, timeout=timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ExternalServiceError(
            f"Cannot connect to the IMAP server {settings.host}:{settings.port} "
            f"({settings.security}): {exc}"
        ) from exc
    try:
        box.login(settings.username, password, initial_folder=None)
    except MailboxLoginError as exc:
        raise ExternalServiceError(
            f"The IMAP server {settings.host}:{settings.port} refused the login of "
            f"{settings.username!r}."
        ) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ExternalServiceError(f"IMAP login failed: {exc}") from exc
    try:
        yield box
    finally:
        try:
            box.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def folder_names(box: MailBox) -> list[str]:
    return [f.name for f in box.folder.list()]


def select(box: MailBox, folder: str) -> FolderStatus:
    """Select a folder read-only and return its UIDVALIDITY / UIDNEXT."""
    status = box.folder.status(folder, ["UIDVALIDITY", "UIDNEXT", "MESSAGES"])
    try:
        box.folder.set(folder, readonly=True)  # imap-tools encodes non-ASCII names (UTF-7)
    except MailboxFolderSelectError as exc:
        raise ExternalServiceError(f"Cannot select the IMAP folder {folder!r}: {exc}") from exc
    return FolderStatus(
        folder,
        int(status["UIDVALIDITY"]),
        int(status.get("UIDNEXT", 0)),
        int(status.get("MESSAGES", 0)),
    )


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uids_after(box: MailBox, last_uid: int) -> list[int]:
    typ, data = box.client.uid("SEARCH", f"UID {last_uid + 1}:*")
    if typ != "OK":
        raise ExternalServiceError(f"IMAP UID SEARCH failed: {data!r}")
    found = [int(x) for x in (data[0] or b"").split()]
    return sorted(u for u in found if u > last_uid)  # 'N:*' also returns the last message


def fetch(box: MailBox, uid: int) -> Fetched | None:
    typ, data = box.client.uid("FETCH", str(uid), "(UID INTERNALDATE BODY.PEEK[])")
    if typ != "OK":
        raise ExternalServiceError(f"IMAP FETCH of UID {uid} failed: {data!r}")
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2:
            head, body = item[0], item[1]
            m = _UID.search(head)
            if m and int(m.group(1)) != uid:
                continue
            when = None
            d = _INTERNALDATE.search(head)
            if d:
                parsed = imaplib.Internaldate2tuple(b'INTERNALDATE "' + d.group(1) + b'"')
                if parsed is not None:
                    when = datetime.fromtimestamp(time.mktime(parsed), UTC)
            return Fetched(uid, bytes(body), when)
    return None


def find_message_id(box: MailBox, folder: str, message_id: str) -> Fetched | None:
    """The message with exactly this Message-ID in ``folder`` (None if absent)."""
    select(box, folder)
    typ, data = box.client.uid("SEARCH", "HEADER", "Message-ID", _quote(message_id))
    if typ != "OK":
        raise ExternalServiceError(f"IMAP SEARCH in {folder!r} failed: {data!r}")
    wanted = message_id.strip().lower()
    for raw_uid in (data[0] or b"").split():
        got = fetch(box, int(raw_uid))
        if got is None:
            continue
        header = got.raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        m = re.search(rb"(?im)^message-id:\s*(<[^>\r\n]*>)", header)
        if m and m.group(1).decode("ascii", "replace").lower() == wanted:
            return got
    return None
