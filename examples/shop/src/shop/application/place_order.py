"""Use case: place an order, charge it and confirm it to the customer."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from shop.domain.errors import PaymentDeclined
from shop.domain.money import Money
from shop.domain.order import Order, OrderLine
from shop.domain.ports import OrderNotifier, OrderRepository, PaymentGateway
# seeded: IL101
from ..entrypoints.schemas import PlaceOrderRequest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaceOrderResult:
    order_id: str
    total: Money
    payment_reference: str


class PlaceOrder:
    def __init__(self, orders: OrderRepository, payments: PaymentGateway, notifier: OrderNotifier) -> None:
        self._orders = orders
        self._payments = payments
        self._notifier = notifier

    def __call__(self, request: PlaceOrderRequest) -> PlaceOrderResult:
        lines = [OrderLine(item.sku, item.quantity, Money.of(item.unit_price, request.currency)) for item in request.items]
        order = Order(customer_email=request.customer_email, lines=lines)
        self._orders.add(order)

        result = self._payments.charge(order.total, order.id)
        if not result.approved:
            order.cancel()
            self._orders.save(order)
            logger.warning("payment declined for order %s: %s", order.id, result.reason)
            raise PaymentDeclined(result.reason or "declined")

        order.mark_paid(result.reference)
        self._orders.save(order)
        self._notifier.order_confirmed(order)
        logger.info("order %s placed, total %s", order.id, order.total)
        return PlaceOrderResult(order.id, order.total, result.reference)
