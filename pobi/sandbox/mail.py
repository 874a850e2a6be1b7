"""The sandbox's mail world: an IMAP server (mail-devel's pymap store) and a submission SMTP
server on loopback, in one background thread and one event loop.

- **IMAP** (mail-devel, multi-user, plain text on 127.0.0.1): one account per address. The
  researcher's account (``researcher``) holds ``INBOX``, ``Sent``, ``Junk``; each agency address
  has its own account whose ``INBOX`` receives the requests. Every account shares the password.
- **Submission SMTP** (aiosmtpd, AUTH required): only the researcher may send, with an envelope
  sender that is the researcher's address or a plus-address of it; it refuses (550) every
  recipient that is not one of the sandbox's own addresses, so nothing can leave the sandbox.

**The Sent-folder guarantee** (what the outbox's reconciliation relies on, as it relies on
Gmail's or Exchange's): the server handles DATA in one step on its event loop -- it files the
exact submitted bytes in the sender's ``Sent`` folder, delivers a copy to each recipient's
``INBOX`` (or produces a bounce) and only then answers ``250``. A message whose DATA did not
complete is neither filed nor delivered. Hence: a Message-ID is in ``Sent`` if and only if the
server accepted the message; a client killed at any moment can find out which by searching
``Sent``. (The store lives in memory: the guarantee holds while the sandbox runs.)

Delivery adds ``Received`` and ``Delivered-To`` headers like a real MTA. Addresses listed as
*bouncing* accept the submission and then produce an RFC 3464 delivery status notification
(Postfix style, ``multipart/report``) to the envelope sender, as a real MTA would. Faults can be
injected per recipient (``fail_next``): a 4xx or 5xx answer to RCPT, a given number of times.

Time stamps: a submitted message arrives at its own ``Date`` (the sender's clock: a frozen
``POBI_NOW`` in the tool gives consistent dates even though this server runs in another
process); other deliveries use the time given, else :func:`pobi.clock.now`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import ssl
import threading
import warnings
from collections.abc import Iterable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from pobi.clock import now
from pobi.errors import PobiError

SANDBOX_SUFFIX = ".sandbox.test"
DEFAULT_RESEARCHER = "khaosat@pobi.sandbox.test"
MTA_HOST = "mx.sandbox.test"


class SandboxError(PobiError):
    """The sandbox mail world cannot start or was used wrongly."""


@dataclass(frozen=True)
class StoredMessage:
    uid: int
    raw: bytes
    internaldate: datetime


@dataclass
class _Fault:
    code: int
    text: str
    times: int  # attempts still to fail; < 0: forever


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def base_address(address: str) -> str:
    """'Local+tag@Domain' -> 'local@domain'."""
    address = address.strip().strip("<>").lower()
    if "@" not in address:
        return address
    local, domain = address.rsplit("@", 1)
    return f"{local.split('+', 1)[0]}@{domain}"


class MailSandbox:
    """Start with ``with MailSandbox(addresses) as mail:``; ``mail.smtp_port``, ``imap_port``."""

    def __init__(
        self,
        addresses: Iterable[str],
        *,
        researcher: str = DEFAULT_RESEARCHER,
        password: str | None = None,
        bouncing: Iterable[str] = (),
        host: str = "127.0.0.1",
        folders: Iterable[str] = ("Sent", "Junk"),
        tls_cert: tuple[str, str] | None = None,
    ) -> None:
        """``tls_cert`` = (certificate file, key file): the submission server then offers
        STARTTLS on ``smtp_port`` and implicit TLS on ``smtps_port``."""
        self.host = host
        self.tls_cert = tls_cert
        self.smtps_port = 0
        self.researcher = researcher.lower()
        self.password = password or secrets.token_hex(12)
        self.addresses = {a.strip().lower() for a in addresses} | {self.researcher}
        self.bouncing = {a.strip().lower() for a in bouncing}
        self.folders = tuple(folders)
        self.smtp_port = 0
        self.imap_port = 0
        self.accepted = 0  # messages accepted by the submission server
        self.refused: list[tuple[str, str]] = []  # (recipient, reason)
        self.answered: set[str] = set()  # requests the simulated agencies answered already
        self._faults: dict[str, list[_Fault]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stack: AsyncExitStack | None = None
        self._service: Any = None
        self._smtp_server: asyncio.AbstractServer | None = None
        self._smtps_server: asyncio.AbstractServer | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> MailSandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> MailSandbox:
        if self.host.split(".")[0] != "127":
            raise SandboxError(f"The sandbox binds only to loopback, not {self.host}")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="pobi-sandbox-mail", daemon=True
        )
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        try:
            self._call(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._loop.close()
            self._loop = None

    def _call(self, coro: Any, timeout: float = 30) -> Any:
        if self._loop is None:
            raise SandboxError("The sandbox mail world is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _start(self) -> None:
        from aiosmtpd.smtp import SMTP
        from mail_devel.service import Service

        self._stack = AsyncExitStack()
        last: Exception | None = None
        for _ in range(5):
            port = _free_port(self.host)
            args = Service.parse(
                [
                    "--host",
                    self.host,
                    "--multi-user",
                    "--no-http",
                    "--user",
                    self.researcher,
                    "--password",
                    self.password,
                    "--imap-port",
                    str(port),
                ]
            )
            service = await Service.init(args)
            try:
                await service.backend.start(self._stack)
                await service.imap.start(self._stack)
            except OSError as exc:  # port taken between probe and bind
                last = exc
                continue
            self._service, self.imap_port = service, port
            break
        else:
            raise SandboxError(f"Cannot start the sandbox IMAP server: {last}")
        for folder in self.folders:
            await self._mailbox(self.researcher, folder)
        await self._mailbox(self.researcher, "INBOX")

        handler = _SubmissionHandler(self)
        loop = asyncio.get_running_loop()
        logging.getLogger("mail.log").setLevel(logging.ERROR)  # "AUTH without TLS": loopback only

        tls_context = None
        if self.tls_cert is not None:
            tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls_context.load_cert_chain(*self.tls_cert)

        def factory(starttls: ssl.SSLContext | None = tls_context) -> SMTP:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return SMTP(
                    handler,
                    hostname="submission.sandbox.test",
                    authenticator=handler.authenticate,
                    auth_required=True,
                    auth_require_tls=False,
                    enable_SMTPUTF8=True,
                    tls_context=starttls,
                    loop=loop,
                )

        self._smtp_server = await loop.create_server(factory, host=self.host, port=0)
        self.smtp_port = int(self._smtp_server.sockets[0].getsockname()[1])
        if tls_context is not None:
            self._smtps_server = await loop.create_server(
                lambda: factory(None), host=self.host, port=0, ssl=tls_context
            )
            self.smtps_port = int(self._smtps_server.sockets[0].getsockname()[1])

    async def _stop(self) -> None:
        for server in (self._smtp_server, self._smtps_server):
            if server is not None:
                server.close()
        if self._stack is not None:
            await self._stack.aclose()

    # ------------------------------------------------------------------ configuration helpers

    def settings(self, *, sent_folder: str = "Sent") -> dict[str, dict[str, Any]]:
        """``pobi.toml`` sections that point pobi at this sandbox (plain text is allowed
        because the host is loopback). Passwords go in the environment: :meth:`environment`."""
        local, domain = self.researcher.split("@", 1)
        return {
            "smtp": {
                "host": self.host,
                "port": self.smtp_port,
                "security": "none",
                "username": self.researcher,
                "from_address": self.researcher,
            },
            "imap": {
                "host": self.host,
                "port": self.imap_port,
                "security": "none",
                "username": self.researcher,
                "sent_folder": sent_folder,
                "folders": ["INBOX", "Junk", "Spam"],
            },
            "probes": {"reply_local": local, "reply_domain": domain},
        }

    def environment(self) -> dict[str, str]:
        return {"POBI_SMTP_PASSWORD": self.password, "POBI_IMAP_PASSWORD": self.password}

    def allowed(self, address: str) -> bool:
        address = address.strip().strip("<>").lower()
        return address in self.addresses or base_address(address) == self.researcher

    def account_for(self, rcpt: str) -> str:
        base = base_address(rcpt)
        return self.researcher if base == self.researcher else rcpt.strip().strip("<>").lower()

    def fail_next(self, address: str, code: int, text: str = "", times: int = 1) -> None:
        """Answer RCPT for ``address`` with ``code`` the next ``times`` times (< 0: always).
        ``code`` 0 drops the connection at RCPT (before DATA); ``code`` 250 accepts the message
        (files and delivers it) and then drops the connection instead of answering 250."""
        default = "4.3.0 Try again later" if 400 <= code < 500 else "5.7.1 Rejected by policy"
        self._faults.setdefault(address.lower(), []).append(_Fault(code, text or default, times))

    def _take_fault(self, address: str) -> _Fault | None:
        queue = self._faults.get(address.lower())
        while queue:
            fault = queue[0]
            if fault.times == 0:
                queue.pop(0)
                continue
            if fault.times > 0:
                fault.times -= 1
            return fault
        return None

    # ------------------------------------------------------------------ mailbox access

    async def _mailbox(self, account: str, folder: str) -> Any:
        mset = await self._service.mailboxes.get(account.lower())
        if folder.upper() == "INBOX":
            return await mset.get_mailbox("INBOX")
        try:
            return await mset.get_mailbox(folder)
        except KeyError:
            await mset.add_mailbox(folder)
            return await mset.get_mailbox(folder)

    async def _append(self, account: str, folder: str, raw: bytes, when: datetime) -> int:
        from pymap.parsing.message import AppendMessage

        box = await self._mailbox(account, folder)
        msg = await box.append(AppendMessage(literal=raw, when=when, flag_set=frozenset()))
        return int(msg.uid)

    def append(self, account: str, folder: str, raw: bytes, *, at: datetime | None = None) -> int:
        """File raw bytes in a folder as they are (no headers added); returns the UID."""
        return int(self._call(self._append(account, folder, raw, at or now())))

    def deliver(
        self,
        rcpt: str,
        raw: bytes,
        *,
        at: datetime | None = None,
        folder: str = "INBOX",
        helo: str = "mail.sandbox.test",
    ) -> int:
        """Deliver like an MTA: prepend ``Received`` and ``Delivered-To`` and file the message
        in the recipient's account (plus-addresses of the researcher go to the researcher)."""
        when = at or now()
        stamped = _stamp(raw, rcpt, when, helo)
        return int(self._call(self._append(self.account_for(rcpt), folder, stamped, when)))

    async def _messages(self, account: str, folder: str) -> list[StoredMessage]:
        mset = await self._service.mailboxes.get(account.lower())
        try:
            box = await mset.get_mailbox(folder)
        except KeyError:
            return []
        out = []
        async for m in box.messages():
            out.append(StoredMessage(int(m.uid), bytes(m._content), m.internal_date))
        return sorted(out, key=lambda m: m.uid)

    def messages(self, account: str, folder: str = "INBOX") -> list[StoredMessage]:
        return list(self._call(self._messages(account, folder)))

    def accounts(self) -> list[str]:
        return sorted(self._service.config.set_cache)

    async def _rebuild(self, account: str, folder: str) -> int:
        from pymap.backend.dict.mailbox import MailboxData

        mset = await self._service.mailboxes.get(account.lower())
        old = await mset.get_mailbox(folder)
        kept = [m async for m in old.messages()]
        new = MailboxData(mset._content_cache, mset._thread_cache)
        while new.uid_validity == old.uid_validity:
            new = MailboxData(mset._content_cache, mset._thread_cache)
        if folder.upper() == "INBOX":
            mset._inbox = new
        else:
            mset._set[folder] = new
        from pymap.parsing.message import AppendMessage

        for m in kept:
            await new.append(
                AppendMessage(literal=bytes(m._content), when=m.internal_date, flag_set=frozenset())
            )
        return int(new.uid_validity)

    def rebuild_folder(self, account: str, folder: str = "INBOX") -> int:
        """Recreate a folder with the same messages and a new UIDVALIDITY (as a server does
        after a restore); returns the new UIDVALIDITY."""
        return int(self._call(self._rebuild(account, folder)))


