import pytest

from shop.application.place_order import PlaceOrder
from shop.domain.errors import PaymentDeclined
from shop.domain.money import Money
from shop.domain.order import OrderStatus
from shop.entrypoints.schemas import InvalidRequest, PlaceOrderRequest

from fakes import FakePaymentGateway, InMemoryOrderRepository, RecordingNotifier

PAYLOAD = {
    "customer_email": "ada@example.com",
    "currency": "eur",
    "items": [{"sku": "BOOK-1", "quantity": 2, "unit_price": "12.50"}, {"sku": "PEN-7", "unit_price": "3.20"}],
}


def test_places_charges_and_confirms(orders: InMemoryOrderRepository, notifier: RecordingNotifier) -> None:
    payments = FakePaymentGateway()
    result = PlaceOrder(orders, payments, notifier)(PlaceOrderRequest.from_json(PAYLOAD))

    assert result.total == Money.of("28.20", "EUR")
    assert payments.charges == [Money.of("28.20", "EUR")]
    stored = orders.get(result.order_id)
    assert (stored.status, stored.payment_reference) == (OrderStatus.PAID, "pay-1")
    assert notifier.confirmed == [result.order_id]


def test_declined_payment_cancels_the_order(orders: InMemoryOrderRepository, notifier: RecordingNotifier) -> None:
    with pytest.raises(PaymentDeclined, match="insufficient funds"):
        PlaceOrder(orders, FakePaymentGateway(approve=False), notifier)(PlaceOrderRequest.from_json(PAYLOAD))

    [order] = orders.orders.values()
    assert order.status is OrderStatus.CANCELLED
    assert notifier.confirmed == []


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"customer_email": "not-an-email", "items": [{"sku": "A", "unit_price": "1"}]},
        {"customer_email": "ada@example.com", "items": []},
        {"customer_email": "ada@example.com", "items": [{"sku": "A", "quantity": 0, "unit_price": "1"}]},
        {"customer_email": "ada@example.com", "items": [{"sku": "A", "unit_price": "abc"}]},
    ],
)
def test_invalid_payloads_are_rejected_at_the_edge(payload: dict) -> None:
    with pytest.raises(InvalidRequest):
        PlaceOrderRequest.from_json(payload)
