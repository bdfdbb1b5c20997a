"""Timestamps as stored: ISO 8601 UTC text to the millisecond (sortable as text)."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["now", "now_iso", "parse_iso"]


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def now_iso(moment: datetime | None = None) -> str:
    """``moment`` (default now) as stored, e.g. ``2026-01-31T08:15:00.123+00:00``."""
    return (moment or now()).astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(text: str) -> datetime:
    """The inverse of ``now_iso``."""
    return datetime.fromisoformat(text)
