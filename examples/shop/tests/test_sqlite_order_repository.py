"""Tests may import infrastructure: they wire real adapters on purpose."""

import sqlite3
from typing import Iterator

import pytest

from shop.application.export_orders import CSV_HEADER, ExportPaidOrders
from shop.application.reports import ReportRepository
from shop.domain.errors import OrderNotFound
from shop.domain.money import Money
from shop.domain.order import Order, OrderLine, OrderStatus
from shop.infrastructure.orders import SqliteOrderRepository
from shop.infrastructure.settings_config import ConfigError, load_settings


@pytest.fixture
def repository() -> Iterator[SqliteOrderRepository]:
    repository = SqliteOrderRepository(sqlite3.connect(":memory:"))
    yield repository
    repository.close()


def _order(email: str, price: str, currency: str = "EUR") -> Order:
    return Order(customer_email=email, lines=[OrderLine("SKU-1", 2, Money.of(price, currency))])


def test_round_trips_an_order(repository: SqliteOrderRepository) -> None:
    order = _order("ada@example.com", "9.99")
    repository.add(order)
    loaded = repository.get(order.id)
    assert loaded == order
    assert loaded.total == Money.of("19.98", "EUR")


def test_saves_state_changes(repository: SqliteOrderRepository) -> None:
    order = _order("ada@example.com", "5.00")
    repository.add(order)
    order.mark_paid("pay-1")
    repository.save(order)
    assert repository.list_by_status(OrderStatus.PAID) == [order]
    assert repository.list_by_status(OrderStatus.PENDING) == []


def test_unknown_order(repository: SqliteOrderRepository) -> None:
    with pytest.raises(OrderNotFound):
        repository.get("nope")
    with pytest.raises(OrderNotFound):
        repository.save(_order("ada@example.com", "1.00"))


def test_report_and_export_read_paid_orders(repository: SqliteOrderRepository) -> None:
    for email, price, currency in [("a@x.io", "10.00", "EUR"), ("b@x.io", "2.50", "EUR"), ("c@x.io", "7.00", "USD")]:
        order = _order(email, price, currency)
        repository.add(order)
        order.mark_paid(f"pay-{email}")
        repository.save(order)
    repository.add(_order("pending@x.io", "99.00"))

    sales = {line.currency: (line.orders, str(line.revenue)) for line in ReportRepository(repository.connection).sales_by_currency()}
    assert sales == {"EUR": (2, "25.00"), "USD": (1, "14.00")}

    csv_lines = ExportPaidOrders(repository, "http://accounting.invalid/upload").render().splitlines()
    assert csv_lines[0] == ",".join(CSV_HEADER)
    assert len(csv_lines) == 4


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_DATABASE", "/tmp/shop.db")
    monkeypatch.setenv("SMTP_PORT", "2525")
    monkeypatch.delenv("EXPORT_URL", raising=False)
    settings = load_settings()
    assert (settings.database_path, settings.smtp_port, settings.export_url) == ("/tmp/shop.db", 2525, None)
    monkeypatch.setenv("PAYMENT_TIMEOUT", "-1")
    with pytest.raises(ConfigError, match="PAYMENT_TIMEOUT"):
        load_settings()
    monkeypatch.delenv("SHOP_DATABASE")
    with pytest.raises(ConfigError, match="SHOP_DATABASE must be set"):
        load_settings()
