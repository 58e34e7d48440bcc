"""What the server does with a buffer when the engine or the configuration
fails: a message for the user, never an exception out of the server."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from infralint.lsp import server as server_module
from infralint.lsp.server import InfralintServer
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

    monkeypatch.setattr(server_module, "lint_buffer", crash)
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

    monkeypatch.setattr(server_module, "lint_buffer", crash)
    assert gc.isenabled()
    server.lint_now(tmp_path / "module.py", "x = 1\n", [tmp_path])
    assert seen == [False] and gc.isenabled()
