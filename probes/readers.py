"""Mail files a researcher exports from webmail or a mail client: ``.eml`` files, mbox files,
Maildir folders (Maildir++ subfolders included) and directories of ``.eml`` files.

:func:`plan_sources` walks the paths first (so a progress bar knows the total and a missing path
is an error before anything is imported); each :class:`MailSource` then yields
``(source, raw_bytes)`` pairs. ``source`` is the file path, ``path#<n>`` for the n-th message
(1-based) of an mbox file, and the message file's path for a Maildir.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pobi.errors import InputError

EML_SUFFIXES = {".eml", ".mail"}
MBOX_SUFFIXES = {".mbox", ".mbx", ".mbs"}


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def _looks_like_mbox(path: Path) -> bool:
    if path.suffix.lower() in MBOX_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError:
        return False
    return head == b"From "


@dataclass
class MailSource:
    path: Path
    kind: str  # eml | mbox | maildir
    count: int

    def messages(self) -> Iterator[tuple[str, bytes]]:
        """(source, raw bytes) pairs; a file that cannot be read is an InputError naming it."""
        try:
            yield from self._messages()
        except (OSError, mailbox.Error) as exc:
            name = getattr(exc, "filename", None) or self.path
            reason = getattr(exc, "strerror", None) or str(exc)
            raise InputError(f"{name}: cannot read: {reason}") from exc

    def _messages(self) -> Iterator[tuple[str, bytes]]:
        if self.kind == "eml":
            yield str(self.path), self.path.read_bytes()
        elif self.kind == "mbox":
            box = mailbox.mbox(self.path, create=False)
            try:
                for i, key in enumerate(box.keys(), 1):
                    yield f"{self.path}#{i}", box.get_bytes(key)
            finally:
                box.close()
        else:
            for f in maildir_files(self.path):
                yield str(f), f.read_bytes()


def maildir_files(root: Path) -> list[Path]:
    """Message files of a Maildir and its Maildir++ subfolders (.Sent, .Junk, ...), sorted."""
    files: list[Path] = []
    folders = [root, *sorted(p for p in root.iterdir() if p.name.startswith(".") and is_maildir(p))]
    for folder in folders:
        for sub in ("new", "cur"):
            d = folder / sub
            files.extend(
                sorted(p for p in d.iterdir() if p.is_file() and not p.name.startswith("."))
            )
    return files


def _mbox_count(path: Path) -> int:
    try:
        box = mailbox.mbox(path, create=False)
        try:
            return len(box.keys())
        finally:
            box.close()
    except (OSError, mailbox.Error) as exc:
        raise InputError(f"{path}: cannot read as an mbox file: {exc}") from exc


def plan_sources(paths: list[Path]) -> list[MailSource]:
    """What will be imported from these paths. Missing or unreadable paths are an InputError."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(
            "Not found: " + ", ".join(missing),
            hint="Give .eml files, mbox files, Maildir folders or folders of .eml files.",
        )
    out: list[MailSource] = []
    for path in paths:
        if path.is_dir():
            if is_maildir(path):
                out.append(MailSource(path, "maildir", len(maildir_files(path))))
                continue
            found = False
            for f in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in f.relative_to(path).parts):
                    continue
                if any(f.is_relative_to(s.path) for s in out if s.kind == "maildir"):
                    continue
                if f.is_dir() and is_maildir(f):
                    out.append(MailSource(f, "maildir", len(maildir_files(f))))
                    found = True
                elif f.is_file() and f.suffix.lower() in EML_SUFFIXES:
                    out.append(MailSource(f, "eml", 1))
                    found = True
                elif f.is_file() and _looks_like_mbox(f):
                    # .mbox files, and mbox files without a suffix (Thunderbird's "Inbox",
                    # Apple Mail's "Inbox.mbox/mbox")
                    out.append(MailSource(f, "mbox", _mbox_count(f)))
                    found = True
            if not found:
                raise InputError(
                    f"{path}: a folder with no .eml files, mbox files or Maildir in it.",
                )
        elif path.is_file():
            if path.suffix.lower() not in EML_SUFFIXES and _looks_like_mbox(path):
                out.append(MailSource(path, "mbox", _mbox_count(path)))
            else:
                out.append(MailSource(path, "eml", 1))
        else:
            raise InputError(f"{path}: not a file or folder.")
    return out
