"""`infralint server` against a client that misbehaves: damaged frames,
messages out of the lifecycle's order, changes to documents never opened.
A real server process over stdio, written to byte by byte."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from infralint.lsp.isolated import LARGE_BUFFER_CHARACTERS
from tests.lsp.raw_client import RawClient, body
from tests.lsp.test_server import BARE_EXCEPT, make_project

INVALID_REQUEST = -32600
SERVER_NOT_INITIALIZED = -32002


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "workspace")


@pytest.fixture
def client(project: Path) -> Iterator[RawClient]:
    raw = RawClient(project)
    yield raw
    raw.close()


def hover(client: RawClient, uri: str) -> int:
    return client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})


def open_buffer(client: RawClient, project: Path, text: str = BARE_EXCEPT) -> str:
    uri = (project / "src/shop/infrastructure/loader.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    return uri


DAMAGED = [
    pytest.param(b"Content-Length: abc\r\n\r\n", id="not-a-number"),
    pytest.param(b"Content-Length: -12\r\n\r\n", id="negative"),
    pytest.param(b"Content-Length: 10\r\n\r\n", id="short"),
    pytest.param(b"Content-Length: 99999999999\r\n\r\n", id="over-the-limit"),
    pytest.param(b"Content-Type: text/plain\r\n\r\n", id="no-length"),
    pytest.param(b"\x00\xffnot a header at all\r\n\r\n", id="garbage"),
]


@pytest.mark.parametrize("header", DAMAGED)
def test_a_damaged_frame_is_skipped_and_the_next_ones_are_read(client: RawClient, project: Path, header: bytes):
    client.initialize(project)
    uri = open_buffer(client, project)
    assert [d["code"] for d in client.diagnostics(uri)["diagnostics"]] == ["IL302"]
    damaged = body({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    client.send_bytes(header + damaged)
    # Every message after it is read: a request is answered, the buffer still open.
    reply = client.response(hover(client, uri))
    assert "error" not in reply
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": BARE_EXCEPT.replace("except:", "except OSError:")}],
    })
    assert client.diagnostics(uri, version=2)["diagnostics"] == []
    logged = [m["params"]["message"] for m in client.notifications if m["method"] == "window/logMessage"]
    assert any("skipped a damaged message" in message for message in logged)
    assert client.call("shutdown", None)["result"] is None
    client.notify("exit", None)
    assert client.wait() == 0
    assert b"skipped a damaged message" in client.stderr


def test_a_long_length_swallows_the_next_frame_but_not_the_stream(client: RawClient, project: Path):
    client.initialize(project)
    uri = open_buffer(client, project)
    client.diagnostics(uri)
    lost = body({"id": 100, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    client.send_bytes(b"Content-Length: %d\r\n\r\n%s" % (len(lost) + 40, lost))
    # The server reads on into the next frames, finds the bad one, and goes back to them.
    assert "error" not in client.response(hover(client, uri))


def test_invalid_params_get_an_error_response_not_silence(client: RawClient, project: Path):
    client.initialize(project)
    reply = client.call("textDocument/hover", {"textDocument": "not an object"})
    assert reply["error"]["code"] in (-32602, -32603)
    assert "error" not in client.call("shutdown", None)


def test_requests_after_shutdown_are_refused_and_exit_is_0(client: RawClient, project: Path):
    client.initialize(project)
    uri = open_buffer(client, project)
    client.diagnostics(uri)
    assert client.call("shutdown", None) == {"jsonrpc": "2.0", "id": 2, "result": None}
    refused = client.response(hover(client, uri))
    assert refused["error"]["code"] == INVALID_REQUEST
    assert "shut down" in refused["error"]["message"]
    assert client.call("shutdown", None)["error"]["code"] == INVALID_REQUEST
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ""}]})
    client.notify("exit", None)
    assert client.wait() == 0


def test_exit_without_shutdown_is_1(client: RawClient, project: Path):
    client.initialize(project)
    client.notify("exit", None)
    assert client.wait() == 1


def test_the_end_of_the_input_ends_the_server(client: RawClient, project: Path):
    client.initialize(project)
    assert client.process.stdin is not None
    client.process.stdin.close()
    assert client.wait() == 1


def test_requests_before_initialize_are_refused(client: RawClient, project: Path):
    reply = client.call("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}})
    assert reply["error"]["code"] == SERVER_NOT_INITIALIZED
    assert client.initialize(project)["result"]["serverInfo"]["name"] == "infralint"


def test_a_change_to_a_document_never_opened_is_ignored(client: RawClient, project: Path):
    client.initialize(project)
    never_opened = (project / "src/shop/infrastructure/ghost.py").as_uri()
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": never_opened, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}],
    })
    client.notify("textDocument/didClose", {"textDocument": {"uri": never_opened}})
    uri = open_buffer(client, project)
    assert [d["code"] for d in client.diagnostics(uri)["diagnostics"]] == ["IL302"]
    client.call("shutdown", None)
    client.notify("exit", None)
    assert client.wait() == 0
    shown = [m for m in client.notifications if m["method"] == "window/showMessage"]
    assert shown == []  # no pop-up
    assert b"not open: ignored" in client.stderr
    assert b"KeyError" not in client.stderr


def test_a_large_buffer_does_not_hold_up_the_others(client: RawClient, project: Path):
    """A buffer of over a megabyte is linted in a child process: another
    file's diagnostics and requests are answered meanwhile, and a change
    kills the stale run instead of waiting for it."""
    client.initialize(project)
    large = BARE_EXCEPT.replace("load", "load_{n}")
    text = "".join(large.format(n=n) + "\n\n" for n in range(1_000_000 // len(large) + 1))
    assert len(text) >= LARGE_BUFFER_CHARACTERS
    large_uri = (project / "src/shop/infrastructure/large.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": large_uri, "languageId": "python", "version": 1, "text": text}})
    # Edited at once: the run of version 1 is killed, version 2 linted.
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": large_uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# edited\n"}],
    })
    small_uri = open_buffer(client, project)
    small = client.diagnostics(small_uri)
    assert [d["code"] for d in small["diagnostics"]] == ["IL302"]
    assert "error" not in client.response(hover(client, small_uri))

    def large_versions() -> "list[int]":
        return [m["params"]["version"] for m in client.notifications if m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == large_uri]

    assert large_versions() == []  # the small file did not wait for it
    published = client.diagnostics(large_uri, version=2)
    assert len(published["diagnostics"]) == text.count("except:")
    assert large_versions() == []  # version 1 was never published
