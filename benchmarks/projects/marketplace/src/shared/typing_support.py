"""Helpers for type annotations and text normalisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalog.infrastructure.search import SearchIndex  # noqa: F401


def searchable_text(text: str) -> str:
    return " ".join(text.lower().split())