def _stamp(raw: bytes, rcpt: str, when: datetime, helo: str) -> bytes:
    rid = secrets.token_hex(6).upper()
    received = (
        f"Received: from {helo} (localhost [127.0.0.1])\r\n"
        f"\tby {MTA_HOST} (pobi sandbox MTA) with ESMTPS id {rid}\r\n"
        f"\tfor <{rcpt}>; {format_datetime(when)}\r\n"
    )
    return f"Delivered-To: {rcpt}\r\n".encode() + received.encode() + raw


def dsn(
    envelope_from: str,
    rcpt: str,
    original: bytes,
    when: datetime,
    *,
    status: str = "5.1.1",
    diagnostic: str = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in "
    "virtual mailbox table",
) -> bytes:
    """An RFC 3464 delivery status notification as Postfix writes it."""
    boundary = f"{secrets.token_hex(8)}/{MTA_HOST}"
    head = original.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    diag = diagnostic.format(rcpt=rcpt)
    text = (
        f"This is the mail system at host {MTA_HOST}.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients. It's attached below.\r\n\r\n"
        "                   The mail system\r\n\r\n"
        f"<{rcpt}>: host {rcpt.rsplit('@', 1)[-1]}[127.0.0.1] said: {diag}\r\n"
    )
    parts = [
        f"Return-Path: <>\r\n"
        f"From: MAILER-DAEMON@{MTA_HOST} (Mail Delivery System)\r\n"
        f"To: {envelope_from}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(when)}\r\n"
        f"Message-ID: {make_msgid(domain=MTA_HOST)}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="{boundary}"\r\n'
        "Content-Transfer-Encoding: 7bit\r\n\r\n"
        "This is a MIME-encapsulated message.\r\n\r\n",
        f"--{boundary}\r\nContent-Description: Notification\r\n"
        f"Content-Type: text/plain; charset=us-ascii\r\n\r\n{text}\r\n",
        f"--{boundary}\r\nContent-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; {MTA_HOST}\r\n"
        f"X-Postfix-Queue-ID: {secrets.token_hex(5).upper()}\r\n"
        f"X-Postfix-Sender: rfc822; {envelope_from}\r\n"
        f"Arrival-Date: {format_datetime(when)}\r\n\r\n"
        f"Final-Recipient: rfc822; {rcpt}\r\n"
        f"Original-Recipient: rfc822;{rcpt}\r\n"
        "Action: failed\r\n"
        f"Status: {status}\r\n"
        f"Remote-MTA: dns; {rcpt.rsplit('@', 1)[-1]}\r\n"
        f"Diagnostic-Code: smtp; {diag}\r\n\r\n",
        f"--{boundary}\r\nContent-Description: Undelivered Message Headers\r\n"
        f"Content-Type: text/rfc822-headers\r\n\r\n{head}\r\n\r\n",
        f"--{boundary}--\r\n",
    ]
    return "".join(parts).encode("utf-8")


