#!/usr/bin/env python3
"""How long `infralint server` takes from a keystroke to its diagnostics.

Opens a generated infrastructure module of about 1,000 lines in a
temporary layered project, then sends N single-line edits (didChange,
incremental, one at a time) and times each until the publishDiagnostics of
that version arrives. Two rounds:

- debounce 0: what the server itself costs (read, lint, convert, write);
- the server's default settings: what an editor sees.

And it times `initialize`: from starting the server process to its
reply, as an editor waits for it (--starts times).

It also times the engine alone on the same text (in this process), so the
protocol's share shows, and reports the CPU time per edit (the server's,
read from /proc on Linux), which a busy machine does not inflate the way
it does wall time. A script, not a test: no budget is asserted.

    python benchmarks/lsp_latency.py [--edits 50] [--lines 1000] [--starts 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from lsp_session import Client

# One block of a realistic infrastructure module: HTTP with and without
# timeouts, SQL, logging, error handling (some of it with findings).
BLOCK = '''

class OrderGateway{n}:
    """Talks to the order service (block {n})."""

    def __init__(self, session: requests.Session, base_url: str) -> None:
        self._session = session
        self._base_url = base_url

    def fetch(self, order_id: str) -> dict:
        response = self._session.get(f"{{self._base_url}}/orders/{{order_id}}", timeout=5)
        response.raise_for_status()
        return response.json()

    def notify(self, order_id: str) -> None:
        try:
            requests.post(f"{{self._base_url}}/notify", json={{"id": order_id}})
        except requests.RequestException as error:
            logger.error("notify failed: %s", error)

    def count(self, connection: sqlite3.Connection, status: str) -> int:
        cursor = connection.execute("SELECT count(*) FROM orders WHERE status = ?", (status,))
        return cursor.fetchone()[0]

    def archive(self, connection: sqlite3.Connection, order_id: str) -> None:
        try:
            connection.execute("DELETE FROM orders WHERE id = ?", (order_id,))
        except:
            raise
'''

HEADER = '''"""Order gateways (generated for the latency benchmark)."""

import logging
import sqlite3

import requests

logger = logging.getLogger(__name__)
'''


def make_module(lines: int) -> str:
    text, n = HEADER, 0
    while text.count("\n") < lines:
        text += BLOCK.format(n=n)
        n += 1
    return text


def make_project(root: Path, text: str) -> Path:
    for package in ("shop", "shop/domain", "shop/application", "shop/infrastructure"):
        (root / "src" / package).mkdir(parents=True)
        (root / "src" / package / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text("[tool.infralint]\n")
    module = root / "src/shop/infrastructure/order_gateways.py"
    module.write_text(text)
    return module


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def percentile(values: List[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU time of a process so far (Linux), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_edits(root: Path, module: Path, text: str, edits: int, debounce_ms: "float | None") -> Tuple[List[float], Optional[float]]:
    """Milliseconds from each didChange to the diagnostics of its version,
    and the server's mean CPU milliseconds per edit (Linux)."""
    client = Client([sys.executable, "-m", "infralint", "server"], verbose=False)
    options: Dict[str, float] = {} if debounce_ms is None else {"debounceMs": debounce_ms}
    client.request(
        "initialize",
        {"processId": None, "rootUri": root.as_uri(), "capabilities": {}, "initializationOptions": options},
    )
    client.notify("initialized", {})
    uri = module.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    client.diagnostics(uri, version=1)
    # Edit the first line of a method body: alternately add and drop a comment.
    line = text.splitlines().index("        response.raise_for_status()")
    timings = []
    cpu_before = cpu_seconds(client.process.pid)
    for version in range(2, edits + 2):
        comment = "  # checked" if version % 2 else ""
        change = {
            "range": {"start": {"line": line, "character": 35}, "end": {"line": line, "character": 200}},
            "text": comment,
        }
        started = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        client.diagnostics(uri, version=version)
        timings.append((time.perf_counter() - started) * 1000)
    cpu_after = cpu_seconds(client.process.pid)
    client.request("shutdown", None)
    client.notify("exit", None)
    client.process.wait(timeout=10)
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) * 1000 / edits
    return timings, cpu


def time_initialize(root: Path, starts: int) -> Tuple[List[float], Optional[float]]:
    """Milliseconds from starting `infralint server` to its `initialize`
    reply, for each of ``starts`` processes."""
    timings = []
    for _ in range(starts):
        started = time.perf_counter()
        client = Client([sys.executable, "-m", "infralint", "server"], verbose=False)
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        timings.append((time.perf_counter() - started) * 1000)
        client.request("shutdown", None)
        client.notify("exit", None)
        client.process.wait(timeout=30)
    return timings, None


def time_engine(root: Path, module: Path, text: str, runs: int) -> Tuple[List[float], float]:
    from infralint.lsp.workspace import ProjectError, ProjectRegistry, lint_buffer

    engine = ProjectRegistry().engine_for(module, [root])
    if isinstance(engine, ProjectError):
        raise SystemExit(engine.message)
    timings = []
    cpu_started = time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        lint_buffer(engine, module, text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, (time.process_time() - cpu_started) * 1000 / runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=50, help="edits per round (default 50)")
    parser.add_argument("--lines", type=int, default=1000, help="size of the module (default 1000)")
    parser.add_argument("--starts", type=int, default=10, help="server starts timed to their initialize reply (default 10)")
    arguments = parser.parse_args()
    from infralint.lsp.server import DEFAULT_DEBOUNCE_SECONDS

    text = make_module(arguments.lines)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory).resolve()
        module = make_project(root, text)
        rows = [
            ("engine alone (in process)", time_engine(root, module, text, arguments.edits)),
            ("didChange -> diagnostics, debounce 0", time_edits(root, module, text, arguments.edits, 0)),
            (
                f"didChange -> diagnostics, default settings (debounce {DEFAULT_DEBOUNCE_SECONDS * 1000:.0f} ms)",
                time_edits(root, module, text, arguments.edits, None),
            ),
            ("start -> initialize reply", time_initialize(root, arguments.starts)),
        ]
    print(f"{text.count(chr(10))}-line module, {arguments.edits} edits per row, load average {load_average()}\n")
    print("| what | min ms | p50 ms | p95 ms | max ms | CPU ms per edit |")  # initialize: per start
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, (timings, cpu) in rows:
        cells = [min(timings), statistics.median(timings), percentile(timings, 0.95), max(timings)]
        print(f"| {name} | " + " | ".join(f"{cell:.1f}" for cell in cells) + f" | {'?' if cpu is None else f'{cpu:.1f}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
