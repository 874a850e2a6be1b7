"""The one exceptions module. Every error pobi raises derives from :class:`PobiError`.

Only the CLI turns these into messages and exit codes; stages raise, they never print or exit.
Failures that are *data* (a dead site, a bounced e-mail) are not exceptions: they are values of the
closed enums in :mod:`pobi.models`.
"""

from __future__ import annotations


class PobiError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with; the message is shown to the user."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(PobiError):
    """Missing or invalid configuration (pobi.toml, environment variables)."""

    exit_code = 2


class InputError(PobiError):
    """A user-supplied file or argument is invalid; the message names the file and line."""

    exit_code = 2


class CsvRowError(InputError):
    """One or more bad rows in a CSV file. ``problems`` holds ``(line_number, reason)`` pairs."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        lines = "\n".join(f"  {path}:{line}: {reason}" for line, reason in problems)
        noun = "row" if len(problems) == 1 else "rows"
        super().__init__(f"{len(problems)} bad {noun} in {path}:\n{lines}")
        self.path = path
        self.problems = problems


class NotFoundError(PobiError):
    """A named thing (round, province, message, request) does not exist."""

    exit_code = 3


class StoreError(PobiError):
    """The database cannot be opened, migrated or written."""

    exit_code = 4


class EvidenceError(PobiError):
    """An evidence file cannot be written or read (disk full, permissions, tampering)."""

    exit_code = 4


class StateError(PobiError):
    """An operation is not allowed in the current state (e.g. re-sending a sent request)."""

    exit_code = 5


class ExternalServiceError(PobiError):
    """A server we talk to (SMTP, IMAP, browser) failed in a way the operation cannot absorb."""

    exit_code = 6


class Aborted(PobiError):
    """The operator declined a confirmation."""

    exit_code = 1
