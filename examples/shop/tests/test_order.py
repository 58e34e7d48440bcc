import pytest

from shop.domain.errors import CurrencyMismatch, EmptyOrder, InvalidOrderState
from shop.domain.money import Money
from shop.domain.order import Order, OrderLine, OrderStatus


def _order() -> Order:
    return Order(
        customer_email="ada@example.com",
        lines=[OrderLine("BOOK-1", 2, Money.of("12.50", "EUR")), OrderLine("PEN-7", 1, Money.of("3.20", "EUR"))],
    )


def test_total_sums_the_lines() -> None:
    assert _order().total == Money.of("28.20", "EUR")


def test_new_order_is_pending_and_timestamped() -> None:
    order = _order()
    assert order.status is OrderStatus.PENDING
    assert order.placed_at.tzinfo is not None
    assert order.payment_reference is None


def test_an_order_needs_lines() -> None:
    with pytest.raises(EmptyOrder):
        Order(customer_email="ada@example.com", lines=[])


def test_lines_share_one_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        Order(
            customer_email="ada@example.com",
            lines=[OrderLine("A", 1, Money.of(1, "EUR")), OrderLine("B", 1, Money.of(1, "USD"))],
        )


def test_quantity_must_be_positive() -> None:
    with pytest.raises(ValueError):
        OrderLine("A", 0, Money.of(1, "EUR"))


def test_payment_life_cycle() -> None:
    order = _order()
    order.mark_paid("pay-123")
    assert (order.status, order.payment_reference) == (OrderStatus.PAID, "pay-123")
    with pytest.raises(InvalidOrderState):
        order.mark_paid("pay-456")
    with pytest.raises(InvalidOrderState):
        order.cancel()
