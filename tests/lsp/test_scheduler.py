"""The scheduler lints a document as soon as it changes, never twice at
once, and merges the changes made while a run is in flight into one run."""

from __future__ import annotations

import asyncio
from typing import List, Tuple

from infralint.lsp.scheduler import LintScheduler


def test_changes_during_a_run_make_one_more_run_not_one_each():
    runs: List[Tuple[str, bool]] = []

    async def session() -> None:
        release = asyncio.Event()

        async def lint(uri: str, refresh_project: bool) -> None:
            runs.append((uri, refresh_project))
            if len(runs) == 1:
                await release.wait()  # the first run is slow

        scheduler = LintScheduler(lint, delay=0)
        scheduler.schedule("a")
        await asyncio.sleep(0.01)
        assert runs == [("a", False)]
        for _ in range(20):  # typing while it runs
            scheduler.schedule("a")
        scheduler.schedule("a", refresh_project=True)  # and a save
        await asyncio.sleep(0.01)
        assert runs == [("a", False)]  # nothing piles up
        release.set()
        while scheduler.busy:
            await asyncio.sleep(0.01)

    asyncio.run(session())
    assert runs == [("a", False), ("a", True)]


def test_a_document_whose_lint_is_long_waits_for_a_pause():
    scheduler = LintScheduler(lambda uri, refresh: asyncio.sleep(0), delay=0)
    scheduler._took["big"] = 5.0
    scheduler._took["small"] = 0.03
    assert scheduler.quiet_time("big") == 1.0
    assert scheduler.quiet_time("small") == 0
