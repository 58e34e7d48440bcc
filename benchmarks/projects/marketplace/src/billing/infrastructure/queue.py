"""An outbox queue standing in for the message broker."""

from __future__ import annotations

from typing import List

OUTBOX: List[str] = []


def publish(message: str) -> None:
    OUTBOX.append(message)
