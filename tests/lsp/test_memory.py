"""The server's memory stays flat over many edits: each didChange used to
leave ~2 KB behind (pygls kept every notification's future under a fresh
id). The messages go through the same path as from stdin
(`InfralintServer.receive`), in process, so tens of thousands are quick."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from pathlib import Path
from typing import Any, Dict

from infralint.lsp.server import InfralintServer, create_server
from tests.lsp.test_server import make_project

WARM_UP_EDITS = 1_000
MEASURED_EDITS = 5_000
# Bytes an edit may leave behind on average (it left ~2,000).
BOUND_PER_EDIT = 20


class NullWriter:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


def message(method: str, params: Any, msg_id: Any = None) -> Dict[str, Any]:
    sent = {"jsonrpc": "2.0", "method": method, "params": params}
    return sent if msg_id is None else {**sent, "id": msg_id}


def edit(uri: str, version: int) -> Dict[str, Any]:
    """Type a character at the end of line 0, or delete it again."""
    start = {"line": 0, "character": 5}
    typing = version % 2 == 0
    end = {"line": 0, "character": 5 if typing else 6}
    change = {"range": {"start": start, "end": end}, "text": "x" if typing else ""}
    return message("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})


async def type_edits(server: InfralintServer, uri: str, first: int, count: int) -> None:
    for version in range(first, first + count):
        server.receive(edit(uri, version))
        if version % 500 == 0:
            await asyncio.sleep(0)  # cancelled runs finish
    await asyncio.sleep(0)


async def settled(server: InfralintServer) -> None:
    """Wait until no lint runs or waits."""
    while server.scheduler.busy:
        await asyncio.sleep(0.01)


def test_memory_is_flat_over_many_edits(tmp_path: Path):
    workspace = make_project(tmp_path / "workspace")
    server = create_server()
    server.protocol.set_writer(NullWriter())
    uri = (workspace / "src/shop/infrastructure/loader.py").as_uri()

    async def session() -> float:
        server.receive(message("initialize", {"rootUri": workspace.as_uri(), "capabilities": {}}, 1))
        server.receive(message("initialized", {}))
        opened = {"uri": uri, "languageId": "python", "version": 1, "text": "value = 1\n"}
        server.receive(message("textDocument/didOpen", {"textDocument": opened}))
        # Lints run as the edits come (merged while one is in flight); the
        # warm-up's make the caches that are made once.
        await type_edits(server, uri, 2, WARM_UP_EDITS)
        await settled(server)
        gc.collect()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            await type_edits(server, uri, 2 + WARM_UP_EDITS, MEASURED_EDITS)
            await settled(server)
            gc.collect()
            after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return (after - before) / MEASURED_EDITS

    per_edit = asyncio.run(session())
    assert per_edit < BOUND_PER_EDIT, f"{per_edit:.0f} bytes kept per edit"
    assert len(server.protocol.tracked_futures) <= 2
    document = server.workspace.get_text_document(uri)
    assert document.source == "value = 1\n" and document.version == 1 + WARM_UP_EDITS + MEASURED_EDITS
