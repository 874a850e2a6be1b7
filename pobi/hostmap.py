"""Host-name resolution for live checks, with a hosts map in front of the system resolver.

``POBI_HOSTS_FILE`` names a file in ``/etc/hosts`` form (``ADDRESS NAME [NAME...]``, ``#``
comments): those names resolve to those addresses without asking DNS. With ``POBI_HOSTS_ONLY=1``
names missing from the map do not resolve at all (tests and the sandbox use this so that nothing
leaves the machine). Names under the reserved ``.invalid`` / ``.test`` / ``.example`` domains never
resolve. Used by ``pobi sites verify`` and ``pobi sites discover``; the crawl keeps its own
resolver (Scrapy's), which the sandbox handles with loopback addresses.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from pathlib import Path

from pobi.errors import InputError

RESERVED = (".invalid", ".test", ".example")


class Unresolvable(OSError):
    """The name has no address (from the map, the rules above, or DNS)."""


def read_hosts_file(path: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    problems = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        try:
            ipaddress.ip_address(words[0])
        except ValueError:
            problems.append(f"line {number}: {words[0]!r} is not an IP address")
            continue
        if len(words) < 2:
            problems.append(f"line {number}: an address without a host name")
        for name in words[1:]:
            mapping[name.lower().rstrip(".")] = words[0]
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems))
    return mapping


class Resolver:
    def __init__(self, mapping: dict[str, str] | None = None, only_map: bool = False) -> None:
        self.mapping = {k.lower(): v for k, v in (mapping or {}).items()}
        self.only_map = only_map
        self._cache: dict[str, str | Unresolvable] = {}

    def prefetch(self, hosts: list[str], timeout: float = 8.0) -> None:
        """Resolve many names at once (daemon threads); a name with no answer within ``timeout``
        seconds is unresolvable. Offline, DNS failures cost one timeout in all, not one each."""
        import threading

        names = sorted({h.lower().rstrip(".") for h in hosts} - set(self._cache))
        lock = threading.Lock()
        answers: dict[str, str | Unresolvable] = {}

        def one(name: str) -> None:
            try:
                value: str | Unresolvable = self._lookup(name)
            except Unresolvable as exc:
                value = exc
            with lock:
                answers[name] = value

        threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in names]
        for t in threads:
            t.start()
        end = time.monotonic() + timeout
        for t in threads:
            t.join(max(0.0, end - time.monotonic()))
        with lock:
            for name in names:
                self._cache[name] = answers.get(
                    name, Unresolvable(f"{name}: no DNS answer within {timeout:g} s")
                )

    @classmethod
    def from_environment(cls) -> Resolver:
        path = os.environ.get("POBI_HOSTS_FILE", "").strip()
        try:
            mapping = read_hosts_file(Path(path)) if path else {}
        except OSError as exc:
            raise InputError(f"POBI_HOSTS_FILE={path}: {exc.strerror or exc}") from exc
        only = os.environ.get("POBI_HOSTS_ONLY", "").strip().lower() in ("1", "true", "yes")
        return cls(mapping, only)

    def resolve(self, host: str) -> str:
        """An address for ``host`` (IPv4 preferred); :class:`Unresolvable` if none."""
        name = host.lower().rstrip(".")
        cached = self._cache.get(name)
        if isinstance(cached, Unresolvable):
            raise cached
        if cached is not None:
            return cached
        return self._lookup(name)

    def _lookup(self, name: str) -> str:
        host = name
        try:
            ipaddress.ip_address(name)
            return name
        except ValueError:
            pass
        if name in self.mapping:
            return self.mapping[name]
        if self.only_map:
            raise Unresolvable(f"{host}: not in the hosts map (POBI_HOSTS_ONLY)")
        if name.endswith(RESERVED) or name in ("invalid", "test", "example"):
            raise Unresolvable(f"{host}: reserved name, never resolved")
        try:
            infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise Unresolvable(f"{host}: {exc}") from exc
        infos.sort(key=lambda i: i[0] != socket.AF_INET)
        return str(infos[0][4][0])
