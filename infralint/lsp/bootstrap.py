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

from infralint import __version__
from infralint.lsp.framing import FrameError, FrameReader, encode_frame

SERVER_NAME = "infralint"
FIX_ALL_KIND = "source.fixAll.infralint"
CODE_ACTION_KINDS = ("quickfix", "source.fixAll", FIX_ALL_KIND)
COMMANDS: "tuple[str, ...]" = ()
WILL_SAVE_WAIT_UNTIL = False
POSITION_ENCODINGS = ("utf-8", "utf-16", "utf-32")
INCREMENTAL_SYNC = 2
MISSING_EXTRA = "`infralint server` needs the lsp extra: pip install 'infralint[lsp]'"


class EndOfInput:
    """The client closed the server's input."""


END = EndOfInput()


def _capability(capabilities: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(capabilities, dict):
            return None
        capabilities = capabilities.get(key)
    return capabilities


def position_encoding(client_capabilities: Any) -> str:
    """The client's first position encoding the server supports, else
    UTF-16 (as pygls chooses)."""
    offered = _capability(client_capabilities, "general", "positionEncodings")
    for encoding in offered if isinstance(offered, list) else ():
        if encoding in POSITION_ENCODINGS:
            return str(encoding)
    return "utf-16"


def initialize_result(params: Any) -> Dict[str, Any]:
    """The `initialize` result the server's features make, as pygls would
    build it for a client with ``params["capabilities"]``."""
    client = _capability(params, "capabilities") or {}
    sync: Dict[str, Any] = {"openClose": True, "change": INCREMENTAL_SYNC, "save": True}
    # pygls states these (true or false) only when the client offered them.
    for key, served in (("willSave", False), ("willSaveWaitUntil", WILL_SAVE_WAIT_UNTIL)):
        if _capability(client, "textDocument", "synchronization", key):
            sync[key] = served
    return {
        "capabilities": {
            "positionEncoding": position_encoding(client),
            "textDocumentSync": sync,
            "hoverProvider": True,
            "codeActionProvider": {"codeActionKinds": list(CODE_ACTION_KINDS)},
            "executeCommandProvider": {"commands": list(COMMANDS)},
            "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True}, "fileOperations": {}},
        },
        "serverInfo": {"name": SERVER_NAME, "version": __version__},
    }


def is_initialize_request(message: Any) -> bool:
    return (
        isinstance(message, dict)
        and message.get("jsonrpc") == "2.0"
        and message.get("method") == "initialize"
        and isinstance(message.get("id"), (int, str))
        and isinstance(message.get("params"), dict)
    )


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
    inbox: "queue.Queue[Any]" = queue.Queue()
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
