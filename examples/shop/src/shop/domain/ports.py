"""Ports: what the domain needs from the outside world, as contracts."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import List, Protocol

from shop.domain.money import Money
from shop.domain.order import Order, OrderStatus


class OrderRepository(ABC):
    """Stores and loads Order aggregates."""

    @abstractmethod
    def add(self, order: Order) -> None:
        """Store a new order."""

    @abstractmethod
    def save(self, order: Order) -> None:
        """Store the new state of an existing order."""

    @abstractmethod
    def get(self, order_id: str) -> Order:
        """Load an order; raise OrderNotFound when there is none."""

    @abstractmethod
    def list_by_status(self, status: OrderStatus) -> List[Order]:
        """Every order in this status, oldest first."""


@dataclass(frozen=True)
class PaymentResult:
    approved: bool
    reference: str
    reason: str = ""


class PaymentGateway(Protocol):
    def charge(self, amount: Money, order_id: str) -> PaymentResult:
        """Charge the customer for an order; idempotent per order id."""
        ...


class OrderNotifier(Protocol):
    def order_confirmed(self, order: Order) -> None:
        """Tell the customer their order is paid."""
        ...
