"""shop: orders, payments and confirmations, in layers."""

__version__ = "0.1.0"
