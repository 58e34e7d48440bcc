"""Errors the business rules raise."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every business-rule violation."""


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were combined."""


class EmptyOrder(DomainError):
    """An order needs at least one line."""


class InvalidOrderState(DomainError):
    """The order cannot make this transition from its current status."""


class OrderNotFound(DomainError):
    """No order has this id."""


class PaymentDeclined(DomainError):
    """The payment provider refused the charge."""
