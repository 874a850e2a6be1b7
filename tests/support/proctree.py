"""A process and its descendants, read from /proc: memory (RSS, PSS) and CPU time by kind.

Used by the benchmarks to measure ``pobi crawl``'s and the dashboard's whole process trees (the
CLI, the crawl process, Playwright's node driver, Chromium's browser, helper and renderer
processes), and by tests that must find their own Chromium. RSS counts
memory shared between Chromium's processes once per process; PSS divides shared pages among the
processes sharing them, so a tree's PSS is its real footprint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    rss: int  # bytes
    cpu: float  # seconds (user + system) so far


def snapshot() -> dict[int, Proc]:
    """Every process we can read, now."""
    page = os.sysconf("SC_PAGE_SIZE")
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            out[int(entry)] = Proc(
                pid=int(entry),
                ppid=int(fields[1]),
                rss=int(fields[21]) * page,
                cpu=(int(fields[11]) + int(fields[12])) / tick,
            )
        except (OSError, IndexError, ValueError):
            continue
    return out


def tree(root: int, table: dict[int, Proc] | None = None) -> list[Proc]:
    """``root`` and its descendants in ``table`` (default: now; a process that already ended is
    not listed)."""
    table = table if table is not None else snapshot()
    children: dict[int, list[int]] = {}
    for p in table.values():
        children.setdefault(p.ppid, []).append(p.pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(table[pid])
            todo.extend(children.get(pid, []))
    return found


def pss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def kind(pid: int, root: int) -> str:
    """What a process of ``pobi crawl``'s tree is."""
    if pid == root:
        return "pobi_cli"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    line = b" ".join(cmd)  # Chromium rewrites its command line as one string
    if b"crawler.run" in line:
        return "crawl_process"
    if b"--type=renderer" in line:
        return "chromium_renderers"
    if b"--type=" in line or b"crashpad" in cmd[0]:
        return "chromium_helpers"
    if b"chrom" in cmd[0]:
        return "chromium_browser"
    return "other (" + os.path.basename(cmd[0].decode(errors="replace")) + ")"


def tree_memory(
    root: int, parts: dict[str, int] | None = None, pss_parts: dict[str, int] | None = None
) -> tuple[int, int, int]:
    """(RSS, PSS, processes) of ``root``'s tree; ``parts`` gets the RSS per kind of process,
    ``pss_parts`` the PSS per kind."""
    total_rss = total_pss = 0
    procs = tree(root)
    for p in procs:
        share = pss(p.pid) or p.rss
        total_rss += p.rss
        total_pss += share
        if parts is not None or pss_parts is not None:
            k = kind(p.pid, root)
            if parts is not None:
                parts[k] = parts.get(k, 0) + p.rss
            if pss_parts is not None:
                pss_parts[k] = pss_parts.get(k, 0) + share
    return total_rss, total_pss, len(procs)


def tree_cpu(root: int, seen: dict[int, tuple[str, float]]) -> None:
    """Record in ``seen`` the CPU seconds so far of every process of ``root``'s tree (pid ->
    (kind, seconds)); call it while the tree runs, so processes that end keep their last figure."""
    for p in tree(root):
        k = seen[p.pid][0] if p.pid in seen else kind(p.pid, root)
        seen[p.pid] = (k, max(p.cpu, seen.get(p.pid, (k, 0.0))[1]))
