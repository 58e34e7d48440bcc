"""What the server does with a buffer when the engine or the configuration
fails: a message for the user, never an exception out of the server."""

from __future__ import annotations

import asyncio
import gc
import platform
import sys
import weakref
from pathlib import Path
from typing import List

import pytest
from lsprotocol import types
from pygls.workspace import TextDocument

from infralint.lsp import linting
from infralint.lsp import server as server_module
from infralint.lsp.server import InfralintServer, LintOutcome
from tests.helpers import git_repository


@pytest.fixture
def server() -> InfralintServer:
    return InfralintServer()


def test_an_invalid_configuration_is_a_message_naming_the_file(server: InfralintServer, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.infralint]\nselect = 3\n")
    outcome = server.lint_now(tmp_path / "module.py", "x = 1\n", [tmp_path])
    assert outcome.findings == []
    (problem,) = outcome.problems
    assert problem.startswith("infralint: ") and "pyproject.toml" in problem and "select" in problem


def test_a_crash_of_the_engine_is_a_message_and_a_logged_traceback(
    server: InfralintServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def crash(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(linting, "lint_buffer", crash)
    outcome = server.lint_now(tmp_path / "module.py", "x = 1\n", [tmp_path])
    assert outcome.problems == [
        "infralint: internal error while linting module.py: RuntimeError('boom') (please report this bug)"
    ]
    (detail,) = outcome.details
    assert "Traceback" in detail and "boom" in detail


def test_project_level_rules_do_not_run_per_keystroke(server: InfralintServer, tmp_path: Path):
    # The branch breaks IL501, which `infralint check` reports for this project.
    git_repository(tmp_path, branch="fix-stuff")
    (tmp_path / "pyproject.toml").write_text("[tool.infralint]\n")
    outcome = server.lint_now(tmp_path / "module.py", "try:\n    f()\nexcept:\n    raise\n", [tmp_path])
    assert [finding.code for finding in outcome.findings] == ["IL302"]


def test_the_collector_is_paused_during_a_lint_and_back_after_a_crash(
    server: InfralintServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    seen = []

    def crash(*args: object) -> None:
        seen.append(gc.isenabled())
        raise RuntimeError("boom")

    monkeypatch.setattr(linting, "lint_buffer", crash)
    assert gc.isenabled()
    server.lint_now(tmp_path / "module.py", "x = 1\n", [tmp_path])
    assert seen == [False] and gc.isenabled()


def test_a_git_ignored_buffer_is_not_linted_until_the_gitignore_changes(server: InfralintServer, tmp_path: Path):
    git_repository(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.infralint]\n")
    (tmp_path / ".gitignore").write_text("generated/\n")
    buffer = tmp_path / "generated" / "module.py"
    bare_except = "try:\n    f()\nexcept:\n    raise\n"
    assert server.lint_now(buffer, bare_except, [tmp_path]).findings == []
    (tmp_path / ".gitignore").write_text("")
    change = types.FileEvent(uri=(tmp_path / ".gitignore").as_uri(), type=types.FileChangeType.Changed)
    assert server_module._invalidates(change)
    server.forget_projects()  # what the server does on that change
    assert [finding.code for finding in server.lint_now(buffer, bare_except, [tmp_path]).findings] == ["IL302"]


def test_the_lint_is_freed_after_publishing_with_the_collector_paused_until_then(
    server: InfralintServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "pyproject.toml").write_text("[tool.infralint]\n")
    path = tmp_path / "module.py"
    document = TextDocument(path.as_uri(), "try:\n    f()\nexcept:\n    raise\n", version=1)
    kept: List[List[object]] = []
    lint_now = server.lint_now

    def lint_keeping(*args: object) -> LintOutcome:
        kept.append(args[3])  # type: ignore[arg-type]
        return lint_now(*args)  # type: ignore[arg-type]

    seen = []

    def publish(uri: str) -> None:
        trees = [weakref.ref(context.tree) for context in kept[0]]  # type: ignore[attr-defined]
        seen.append((gc.isenabled(), [tree() is not None for tree in trees], server.results[uri].findings[0].code))

    monkeypatch.setattr(server, "open_document", lambda uri: document)
    monkeypatch.setattr(server, "folders", lambda: [tmp_path])
    monkeypatch.setattr(server, "lint_now", lint_keeping)
    monkeypatch.setattr(server, "publish", publish)
    monkeypatch.setattr(server, "check_project_of", lambda *args: None)
    asyncio.run(server.lint_document(document.uri))
    assert seen == [(False, [True], "IL302")]
    assert kept == [[]] and gc.isenabled()


def test_the_server_keeps_freed_memory_where_the_c_library_is_glibc():
    # Applied on glibc; elsewhere a no-op that says so.
    is_glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert server_module.keep_freed_memory() is is_glibc
