"""`infralint server`'s start: `initialize` answered before the heavy imports.

Importing lsprotocol's types alone takes 0.7-1.2 s (a thousand attrs
classes), so a server that imports pygls before reading its first message
answers `initialize` a second after the editor started it. Here the frames
are read on a thread (`framing`, no pygls), the server's modules are
imported on another, and a first `initialize` request is answered at once
with the capabilities the server has (`initialize_result`; a test checks
they are the ones pygls computes). The server then takes the request's
parameters as if it had answered it, and every message read meanwhile, in
order.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import queue
import sys
import threading
from typing import Any, BinaryIO, Dict, List, Optional

from infralint.lsp.capabilities import END, MISSING_EXTRA, initialize_result, is_initialize_request
from infralint.lsp.framing import FrameError, FrameReader, encode_frame

INBOX_MESSAGES = 256


def read_frames(stdin: BinaryIO, inbox: "queue.Queue[Any]") -> None:
    """On the reader thread: every frame into ``inbox``, then END."""
    descriptor = stdin.fileno()
    try:
        for frame in FrameReader(lambda size: os.read(descriptor, size)).frames():
            inbox.put(frame)
    except OSError as error:
        inbox.put(FrameError(f"reading stdin failed: {error}"))
    inbox.put(END)


class _Importer(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="infralint-import", daemon=True)
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            import infralint.lsp.server  # noqa: F401
        except BaseException as error:  # re-raised on the main thread
            self.error = error


def serve(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Serve one client until `exit` or the end of its input; the exit
    status (0 after `shutdown`, else 1)."""
    logging.basicConfig(format="infralint server: %(levelname)s: %(message)s", level=logging.WARNING)
    # Bounded: a client that writes faster than the server handles waits
    # on its pipe, instead of the server holding every message it sent
    # (90,000 queued edits kept 12 MB at the high-water mark for good).
    inbox: "queue.Queue[Any]" = queue.Queue(maxsize=INBOX_MESSAGES)
    threading.Thread(target=read_frames, args=(stdin, inbox), name="infralint-read", daemon=True).start()
    importer = _Importer()
    importer.start()
    early: List[Any] = []
    while not early or isinstance(early[-1], FrameError):
        early.append(inbox.get())
    answered: Optional[Dict[str, Any]] = None
    if is_initialize_request(early[-1]):
        answered = early.pop()
        reply = {"jsonrpc": "2.0", "id": answered["id"], "result": initialize_result(answered["params"])}
        stdout.write(encode_frame(reply))
        stdout.flush()
    importer.join()
    if importer.error is not None:
        raise importer.error
    from infralint.lsp.server import run_server

    return run_server(inbox, early, answered, stdout)


def has_extra() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("pygls", "lsprotocol"))


def main() -> None:
    """`infralint server`: serve on stdin and stdout, then end the process
    with the exit status."""
    if not has_extra():
        print(f"infralint: error: {MISSING_EXTRA}", file=sys.stderr)
        sys.exit(2)
    code = serve(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: a lint still running on a worker thread would hold the
    # process until it ends (a large buffer takes seconds).
    os._exit(code)
