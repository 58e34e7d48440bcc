"""What the server offers, stated without pygls: the capabilities the
`initialize` reply names (`bootstrap` answers it before pygls is imported;
the server registers the same features) and the marker of the end of the
client's input. Both `bootstrap` and `server` read it; neither imports the
other for it."""

from __future__ import annotations

from typing import Any, Dict

from infralint import __version__

SERVER_NAME = "infralint"
FIX_ALL_KIND = "source.fixAll.infralint"
CODE_ACTION_KINDS = ("quickfix", "source.fixAll", FIX_ALL_KIND)
APPLY_FIX, FIX_ALL, SHOW_RULE = "infralint.applyFix", "infralint.fixAll", "infralint.showRule"
COMMANDS = (APPLY_FIX, FIX_ALL, SHOW_RULE)
# Fix-all on save (the `fixAll` setting) edits the buffer as it is saved.
WILL_SAVE_WAIT_UNTIL = True
POSITION_ENCODINGS = ("utf-8", "utf-16", "utf-32")
INCREMENTAL_SYNC = 2
MISSING_EXTRA = (
    "`infralint server` needs the lsp extra: reinstall infralint with it, "
    "e.g. pip install 'infralint[lsp] @ git+URL' (not on PyPI; see the README's Editors)"
)


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