def arrival_time(raw: bytes) -> datetime:
    """When the sandbox MTA says a submitted message arrived: the message's own ``Date`` (the
    sender's clock, so a frozen ``POBI_NOW`` in the sending tool gives consistent dates for the
    Sent copy, the deliveries and the bounces), else :func:`pobi.clock.now`."""
    from email.utils import parsedate_to_datetime

    head = raw.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        if line[:5].lower() == b"date:":
            try:
                value = parsedate_to_datetime(line[5:].decode("ascii", "replace").strip())
            except (TypeError, ValueError, IndexError):
                break
            if value is not None and value.tzinfo is not None:
                return value
            break
    return now()


class _SubmissionHandler:
    """aiosmtpd hooks of the sandbox submission server."""

    def __init__(self, world: MailSandbox) -> None:
        self.world = world

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if mechanism not in ("LOGIN", "PLAIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace").lower()
        ok = login == self.world.researcher and auth_data.password == self.world.password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if base_address(address) != self.world.researcher:
            return f"553 5.7.1 <{address}>: sender address not owned by the authenticated user"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if not self.world.allowed(address):
            self.world.refused.append((address, "not a sandbox address"))
            return (
                f"550 5.7.1 <{address}>: relay denied: not an address of the sandbox "
                "(the sandbox never sends outside itself)"
            )
        fault = self.world._take_fault(address)
        if fault is not None and fault.code == 0:
            server.transport.close()
            return "421 4.4.2 connection dropped"
        if fault is not None and fault.code == 250:
            envelope.drop_after_data = True
        elif fault is not None:
            return f"{fault.code} {fault.text}"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        world = self.world
        raw = envelope.original_content or b""
        when = arrival_time(raw)
        login = world.researcher  # the only account allowed to authenticate
        # One step on the event loop: file in Sent, deliver or bounce, then answer 250.
        await world._append(login, "Sent", raw, when)
        helo = session.host_name or "client"
        for rcpt in envelope.rcpt_tos:
            if rcpt.lower() in world.bouncing:
                report = dsn(envelope.mail_from, rcpt, raw, when)
                await world._append(
                    world.account_for(envelope.mail_from),
                    "INBOX",
                    _stamp(report, envelope.mail_from, when, MTA_HOST),
                    when,
                )
            else:
                await world._append(
                    world.account_for(rcpt), "INBOX", _stamp(raw, rcpt, when, helo), when
                )
        world.accepted += 1
        if getattr(envelope, "drop_after_data", False):
            server.transport.close()  # accepted and filed, but the client never hears 250
            return "250 2.0.0 Ok (connection dropped)"
        _name, addr = parseaddr(envelope.mail_from)
        return f"250 2.0.0 Ok: queued as {secrets.token_hex(5).upper()} (from {addr})"
