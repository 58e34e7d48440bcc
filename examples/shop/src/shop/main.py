"""Composition root: read the environment, build the adapters, run the CLI."""

from __future__ import annotations

import logging
import os
import sys
from typing import Optional, Sequence

from shop.application.export_orders import ExportPaidOrders
from shop.application.place_order import PlaceOrder
from shop.application.reports import ReportRepository
from shop.domain.ports import OrderNotifier
from shop.entrypoints import cli
from shop.infrastructure.email_client import EmailClient
from shop.infrastructure.http_payment_adapter import HttpPaymentAdapter
from shop.infrastructure.log_notifier_adapter import LogNotifierAdapter
from shop.infrastructure.orders import SqliteOrderRepository
from shop.infrastructure.settings_config import load_settings


def main(argv: Optional[Sequence[str]] = None) -> int:
    # A composition root belongs to no layer and may read the environment.
    logging.basicConfig(level=os.environ.get("SHOP_LOG_LEVEL", "INFO"))
    settings = load_settings()

    orders = SqliteOrderRepository.open(settings.database_path)
    email: Optional[EmailClient] = None
    notifier: OrderNotifier = LogNotifierAdapter()
    if settings.smtp_host:
        email = EmailClient(settings.smtp_host, settings.smtp_port, settings.mail_sender)
        notifier = email
    try:
        return cli.run(
            argv,
            place_order=PlaceOrder(orders, HttpPaymentAdapter(settings.payment_timeout), notifier),
            reports=ReportRepository(orders.connection),
            export=ExportPaidOrders(orders, settings.export_url) if settings.export_url else None,
        )
    finally:
        orders.close()
        if email is not None:
            email.close()


if __name__ == "__main__":
    sys.exit(main())
