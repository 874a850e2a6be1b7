"""Real mail servers for tests: the sandbox (mail-devel IMAP + submission SMTP) and Dovecot.

- :func:`configure_home` writes a ``pobi.toml`` pointing pobi at a running
  :class:`pobi.sandbox.mail.MailSandbox` and returns the environment with the passwords.
- :func:`dovecot_server` starts Debian's Dovecot on a free loopback port with its own config
  file, a Maildir under a temporary folder, a passwd-file user and a non-root numeric uid.
  Messages are delivered by writing Maildir files (``maildir_deliver``) -- what an MTA's local
  delivery does -- and Dovecot picks them up on the next IMAP command.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from tests.support.servers import free_port, wait_port

REQUESTER = {
    "full_name": "Nguyễn Văn An",
    "address": "12 Phố Huế, phường Hai Bà Trưng, Hà Nội",
    "id_number": "001085012345",
    "phone": "0912345678",
    "email": "khaosat@pobi.sandbox.test",
}
TOKEN_SECRET = "test-token-secret-0123456789"


def configure_home(
    home: Path,
    sandbox: Any | None,
    *,
    requester: dict[str, str] | None = REQUESTER,
    extra: dict[str, dict[str, Any]] | None = None,
) -> dict[str, str]:
    """Write ``home/pobi.toml`` for a sandbox; return env vars (secrets) for the CLI."""
    data: dict[str, dict[str, Any]] = {}
    env = {"POBI_HOME": str(home), "POBI_TOKEN_SECRET": TOKEN_SECRET}
    if sandbox is not None:
        data.update(sandbox.settings())
        env.update(sandbox.environment())
    else:
        data["probes"] = {"reply_local": "khaosat", "reply_domain": "pobi.sandbox.test"}
    data["smtp"] = {**data.get("smtp", {}), "rate_per_minute": 6000.0, "max_retries": 3}
    if requester is not None:
        data["requester"] = dict(requester)
    for section, values in (extra or {}).items():
        data.setdefault(section, {}).update(values)
    (home / "pobi.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return env


def make_cert(folder: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 / localhost (also its own CA, so pointing
    SSL_CERT_FILE at it makes clients verify it). Returns (cert file, key file)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


# --------------------------------------------------------------------------- Dovecot


def dovecot_available() -> bool:
    return shutil.which("dovecot") is not None and shutil.which("doveadm") is not None


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    maildir: Path
    config: Path
    uid: int
    imaps_port: int = 0

    def folder_dir(self, folder: str) -> Path:
        return self.maildir if folder.upper() == "INBOX" else self.maildir / f".{folder}"

    def stop(self) -> None:
        subprocess.call(
            ["doveadm", "-c", str(self.config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.05)

    def start(self) -> None:
        subprocess.check_call(
            ["dovecot", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.host, self.port)

    def doveadm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["doveadm", "-c", str(self.config), *args], capture_output=True, text=True, check=True
        )


_counter = 0


def maildir_deliver(dc: Dovecot, raw: bytes, folder: str = "INBOX") -> Path:
    """Deliver one message into a Maildir folder as an MTA does (tmp/ then rename to new/)."""
    global _counter
    _counter += 1
    base = dc.folder_dir(folder)
    for sub in ("tmp", "new", "cur"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}.P{os.getpid()}Q{_counter}.{socket.gethostname()}"
    tmp = base / "tmp" / name
    tmp.write_bytes(raw)
    target = base / "new" / name
    os.rename(tmp, target)
    if os.geteuid() == 0:
        for p in (base, base / "tmp", base / "new", base / "cur", target):
            os.chown(p, dc.uid, dc.uid)
    return target


def _service_uid() -> int:
    if os.geteuid() != 0:
        return os.geteuid()
    for name in ("nobody", "dovenull", "mail"):
        try:
            return pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
    return 65534


@contextmanager
def dovecot_server(
    user: str = "researcher", password: str = "secret-pw", tls_cert: tuple[str, str] | None = None
) -> Iterator[Dovecot]:
    """A throwaway Dovecot (IMAP on 127.0.0.1; with ``tls_cert`` also STARTTLS on the same port
    and implicit TLS on ``imaps_port``) with one Maildir user."""
    base = Path(tempfile.mkdtemp(prefix="pobi-dovecot-"))
    base.chmod(0o755)  # the mail processes run as another uid
    uid = _service_uid()
    port = free_port()
    imaps_port = free_port() if tls_cert else 0
    ssl_conf = (
        f"ssl = yes\nssl_cert = <{tls_cert[0]}\nssl_key = <{tls_cert[1]}\n"
        if tls_cert
        else "ssl = no\n"
    )
    maildir = base / "mail" / user / "Maildir"
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    (base / "run").mkdir()
    me = pwd.getpwuid(os.geteuid()).pw_name
    users = base / "users"
    users.write_text(
        f"{user}:{{PLAIN}}{password}:{uid}:{uid}::{base / 'mail' / user}::\n", encoding="utf-8"
    )
    config = base / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {base / "run"}
state_dir = {base / "state"}
instance_name = pobi-test-{port}
protocols = imap
listen = 127.0.0.1
{ssl_conf}disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {base / "dovecot.log"}
info_log_path = {base / "dovecot.log"}
default_login_user = {me if os.geteuid() != 0 else "dovenull"}
default_internal_user = {me if os.geteuid() != 0 else "dovecot"}
default_internal_group = {pwd.getpwuid(os.getegid()).pw_name if os.geteuid() != 0 else "dovecot"}
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_uid = {uid}
mail_gid = {uid}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {users}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {users}
}}
namespace inbox {{
  inbox = yes
  separator = .
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Junk {{
    special_use = \\Junk
    auto = create
  }}
}}
""",
        encoding="utf-8",
    )
    (base / "state").mkdir()
    if os.geteuid() == 0:
        for root, dirs, _files in os.walk(base / "mail"):
            os.chown(root, uid, uid)
            for d in dirs:
                os.chown(os.path.join(root, d), uid, uid)
    errors = base / "start.err"
    with errors.open("wb") as err:  # dovecot daemonizes: never pipe its output
        code = subprocess.call(
            ["dovecot", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=err
        )
    if code != 0:
        log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
        message = errors.read_text()
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"dovecot did not start: {message}\n{log}")
    try:
        wait_port("127.0.0.1", port)
        yield Dovecot("127.0.0.1", port, user, password, maildir, config, uid, imaps_port)
    finally:
        subprocess.call(
            ["doveadm", "-c", str(config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)
