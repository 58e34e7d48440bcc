"""Confirmations written to the log, for environments without a mail server."""

from __future__ import annotations

import logging

from shop.domain.order import Order
from shop.domain.ports import OrderNotifier

logger = logging.getLogger(__name__)


class LogNotifierAdapter(OrderNotifier):
    def order_confirmed(self, order: Order) -> None:
        logger.info("order %s confirmed for %s, total %s", order.id, order.customer_email, order.total)
