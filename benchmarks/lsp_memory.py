#!/usr/bin/env python3
"""The memory of `infralint server` over many edits, over stdio.

Opens a small module in a temporary layered project, then sends N
incremental didChange notifications (typing a character and deleting it
again) in bursts of 1,000 written at once, as fast as the pipe takes them,
and prints the server's resident memory (Linux, /proc) after 10,000, half
and all of them. The test suite checks the same in process
(tests/lsp/test_memory.py); this is the whole server, its reader thread and
inbox included. A script, not a test: no budget is asserted.

    python benchmarks/lsp_memory.py [--edits 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infralint.lsp.framing import encode_frame  # noqa: E402
from tests.lsp.raw_client import RawClient  # noqa: E402
from tests.lsp.test_server import make_project  # noqa: E402

BURST = 1_000


def resident_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit("no VmRSS: Linux only")


def edit(uri: str, version: int) -> bytes:
    typing = version % 2 == 0
    end = {"line": 0, "character": 5 if typing else 6}
    change = {"range": {"start": {"line": 0, "character": 5}, "end": end}, "text": "x" if typing else ""}
    params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
    return encode_frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=100_000)
    arguments = parser.parse_args()
    root = make_project(Path(tempfile.mkdtemp()) / "workspace")
    client = RawClient(root)
    client.initialize(root)
    uri = (root / "src/shop/infrastructure/loader.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "value = 1\n"}})
    client.diagnostics(uri)
    marks = sorted({min(10_000, arguments.edits), arguments.edits // 2, arguments.edits})
    resident: Dict[int, int] = {}
    started = time.perf_counter()
    version = 1
    for mark in marks:
        while version - 1 < mark:
            count = min(BURST, mark - (version - 1))
            client.send_bytes(b"".join(edit(uri, v) for v in range(version + 1, version + 1 + count)))
            version += count
        # A request answered after the edits: they have all been handled.
        client.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
        resident[mark] = resident_kb(client.process.pid)
    seconds = time.perf_counter() - started
    client.call("shutdown", None)
    client.notify("exit", None)
    client.wait()
    for mark, kb in resident.items():
        print(f"after {mark:>7,} edits: {kb:,} KB resident")
    first, last = marks[0], marks[-1]
    if last > first:
        print(f"{(resident[last] - resident[first]) * 1024 / (last - first):.1f} bytes per edit after the first {first:,} ({seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
