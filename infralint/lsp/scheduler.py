"""When a document is linted: as soon as it changes, never twice at once.

Per document there is at most one run in flight and one waiting. A change
starts a run after the quiet time (`delay`, 0 by default: the lint of a
1,000-line module takes ~35 ms, well under the time between keystrokes);
a change while a run is in flight only asks for one more run, of the
latest text, when that run ends, so fast typing never piles up work (the
run in flight publishes nothing if its text is stale: the caller checks).
A document whose last run took long (a large buffer) waits for a pause in
typing as long as that run, up to `MAX_QUIET_SECONDS`, before the next.
"""

from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable, Dict, Set

# A run longer than this makes its document wait for a pause in typing.
LONG_RUN_SECONDS = 0.25
MAX_QUIET_SECONDS = 1.0


class LintScheduler:
    """Runs ``lint(uri, refresh_project)`` for each document as it changes;
    a save in a burst of changes still refreshes the project."""

    def __init__(self, lint: Callable[[str, bool], Awaitable[None]], delay: float) -> None:
        self._lint = lint
        self.delay = delay
        self._waiting: Dict[str, "asyncio.Task[None]"] = {}
        self._running: Dict[str, "asyncio.Task[None]"] = {}
        # Documents changed while their run was in flight -> refresh the project.
        self._again: Dict[str, bool] = {}
        self._refresh: Set[str] = set()
        # How long each document's last run took.
        self._took: Dict[str, float] = {}

    @property
    def busy(self) -> bool:
        """Whether a run is in flight or waiting."""
        return bool(self._waiting or self._running)

    def quiet_time(self, uri: str) -> float:
        took = self._took.get(uri, 0.0)
        return max(self.delay, min(took, MAX_QUIET_SECONDS)) if took > LONG_RUN_SECONDS else self.delay

    def schedule(self, uri: str, delay: "float | None" = None, refresh_project: bool = False) -> None:
        if uri in self._running:
            self._again[uri] = self._again.get(uri, False) or refresh_project
            return
        refresh_project = refresh_project or uri in self._refresh
        waiting = self._waiting.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if refresh_project:
            self._refresh.add(uri)
        wait = self.quiet_time(uri) if delay is None else delay
        self._waiting[uri] = asyncio.get_running_loop().create_task(self._run(uri, wait))

    def cancel(self, uri: str) -> None:
        """Forget the document: no run waits, the one in flight is cancelled."""
        self._refresh.discard(uri)
        self._again.pop(uri, None)
        self._took.pop(uri, None)
        for tasks in (self._waiting, self._running):
            task = tasks.pop(uri, None)
            if task is not None:
                task.cancel()

    def cancel_all(self) -> None:
        for uri in {*self._waiting, *self._running}:
            self.cancel(uri)

    async def _run(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.current_task()
        if self._waiting.get(uri) is task:
            del self._waiting[uri]
        assert task is not None
        self._running[uri] = task
        refresh_project = uri in self._refresh
        self._refresh.discard(uri)
        started = time.monotonic()
        try:
            await self._lint(uri, refresh_project)
        finally:
            if self._running.get(uri) is task:
                del self._running[uri]
                self._took[uri] = time.monotonic() - started
        if uri in self._again:
            self.schedule(uri, refresh_project=self._again.pop(uri))
