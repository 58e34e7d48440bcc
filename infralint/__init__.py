"""infralint: an architecture linter for layered Python services."""

__version__ = "0.1.0"
