"""Request payloads accepted at the edge, validated before any use case runs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping, Tuple


class InvalidRequest(ValueError):
    """The payload does not describe a valid order."""


@dataclass(frozen=True)
class LineItem:
    sku: str
    quantity: int
    unit_price: str


@dataclass(frozen=True)
class PlaceOrderRequest:
    customer_email: str
    currency: str
    items: Tuple[LineItem, ...]

    @classmethod
    def from_json(cls, payload: Mapping[str, Any]) -> PlaceOrderRequest:
        email = payload.get("customer_email")
        if not isinstance(email, str) or "@" not in email:
            raise InvalidRequest("customer_email must be an e-mail address")
        currency = payload.get("currency", "EUR")
        if not isinstance(currency, str):
            raise InvalidRequest("currency must be a string")
        raw_items = payload.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise InvalidRequest("items must be a non-empty list")
        return cls(email, currency.upper(), tuple(_line_item(item) for item in raw_items))


def _line_item(raw: Any) -> LineItem:
    if not isinstance(raw, Mapping):
        raise InvalidRequest("each item must be an object")
    sku, quantity, price = raw.get("sku"), raw.get("quantity", 1), str(raw.get("unit_price", ""))
    if not isinstance(sku, str) or not sku:
        raise InvalidRequest("each item needs a sku")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InvalidRequest(f"quantity of {sku} must be a positive integer")
    try:
        if Decimal(price) < 0:
            raise InvalidRequest(f"unit_price of {sku} must not be negative")
    except InvalidOperation as err:
        raise InvalidRequest(f"unit_price of {sku} must be a decimal string, got {price!r}") from err
    return LineItem(sku, quantity, price)
