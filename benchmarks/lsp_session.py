"""Drive `infralint server` over stdio with raw JSON-RPC, no editor.

    python benchmarks/lsp_session.py [PROJECT]

PROJECT defaults to examples/shop. The session: initialize; open two saved
modules of the project and print their diagnostics; open an unsaved buffer in
the infrastructure layer with a bare `except:` and print its diagnostics;
ask for the code actions at the bare `except:`; apply the first fix as an
editor would and send the new text; print the diagnostics left; shut down.
Every message is printed as it goes, `-->` to the server, `<--` from it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

EXAMPLE_PROJECT = Path(__file__).resolve().parent.parent / "examples" / "shop"

UNSAVED_MODULE = "src/shop/infrastructure/payment_retry.py"
UNSAVED_SOURCE = '''\
"""Retries a payment call (an unsaved buffer: its layer comes from its path)."""

from shop.infrastructure.http_payment_adapter import charge


def charge_with_retry(order_id: str, amount: int) -> bool:
    for _ in range(3):
        try:
            return charge(order_id, amount)
        except:
            continue
    return False
'''


class Client:
    """Just enough of a language client: framed JSON-RPC over pipes."""

    def __init__(self, command: List[str], verbose: bool = True) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.verbose = verbose
        self.next_id = 0
        self.notifications: List[Dict[str, Any]] = []

    def send(self, message: Dict[str, Any]) -> None:
        if self.verbose:
            print(f"--> {_summary(message)}")
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def receive(self) -> Dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message = json.loads(self.process.stdout.read(length))
        if self.verbose:
            print(f"<-- {_summary(message)}")
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                if "error" in message:
                    raise SystemExit(f"{method} failed: {message['error']}")
                return message.get("result")
            self.handle(message)

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def handle(self, message: Dict[str, Any]) -> None:
        if "id" in message and "method" in message:  # a request from the server
            self.send({"id": message["id"], "result": None})
        else:
            self.notifications.append(message)

    def diagnostics(self, uri: str, version: Optional[int] = None) -> List[Dict[str, Any]]:
        """Wait for the next diagnostics of ``uri`` (of that ``version``)."""
        while True:
            message = self.receive()
            self.handle(message)
            params = message.get("params") or {}
            if message.get("method") != "textDocument/publishDiagnostics" or params.get("uri") != uri:
                continue
            if version is None or params.get("version") == version:
                return params["diagnostics"]


def _summary(message: Dict[str, Any]) -> str:
    kind = message.get("method") or f"response {message.get('id')}"
    return f"{kind} ({len(json.dumps(message))} bytes)"


def show(diagnostics: List[Dict[str, Any]]) -> None:
    if not diagnostics:
        print("    (no diagnostics)")
    for diagnostic in diagnostics:
        start = diagnostic["range"]["start"]
        print(f"    {start['line'] + 1}:{start['character'] + 1} {diagnostic['code']} {diagnostic['message']}")


def apply(text: str, edits: List[Dict[str, Any]]) -> str:
    """Apply text edits (ASCII text here, so UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: Dict[str, int]) -> int:
        return min(starts[min(position["line"], len(lines))] + position["character"], len(text))

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[: offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]) :]
    return text


def main(project: Optional[str] = None) -> int:
    root = Path(project).resolve() if project else EXAMPLE_PROJECT
    client = Client([sys.executable, "-m", "infralint", "server"])
    print("== initialize")
    result = client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
        },
    )
    print(f"    server: {result['serverInfo']['name']} {result['serverInfo']['version']}")
    print(f"    code action kinds: {result['capabilities']['codeActionProvider']['codeActionKinds']}")
    client.notify("initialized", {})

    # The second one has an import chain (IL103) from the whole-project
    # check, which runs when the project's first file is opened.
    for relative in ("src/shop/domain/order.py", "src/shop/application/reports.py"):
        saved = root / relative
        print(f"== open {relative} (saved)")
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": saved.as_uri(), "languageId": "python", "version": 1, "text": saved.read_text()}},
        )
        show(client.diagnostics(saved.as_uri()))

    unsaved = root / UNSAVED_MODULE
    uri = unsaved.as_uri()
    print(f"== open {UNSAVED_MODULE} (unsaved buffer)")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": UNSAVED_SOURCE}},
    )
    diagnostics = client.diagnostics(uri)
    show(diagnostics)
    bare_except = next(d for d in diagnostics if d["code"] == "IL302")

    print("== code actions at the bare except")
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": bare_except["range"],
            "context": {"diagnostics": [bare_except], "triggerKind": 1},
        },
    )
    for action in actions:
        print(f"    [{action['kind']}] {action['title']}")

    chosen = actions[0]
    print(f"== apply {chosen['title']!r} and send the new text")
    text = apply(UNSAVED_SOURCE, chosen["edit"]["changes"][uri])
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]},
    )
    show(client.diagnostics(uri))
    print(f"    line 10 is now: {text.splitlines()[9].strip()}")

    print("== shut down")
    client.request("shutdown", None)
    client.notify("exit", None)
    code = client.process.wait(timeout=10)
    print(f"    server exited with {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
