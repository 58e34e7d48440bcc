from decimal import Decimal

import pytest

from shop.domain.errors import CurrencyMismatch
from shop.domain.money import Money


def test_rounds_to_the_cent_half_even() -> None:
    assert Money.of("2.345", "EUR").amount == Decimal("2.34")
    assert Money.of("2.355", "EUR").amount == Decimal("2.36")


def test_adds_and_multiplies_in_one_currency() -> None:
    total = Money.of("1.10", "EUR") * 3 + Money.of("0.70", "EUR")
    assert total == Money.of("4.00", "EUR")
    assert total.cents == 400
    assert str(total) == "4.00 EUR"


def test_refuses_to_mix_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        Money.of(1, "EUR") + Money.of(1, "USD")


@pytest.mark.parametrize("currency", ["eur", "EURO", "E1R", ""])
def test_rejects_invalid_currency_codes(currency: str) -> None:
    with pytest.raises(ValueError):
        Money.of(1, currency)


def test_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Money.of(0.1, "EUR")  # type: ignore[arg-type]


def test_round_trips_through_cents() -> None:
    assert Money.from_cents(1999, "USD") == Money.of("19.99", "USD")
