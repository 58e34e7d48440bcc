"""The bootstrap answers `initialize` before pygls is imported: its reply
must be the one pygls builds from the server's registered features."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from lsprotocol import types

from infralint.lsp.capabilities import initialize_result, is_initialize_request
from infralint.lsp.server import create_server

CLIENTS = [
    pytest.param({}, id="bare"),
    pytest.param({"general": {"positionEncodings": ["utf-8", "utf-16"]}}, id="utf-8"),
    pytest.param({"general": {"positionEncodings": ["latin-1", "utf-32"]}}, id="utf-32"),
    pytest.param({"textDocument": {"synchronization": {"willSave": True, "willSaveWaitUntil": True}}}, id="will-save"),
    pytest.param(
        {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}, "workspaceFolders": True}}, id="vs-code-like"
    ),
]


@pytest.mark.parametrize("capabilities", CLIENTS)
def test_the_early_reply_is_what_pygls_builds(capabilities: Dict[str, Any]):
    server = create_server()
    request = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": capabilities}}
    assert is_initialize_request(request)
    server.adopt_initialize(request)
    built = server.protocol._converter.unstructure(
        types.InitializeResult(capabilities=server.protocol.server_capabilities, server_info=server.protocol.server_info)
    )
    assert initialize_result(request["params"]) == built


def test_only_an_initialize_request_is_answered_early():
    assert not is_initialize_request({"jsonrpc": "2.0", "method": "initialize", "params": {}})  # a notification
    assert not is_initialize_request({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": None})
    assert not is_initialize_request({"jsonrpc": "2.0", "id": 1, "method": "shutdown"})
