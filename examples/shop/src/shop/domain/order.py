"""The Order aggregate: its lines, its total and its payment life cycle."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import List, Optional

from shop.domain.errors import EmptyOrder, InvalidOrderState
from shop.domain.money import Money
# seeded: IL101
from shop.infrastructure.clock import SystemClock


class OrderStatus(str, enum.Enum):
    PENDING = "pending"
    PAID = "paid"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Money

    def __post_init__(self) -> None:
        if not self.sku:
            raise ValueError("an order line needs a SKU")
        if self.quantity <= 0:
            raise ValueError(f"quantity must be positive, got {self.quantity}")

    @property
    def subtotal(self) -> Money:
        return self.unit_price * self.quantity


@dataclass
class Order:
    customer_email: str
    lines: List[OrderLine]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: OrderStatus = OrderStatus.PENDING
    placed_at: datetime = field(default_factory=lambda: SystemClock().now())
    payment_reference: Optional[str] = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise EmptyOrder("an order needs at least one line")
        # Summing checks that every line is in the same currency.
        _ = self.total

    @property
    def currency(self) -> str:
        return self.lines[0].unit_price.currency

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.subtotal
        return total

    def mark_paid(self, payment_reference: str) -> None:
        if self.status is not OrderStatus.PENDING:
            raise InvalidOrderState(f"order {self.id} is {self.status.value}, only a pending order can be paid")
        self.status = OrderStatus.PAID
        self.payment_reference = payment_reference

    def cancel(self) -> None:
        if self.status is OrderStatus.PAID:
            raise InvalidOrderState(f"order {self.id} is paid; refund it instead of cancelling")
        self.status = OrderStatus.CANCELLED
