"""What the server does with a buffer when the engine or the configuration
fails: a message for the user, never an exception out of the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from infralint.lsp import server as server_module
from infralint.lsp.server import InfralintServer


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InfralintServer:
    instance = InfralintServer()
    monkeypatch.setattr(instance, "folders", lambda: [tmp_path])
    return instance


def test_an_invalid_configuration_is_a_message_naming_the_file(server: InfralintServer, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.infralint]\nselect = 3\n")
    outcome = server.lint_now(tmp_path / "module.py", "x = 1\n")
    assert outcome.findings == []
    (problem,) = outcome.problems
    assert problem.startswith("infralint: ") and "pyproject.toml" in problem and "select" in problem


def test_a_crash_of_the_engine_is_a_message_and_a_logged_traceback(
    server: InfralintServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def crash(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(server_module, "lint_buffer", crash)
    outcome = server.lint_now(tmp_path / "module.py", "x = 1\n")
    assert outcome.problems == [
        "infralint: internal error while linting module.py: RuntimeError('boom') (please report this bug)"
    ]
    (detail,) = outcome.details
    assert "Traceback" in detail and "boom" in detail
