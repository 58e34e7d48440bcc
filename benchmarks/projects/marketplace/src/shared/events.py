"""Domain events and how they are published."""

from __future__ import annotations

from dataclasses import dataclass

from shared import bus


@dataclass(frozen=True)
class OrderPlaced:
    order_id: str


def publish(event: OrderPlaced) -> None:
    bus.send(f"order-placed:{event.order_id}")
