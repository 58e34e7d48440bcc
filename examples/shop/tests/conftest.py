"""Fixtures shared by the tests."""

from __future__ import annotations

import pytest

from fakes import InMemoryOrderRepository, RecordingNotifier


@pytest.fixture
def orders() -> InMemoryOrderRepository:
    return InMemoryOrderRepository()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()
