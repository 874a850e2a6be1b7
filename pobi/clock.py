"""The tool's clock. ``POBI_NOW`` (ISO 8601) freezes it, so the demo and tests get meaningful
working-day figures; otherwise it is the real time. Always timezone-aware."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pobi.errors import ConfigError

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    raw = os.environ.get("POBI_NOW")
    if raw:
        try:
            value = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise ConfigError(f"POBI_NOW={raw!r} is not an ISO 8601 date-time") from exc
        return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """Treat naive datetimes (as SQLite returns them) as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
