"""Debounced linting: one pending run per document, the latest wins."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Dict, Set


class LintScheduler:
    """Runs ``lint(uri, refresh_project)`` after a quiet period; scheduling
    a document again before its run starts replaces the pending run, so a
    burst of keystrokes costs one lint (and a save in the burst still
    refreshes the project). A run that already started is not interrupted:
    the caller drops its result if the document moved on meanwhile."""

    def __init__(self, lint: Callable[[str, bool], Awaitable[None]], delay: float) -> None:
        self._lint = lint
        self.delay = delay
        self._pending: Dict[str, "asyncio.Task[None]"] = {}
        self._refresh: Set[str] = set()

    def schedule(self, uri: str, delay: "float | None" = None, refresh_project: bool = False) -> None:
        refresh_project = refresh_project or uri in self._refresh
        self.cancel(uri)
        if refresh_project:
            self._refresh.add(uri)
        wait = self.delay if delay is None else delay
        self._pending[uri] = asyncio.get_running_loop().create_task(self._run(uri, wait))

    def cancel(self, uri: str) -> None:
        self._refresh.discard(uri)
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def cancel_all(self) -> None:
        for uri in list(self._pending):
            self.cancel(uri)

    async def _run(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        # From here on the run is no longer pending: a new edit schedules a
        # new run instead of cancelling this one half way.
        if self._pending.get(uri) is asyncio.current_task():
            del self._pending[uri]
        refresh_project = uri in self._refresh
        self._refresh.discard(uri)
        await self._lint(uri, refresh_project)
