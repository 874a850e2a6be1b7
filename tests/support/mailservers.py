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

    def folder_dir(self, folder: str) -> Path:
        return self.maildir if folder.upper() == "INBOX" else self.maildir / f".{folder}"

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
def dovecot_server(user: str = "researcher", password: str = "secret-pw") -> Iterator[Dovecot]:
    """A throwaway Dovecot (IMAP, plain text on 127.0.0.1) with one Maildir user."""
    base = Path(tempfile.mkdtemp(prefix="pobi-dovecot-"))
    base.chmod(0o755)  # the mail processes run as another uid
    uid = _service_uid()
    port = free_port()
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
ssl = no
disable_plaintext_auth = no
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
    port = 0
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
        yield Dovecot("127.0.0.1", port, user, password, maildir, config, uid)
    finally:
        subprocess.call(
            ["doveadm", "-c", str(config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)
