"""A client that writes raw bytes to `infralint server` (damaged frames
included) and reads its messages, for the protocol-robustness tests."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

from infralint.lsp.framing import FrameReader, encode_frame

PATIENCE_SECONDS = 60


class RawClient:
    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infralint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.received: "queue.Queue[Any]" = queue.Queue()
        self.notifications: List[Dict[str, Any]] = []
        self.stderr = b""
        self._next_id = 0
        self._stderr_chunks: List[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr_chunks.append(line)

    def _read(self) -> None:
        assert self.process.stdout is not None
        descriptor = self.process.stdout.fileno()
        for frame in FrameReader(lambda size: os.read(descriptor, size)).frames():
            self.received.put(frame)

    def send_bytes(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Dict[str, Any]) -> None:
        self.send_bytes(encode_frame({"jsonrpc": "2.0", **message}))

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> int:
        self._next_id += 1
        self.send({"id": self._next_id, "method": method, "params": params})
        return self._next_id

    def response(self, msg_id: int) -> Dict[str, Any]:
        """The response to request ``msg_id`` (notifications meanwhile are kept)."""
        while True:
            message = self.received.get(timeout=PATIENCE_SECONDS)
            if message.get("id") == msg_id and "method" not in message:
                return message
            if "method" in message and "id" not in message:
                self.notifications.append(message)

    def call(self, method: str, params: Any) -> Dict[str, Any]:
        return self.response(self.request(method, params))

    def initialize(self, root: Path, options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        reply = self.call(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": {}, "initializationOptions": options or {}},
        )
        self.notify("initialized", {})
        return reply

    def diagnostics(self, uri: str, version: Optional[int] = None) -> Dict[str, Any]:
        """The next diagnostics published for ``uri`` (of ``version``)."""
        for index, message in enumerate(self.notifications):
            if _is_diagnostics(message, uri, version):
                del self.notifications[: index + 1]
                return message["params"]
        while True:
            message = self.received.get(timeout=PATIENCE_SECONDS)
            if _is_diagnostics(message, uri, version):
                return message["params"]
            if "method" in message and "id" not in message:
                self.notifications.append(message)

    def wait(self) -> int:
        """The exit status, once the server ended; its stderr is kept."""
        code = self.process.wait(timeout=PATIENCE_SECONDS)
        self._drain.join(timeout=PATIENCE_SECONDS)
        self.stderr = b"".join(self._stderr_chunks)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.wait()


def _is_diagnostics(message: Dict[str, Any], uri: str, version: Optional[int]) -> bool:
    if message.get("method") != "textDocument/publishDiagnostics":
        return False
    params = message["params"]
    return bool(params["uri"] == uri and version in (None, params.get("version")))


def body(message: Dict[str, Any]) -> bytes:
    return json.dumps({"jsonrpc": "2.0", **message}).encode()
