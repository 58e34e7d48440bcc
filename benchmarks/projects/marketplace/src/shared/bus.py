"""The event bus: delivers through billing's outbox."""

from __future__ import annotations

from billing.infrastructure import queue


def send(name: str) -> None:
    queue.publish(name)
