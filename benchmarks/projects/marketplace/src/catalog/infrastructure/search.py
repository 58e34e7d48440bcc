"""An in-memory search index standing in for the search service."""

from __future__ import annotations

from typing import Dict


class SearchIndex:
    def __init__(self) -> None:
        self._documents: Dict[str, str] = {}

    def add(self, key: str, text: str) -> None:
        self._documents[key] = text
