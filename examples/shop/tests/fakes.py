"""In-memory fakes of the domain's ports."""

from __future__ import annotations

from typing import Dict, List

from shop.domain.errors import OrderNotFound
from shop.domain.money import Money
from shop.domain.order import Order, OrderStatus
from shop.domain.ports import OrderRepository, PaymentResult


class InMemoryOrderRepository(OrderRepository):
    def __init__(self) -> None:
        self.orders: Dict[str, Order] = {}

    def add(self, order: Order) -> None:
        self.orders[order.id] = order

    def save(self, order: Order) -> None:
        if order.id not in self.orders:
            raise OrderNotFound(order.id)
        self.orders[order.id] = order

    def get(self, order_id: str) -> Order:
        try:
            return self.orders[order_id]
        except KeyError:
            raise OrderNotFound(order_id) from None

    def list_by_status(self, status: OrderStatus) -> List[Order]:
        return sorted((o for o in self.orders.values() if o.status is status), key=lambda o: o.placed_at)


class FakePaymentGateway:
    def __init__(self, approve: bool = True) -> None:
        self.approve = approve
        self.charges: List[Money] = []

    def charge(self, amount: Money, order_id: str) -> PaymentResult:
        self.charges.append(amount)
        if self.approve:
            return PaymentResult(approved=True, reference=f"pay-{len(self.charges)}")
        return PaymentResult(approved=False, reference="", reason="insufficient funds")


class RecordingNotifier:
    def __init__(self) -> None:
        self.confirmed: List[str] = []

    def order_confirmed(self, order: Order) -> None:
        self.confirmed.append(order.id)
