"""Money: an exact amount in one currency, rounded to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Union

from shop.domain.errors import CurrencyMismatch

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency must be an ISO 4217 code such as 'EUR', got {self.currency!r}")
        rounded = Decimal(self.amount).quantize(_CENT, rounding=ROUND_HALF_EVEN)
        object.__setattr__(self, "amount", rounded)

    @classmethod
    def of(cls, amount: Union[str, int, Decimal], currency: str) -> Money:
        """Build from a decimal string or an integer, never from a float."""
        if isinstance(amount, float):
            raise TypeError("use a string or a Decimal for money, not a float")
        return cls(Decimal(amount), currency)

    @classmethod
    def from_cents(cls, cents: int, currency: str) -> Money:
        return cls(Decimal(cents) / 100, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @property
    def cents(self) -> int:
        return int(self.amount * 100)

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __mul__(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
