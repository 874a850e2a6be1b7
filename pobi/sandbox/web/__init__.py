"""Serve a simulated :class:`~pobi.sandbox.world.World` over HTTP on loopback.

>>> with Farm(build_test_farm(), latency_ms=0) as farm:      # doctest: +SKIP
...     farm.write_sites_csv(tmp / "sites.csv")
...     rows = farm.truth()

Every host gets its own address 127.0.0.X (X from 2 upward) and an ephemeral port, so per-host
politeness and off-site rules behave as on the real web, and several farms can run at once.
Dead hosts are bound sockets that never listen (connection refused) or servers answering 500.
"""

from __future__ import annotations

import csv
import socket
import threading
from pathlib import Path
from types import TracebackType

from pobi.errors import PobiError
from pobi.sandbox.truth import TruthRow, truth_rows, write_truth
from pobi.sandbox.web.server import HostServer, bind_dead
from pobi.sandbox.world import World, resolve

FIRST_OCTET = 2


class FarmError(PobiError):
    """The farm could not bind its loopback addresses."""


class Farm:
    """A running farm: one server per host of the world."""

    def __init__(self, world: World, latency_ms: int = 0, block: int = 0) -> None:
        """``block``: the third octet of the farm's addresses (127.0.<block>.X), so that several
        farms can run side by side (Scrapy's politeness slots are per host, without the port)."""
        self.world = world
        self.latency_ms = latency_ms
        self.block = block
        self.bases: dict[str, str] = {}
        self.addresses: dict[str, tuple[str, int]] = {}
        self._servers: list[HostServer] = []
        self._threads: list[threading.Thread] = []
        self._dead: list[socket.socket] = []

    # ---- lifecycle

    def start(self) -> Farm:
        if len(self.world.hosts) > 250:
            raise FarmError(f"A farm holds at most 250 hosts ({len(self.world.hosts)} given)")
        try:
            ip = ""
            for n, (key, host) in enumerate(sorted(self.world.hosts.items())):
                ip = f"127.0.{self.block}.{FIRST_OCTET + n}"
                if host.dead == "refused":
                    sock = bind_dead(ip)
                    self._dead.append(sock)
                    port = sock.getsockname()[1]
                else:
                    server = HostServer(
                        (ip, 0), host, self.bases, host.latency_ms or self.latency_ms
                    )
                    self._servers.append(server)
                    port = server.server_address[1]
                self.addresses[key] = (ip, port)
                self.bases[key] = f"http://{ip}:{port}"
        except OSError as exc:
            self.stop()
            raise FarmError(
                f"Cannot bind the sandbox's loopback address {ip}: {exc}",
                hint=(
                    "Linux routes all of 127.0.0.0/8 to loopback; on macOS add aliases first, "
                    "e.g. `sudo ifconfig lo0 alias 127.0.0.2 up` (one per simulated site)."
                ),
            ) from exc
        for server in self._servers:
            t = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
            )
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        # shut the servers down together: each shutdown() waits for one poll interval
        stoppers = [threading.Thread(target=s.shutdown, daemon=True) for s in self._servers]
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join(timeout=5)
        for server in self._servers:
            server.server_close()
        for sock in self._dead:
            sock.close()
        self._servers.clear()
        self._dead.clear()
        self._threads.clear()

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- what it serves

    def url(self, text: str) -> str:
        """Resolve ``{{KEY}}`` placeholders to this farm's base URLs."""
        return resolve(text, self.bases)

    def site_urls(self) -> list[tuple[str, str, str]]:
        return [
            (s.province_code, s.site_kind.value, self.url(s.start_url))
            for s in self.world.sites
            if s.listed  # an unlisted site is only named by a portal's link directory
        ]

    def write_sites_csv(self, path: Path | str) -> Path:
        path = Path(path)
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["province_code", "site_kind", "url"])
            w.writerows(self.site_urls())
        return path

    def truth(self) -> list[TruthRow]:
        return truth_rows(self.world, self.bases)

    def write_truth(self, path: Path | str) -> Path:
        return write_truth(self.truth(), Path(path))

    def hits(self) -> dict[str, int]:
        return {s.host.key: s.hits for s in self._servers}
