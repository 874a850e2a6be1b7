"""A crawl job: what to crawl and how, written by the CLI and read by the crawl process.

The job folder ``$POBI_HOME/jobs/<round>/`` holds ``job.json`` (this spec), ``crawl.log`` (Scrapy's
log) and ``lock`` (held while a crawl of the round runs, so two crawls never write one round).
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from pobi.errors import InputError, StateError
from pobi.models import RenderMode


@dataclass(frozen=True)
class Target:
    province_code: str
    site_kind: str
    url: str
    source: str = "registry"


@dataclass
class Job:
    round_id: str
    era: str
    targets: list[Target]
    render: str = RenderMode.AUTO.value
    max_pages: int | None = None  # None: [crawl] max_pages
    max_depth: int | None = None  # None: [crawl] max_depth
    resume: bool = False
    retry_failed: bool = False  # with resume: fetch again pages that failed transiently
    finance_reference: dict[str, list[str]] = field(default_factory=dict)  # code -> [url, source]
    distributed: str = ""  # redis://HOST[:PORT][/DB]: share the sites with other processes

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Job:
        try:
            raw = json.loads(text)
            raw["targets"] = [Target(**t) for t in raw["targets"]]
            return cls(**raw)
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"Not a crawl job file: {exc}") from exc


def job_dir(home: Path, round_id: str) -> Path:
    path = Path(home) / "jobs" / round_id
    path.mkdir(parents=True, exist_ok=True)
    return path


class JobLock:
    """An exclusive lock on a round's job folder (released when the process dies, even by SIGKILL)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "lock"
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        fh = self.path.open("a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            fh.close()
            raise StateError(
                f"Another crawl of this round is running (process {holder}); "
                "wait for it or stop it first."
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
