"""The language server applies the configuration the command line does,
through the same run step (`infralint.run`): the configured baseline,
ignores and per-file ignores."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp

from infralint.cli import main
from tests.helpers import separate_stderr_runner
from tests.lsp.test_server import SERVER, RecordingClient, codes, open_document, start_session
from tests.test_run_policy import CONFIG, SWALLOW

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: RecordingClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    await start_session(lsp_client, tmp_path)
    root = lsp_client.workspace_root
    (root / "pyproject.toml").write_text(CONFIG)
    (root / "app").mkdir()
    for name in ("old.py", "ignored.py"):
        (root / "app" / name).write_text(SWALLOW)
    monkeypatch.chdir(root)
    recorded = separate_stderr_runner().invoke(main, ["check", "--no-cache", "--update-baseline"])
    assert "Recorded 1 finding" in recorded.output, recorded.output
    yield
    await lsp_client.shutdown_session()


async def test_the_server_honours_the_baseline_ignores_and_per_file_ignores(client: RecordingClient):
    assert codes(await open_document(client, "app/old.py", SWALLOW)) == []
    assert codes(await open_document(client, "app/ignored.py", SWALLOW)) == []
    # Not in the baseline: IL302 shows, IL304 stays ignored.
    assert codes(await open_document(client, "app/new.py", SWALLOW)) == ["IL302"]
    # A second copy in the baselined file is new.
    assert codes(await open_document(client, "app/old.py", SWALLOW + SWALLOW)) == ["IL302"]
