"""SMTP submission with aiosmtplib: one connection reused, each attempt classified.

Security: ``starttls`` (port 587) or ``tls`` (implicit TLS, port 465); ``none`` (plain text) only
to a loopback host, so a password never crosses a network in clear. The user is
``[smtp] username``; the password comes only from ``POBI_SMTP_PASSWORD``.

Each attempt comes to a :class:`pobi.models.SendOutcome`: ``accepted`` (2xx after DATA),
``temporary`` (4xx, or the connection failed before DATA), ``permanent`` (5xx) or ``unknown``
(the connection broke during DATA: the server may or may not have taken the message, so the
outbox reconciles it with the Sent folder instead of guessing). ``before_data`` is awaited after
the recipient is accepted and before the DATA command: the outbox commits a journal mark there,
so a crash before it provably sent nothing.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosmtplib

from pobi.config import SmtpSettings
from pobi.errors import ConfigError, ExternalServiceError
from pobi.models import SendOutcome


@dataclass(frozen=True)
class Attempt:
    outcome: SendOutcome
    code: int | None
    detail: str


def is_loopback(host: str) -> bool:
    """True when every address the host name resolves to is a loopback address."""
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def check_security(kind: str, host: str, security: str) -> None:
    if security not in {"starttls", "tls", "none"}:
        raise ConfigError(f"{kind}.security must be starttls, tls or none, not {security!r}")
    if security == "none" and not is_loopback(host):
        raise ConfigError(
            f"{kind}.security = 'none' (plain text) is allowed only to a loopback host, "
            f"not {host!r}: your password and the requests would cross the network in clear.",
            hint=f"Set {kind}.security to 'starttls' or 'tls' for {host}.",
        )


def _classify(exc: Exception) -> Attempt:
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", "") or str(exc)
    if isinstance(code, int) and 500 <= code < 600:
        return Attempt(SendOutcome.PERMANENT, code, f"{code} {message}".strip())
    if isinstance(code, int) and 400 <= code < 500:
        return Attempt(SendOutcome.TEMPORARY, code, f"{code} {message}".strip())
    return Attempt(SendOutcome.TEMPORARY, None, f"{exc.__class__.__name__}: {message}".strip())


class Submission:
    """An SMTP submission session (connects lazily, reconnects after a failure)."""

    def __init__(self, settings: SmtpSettings, password: str, *, timeout: float = 60) -> None:
        if not settings.host:
            raise ConfigError(
                "smtp.host is not set (pobi.toml section smtp): pobi needs your mail provider's submission server.",
                hint="See docs/requests.md, 'Configuring a real mailbox safely'.",
            )
        check_security("smtp", settings.host, settings.security)
        if settings.username and not password:
            raise ConfigError(
                "POBI_SMTP_PASSWORD is not set (smtp.username is "
                f"{settings.username!r}); pobi reads the password only from the environment."
            )
        self.settings = settings
        self.password = password
        self.timeout = timeout
        self._client: aiosmtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    async def _connect(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            timeout=self.timeout,
            use_tls=s.security == "tls",
            start_tls=s.security == "starttls",
            tls_context=ssl.create_default_context() if s.security != "none" else None,
        )
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise ExternalServiceError(
                f"Cannot connect to the SMTP server {self.where} ({s.security}): {exc}"
            ) from exc
        if s.username:
            try:
                await client.login(s.username, self.password)
            except aiosmtplib.SMTPAuthenticationError as exc:
                await self._drop(client)
                raise ExternalServiceError(
                    f"The SMTP server {self.where} refused the login of {s.username!r}: "
                    f"{exc.code} {exc.message}"
                ) from exc
            except (aiosmtplib.SMTPException, OSError) as exc:
                await self._drop(client)
                raise ExternalServiceError(f"SMTP login at {self.where} failed: {exc}") from exc
        self._client = client
        return client

    @staticmethod
    async def _drop(client: aiosmtplib.SMTP) -> None:
        try:
            client.close()
        except Exception:  # the connection is gone either way
            pass

    async def send(
        self,
        envelope_from: str,
        recipient: str,
        raw: bytes,
        *,
        before_data: Callable[[], Awaitable[None]] | None = None,
    ) -> Attempt:
        """One attempt to submit ``raw`` for exactly one recipient. Raises ExternalServiceError
        only when the server cannot be reached or refuses the login (nothing was sent)."""
        client = await self._connect()
        try:
            await client.mail(envelope_from)
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:  # the sender itself is refused: a configuration problem
                await self._reset(client)
                raise ExternalServiceError(
                    f"The SMTP server {self.where} refuses the sender address {envelope_from}: "
                    f"{exc.code} {exc.message}",
                    hint="Check probes.reply_local / reply_domain and smtp.username: the reply "
                    "address must belong to the account you log in with.",
                ) from exc
        except aiosmtplib.SMTPServerDisconnected as exc:
            self._client = None
            return Attempt(SendOutcome.TEMPORARY, None, f"disconnected before DATA: {exc}")
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self._reset(client)
            return _classify(exc)
        try:
            await client.rcpt(recipient)
        except aiosmtplib.SMTPServerDisconnected as exc:
            self._client = None
            return Attempt(SendOutcome.TEMPORARY, None, f"disconnected before DATA: {exc}")
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self._reset(client)
            return _classify(exc)
        if before_data is not None:
            await before_data()
        try:
            response = await client.data(raw)
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset(client)
            if exc.code == 354 or not (400 <= exc.code < 600):
                return Attempt(SendOutcome.UNKNOWN, exc.code, f"{exc.code} {exc.message}")
            return _classify(exc)
        except (aiosmtplib.SMTPException, OSError) as exc:
            self._client = None
            return Attempt(SendOutcome.UNKNOWN, None, f"connection broke during DATA: {exc}")
        return Attempt(SendOutcome.ACCEPTED, response.code, f"{response.code} {response.message}")

    async def _reset(self, client: aiosmtplib.SMTP) -> None:
        try:
            await client.rset()
        except (aiosmtplib.SMTPException, OSError):
            await self._drop(client)
            self._client = None

    async def close(self) -> None:
        if self._client is not None:
            try:
                await self._client.quit()
            except (aiosmtplib.SMTPException, OSError):
                await self._drop(self._client)
            self._client = None
