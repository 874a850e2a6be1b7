"""The crawl process dies with its parent.

``pobi crawl`` supervises ``python -m crawler.run`` as a child. When the supervisor is killed
(``kill -9``, a closed terminal, an OOM kill), nothing tells the child: it would go on crawling
alone and hold the round's lock, so the next ``pobi crawl --resume`` is refused. :func:`watch`
starts a daemon thread that notices, within :data:`POLL` seconds, that the parent is gone (the
child is re-parented, ``os.getppid()`` changes), kills the child's own descendants (Playwright's
driver and Chromium) and ends the process at once. The round's lock is an ``flock``: the kernel
releases it with the process. What was stored stays stored; ``--resume`` continues from there.

On Linux, ``prctl(PR_SET_PDEATHSIG)`` would be immediate, but it fires when the parent *thread*
ends and cannot clean up Chromium; the watch thread works the same everywhere.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

POLL = 0.25  # seconds between looks at the parent
PARENT_ENV = "POBI_CRAWL_PARENT"  # the supervisor's pid, set by ``pobi crawl``
EXIT_ORPHANED = 75  # EX_TEMPFAIL: the crawl stopped because its supervisor died


def descendants(root: int) -> list[int]:
    """Pids below ``root`` (from /proc; empty where there is no /proc), deepest first."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
    out: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return list(reversed(out))


def expected_parent() -> int:
    raw = os.environ.get(PARENT_ENV, "").strip()
    return int(raw) if raw.isdigit() else os.getppid()


def orphaned(parent: int) -> bool:
    return os.getppid() != parent


def stop_now(reason: str) -> None:
    """Kill our descendants, say why on stderr, end this process without cleanup."""
    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        sys.stderr.write(f"crawl process {os.getpid()}: {reason}; stopping.\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(EXIT_ORPHANED)


def watch(parent: int | None = None, poll: float = POLL) -> threading.Thread:
    """Start the watch thread (daemon); returns it."""
    parent = expected_parent() if parent is None else parent
    if orphaned(parent):  # the parent died before we even started
        stop_now(f"supervisor {parent} is gone")

    def loop() -> None:
        while True:
            time.sleep(poll)
            if orphaned(parent):
                stop_now(f"supervisor {parent} is gone")

    thread = threading.Thread(target=loop, name="pobi-lifeline", daemon=True)
    thread.start()
    return thread
