"""Timestamps shared by the use cases and the command line."""

from __future__ import annotations

from datetime import datetime

from shop.infrastructure.clock import SystemClock


def utc_now() -> datetime:
    """The current time in UTC (a shortcut past the domain's clock port)."""
    return SystemClock().now()
