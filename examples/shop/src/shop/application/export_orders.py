"""Use case: export paid orders as CSV to the accounting system."""

from __future__ import annotations

import csv
import io
import logging
# seeded: IL102
import urllib.request
from urllib.error import URLError

from shop.domain.order import OrderStatus
from shop.domain.ports import OrderRepository

logger = logging.getLogger(__name__)

CSV_HEADER = ("order_id", "placed_at", "customer_email", "total", "currency", "payment_reference")


class ExportFailed(Exception):
    """The accounting system did not accept the export."""


class ExportPaidOrders:
    def __init__(self, orders: OrderRepository, upload_url: str, timeout: float = 10.0) -> None:
        self._orders = orders
        self._upload_url = upload_url
        self._timeout = timeout

    def render(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for order in self._orders.list_by_status(OrderStatus.PAID):
            total = order.total
            writer.writerow(
                (order.id, order.placed_at.isoformat(), order.customer_email, total.amount, total.currency, order.payment_reference)
            )
        return buffer.getvalue()

    def __call__(self) -> int:
        """Upload the export; return the HTTP status the accounting system answered."""
        body = self.render().encode("utf-8")
        request = urllib.request.Request(self._upload_url, data=body, method="PUT", headers={"Content-Type": "text/csv"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                status = int(response.status)
        except URLError as err:
            logger.exception("export to %s failed", self._upload_url)
            raise ExportFailed(f"export to {self._upload_url} failed: {err.reason}") from err
        logger.info("exported paid orders to %s (HTTP %s)", self._upload_url, status)
        return status
