"""The editor's settings (initializationOptions, didChangeConfiguration
pushed or pulled) and the server's commands, end to end with pytest-lsp."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig

from tests.lsp.helpers import apply_text_edits
from tests.lsp.test_server import (
    BARE_EXCEPT,
    PATIENCE_SECONDS,
    SERVER,
    RecordingClient,
    codes,
    make_project,
    next_diagnostics,
    open_document,
    published_count,
)

pytestmark = pytest.mark.asyncio(loop_scope="function")

# IL302 with only an unsafe fix (`except Exception:`: the handler swallows).
SWALLOW = "def load(read):\n    try:\n        return read()\n    except:\n        return None\n"
LOADER = "src/shop/infrastructure/loader.py"


class EditingClient(RecordingClient):
    """Applies the edits the server asks for (workspace/applyEdit) to a
    copy of the text it keeps per document, and records them."""

    def __init__(self) -> None:
        super().__init__()
        self.applied: List[types.ApplyWorkspaceEditParams] = []

        @self.feature(types.WORKSPACE_APPLY_EDIT)
        def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            self.applied.append(params)
            return types.ApplyWorkspaceEditResult(applied=True)


EDITING_SERVER = ClientServerConfig(server_command=SERVER.server_command, client_factory=EditingClient)


async def start(client: RecordingClient, tmp_path: Path, options: Optional[Dict[str, Any]] = None) -> Path:
    workspace = make_project(tmp_path / "workspace")
    synchronization = types.TextDocumentSyncClientCapabilities(will_save_wait_until=True)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(configuration=True),
                text_document=types.TextDocumentClientCapabilities(synchronization=synchronization),
            ),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
            initialization_options=options,
        )
    )
    client.server_capabilities = result.capabilities
    client.workspace_root = workspace
    return workspace


@pytest_lsp.fixture(config=EDITING_SERVER)
async def client(lsp_client: EditingClient):
    yield
    await lsp_client.shutdown_session()


async def reconfigure(client: RecordingClient, uri: str, settings: Any) -> types.PublishDiagnosticsParams:
    already = published_count(client)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
    return await next_diagnostics(client, uri, already)


# Settings -------------------------------------------------------------------
async def test_initialization_options_select_and_ignore(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path, {"ignore": ["IL302"]})
    assert codes(await open_document(client, LOADER, BARE_EXCEPT)) == []


async def test_configuration_changes_pushed_by_the_client(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    published = await open_document(client, LOADER, BARE_EXCEPT + "print('x')\n")
    assert codes(published) == ["IL302", "IL703"]
    assert codes(await reconfigure(client, published.uri, {"infralint": {"select": ["IL3"]}})) == ["IL302"]
    assert codes(await reconfigure(client, published.uri, {"infralint": {"select": ["IL3"], "ignore": ["IL302"]}})) == []
    both = {"infralint": {"select": ["IL7"], "extendSelect": ["IL302"]}}
    assert codes(await reconfigure(client, published.uri, both)) == ["IL302", "IL703"]


async def test_configuration_pulled_when_the_client_pushes_none(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    published = await open_document(client, LOADER, BARE_EXCEPT)
    client.set_configuration({"ignore": ["IL302"]}, section="infralint")
    assert codes(await reconfigure(client, published.uri, None)) == []


async def test_configuration_file_and_baseline_settings(client: EditingClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    workspace = await start(client, tmp_path)
    (workspace / "lint").mkdir()
    (workspace / "lint/strict.toml").write_text('[tool.infralint]\nignore = ["IL302"]\n')
    published = await open_document(client, LOADER, BARE_EXCEPT)
    assert codes(await reconfigure(client, published.uri, {"configuration": "lint/strict.toml"})) == []
    # A baseline recording this very finding, given by the editor.
    (workspace / LOADER).write_text(BARE_EXCEPT)
    from infralint.cli import main
    from tests.helpers import separate_stderr_runner

    monkeypatch.chdir(workspace)  # baselines key files by their path from the project
    result = separate_stderr_runner().invoke(
        main, ["check", "--no-cache", "--baseline", "lint/accepted.json", "--update-baseline", LOADER]
    )
    assert "Recorded 1 finding" in result.output, result.output
    assert codes(await reconfigure(client, published.uri, {})) == ["IL302"]
    assert codes(await reconfigure(client, published.uri, {"baseline": "lint/accepted.json"})) == []


async def test_a_bad_setting_is_reported_and_the_others_apply(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path, {"ignore": ["IL302"], "fixAll": "yes", "colour": "blue"})
    assert codes(await open_document(client, LOADER, BARE_EXCEPT)) == []
    shown = [message.message for message in client.messages]
    assert any("'fixAll' should be true or false" in message for message in shown)
    assert any("unknown setting 'colour'" in message for message in shown)


async def test_an_unknown_rule_in_the_settings_is_one_clear_message(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path, {"select": ["IL3O2"]})
    await open_document(client, LOADER, BARE_EXCEPT)
    (message,) = client.messages
    assert "IL3O2" in message.message and "editor's settings" in message.message


# Fixes on save ----------------------------------------------------------------
async def will_save(client: RecordingClient, uri: str) -> Optional[List[types.TextEdit]]:
    return await client.text_document_will_save_wait_until_async(
        types.WillSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri), reason=types.TextDocumentSaveReason.Manual
        )
    )


async def test_fix_all_on_save_only_with_the_setting(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    assert client.server_capabilities.text_document_sync.will_save_wait_until
    published = await open_document(client, LOADER, BARE_EXCEPT)
    assert await will_save(client, published.uri) is None
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"fixAll": True}))
    edits = await asyncio.wait_for(_edits_once_configured(client, published.uri), PATIENCE_SECONDS)
    assert "except BaseException:" in apply_text_edits(BARE_EXCEPT, edits)


async def _edits_once_configured(client: RecordingClient, uri: str) -> List[types.TextEdit]:
    while True:  # the notification is handled before the request: asked once in practice
        edits = await will_save(client, uri)
        if edits:
            return edits
        await asyncio.sleep(0.01)


async def test_unsafe_fixes_setting_reaches_fix_all(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path, {"fixAll": True})
    published = await open_document(client, LOADER, SWALLOW)
    assert "IL302" in codes(published)
    assert not await will_save(client, published.uri)  # only an unsafe fix
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"fixAll": True, "unsafeFixes": True}))
    edits = await asyncio.wait_for(_edits_once_configured(client, published.uri), PATIENCE_SECONDS)
    assert "    except Exception:\n" in apply_text_edits(SWALLOW, edits)


# Commands -------------------------------------------------------------------
async def execute(client: RecordingClient, command: str, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(command=command, arguments=list(arguments)))


async def test_commands_are_advertised(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    commands = client.server_capabilities.execute_command_provider.commands
    assert list(commands) == ["infralint.applyFix", "infralint.fixAll", "infralint.showRule"]


async def test_show_rule_returns_the_rule_page(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    page = await execute(client, "infralint.showRule", "IL302")
    assert page.startswith("# bare-except (IL302)\n")
    assert (await execute(client, "infralint.showRule", {"code": "bare-except"})) == page
    with pytest.raises(Exception, match="unknown rule"):
        await execute(client, "infralint.showRule", "IL999")


async def test_apply_fix_applies_the_diagnostics_fix(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    published = await open_document(client, LOADER, BARE_EXCEPT)
    (diagnostic,) = published.diagnostics
    unstructured = json.loads(json.dumps(client.protocol._converter.unstructure(diagnostic)))
    assert await execute(client, "infralint.applyFix", {"uri": published.uri, "diagnostic": unstructured}) == {"applied": True}
    (applied,) = client.applied
    assert "except BaseException:" in apply_text_edits(BARE_EXCEPT, applied.edit.changes[published.uri])
    with pytest.raises(Exception, match="no IL301 finding"):
        await execute(client, "infralint.applyFix", {"uri": published.uri, "code": "IL301", "range": unstructured["range"]})


async def test_fix_all_command(client: EditingClient, tmp_path: Path):
    await start(client, tmp_path)
    published = await open_document(client, LOADER, BARE_EXCEPT + "\n\n" + BARE_EXCEPT.replace("load", "reload"))
    assert await execute(client, "infralint.fixAll", {"uri": published.uri}) == {"applied": True}
    (applied,) = client.applied
    fixed = apply_text_edits(BARE_EXCEPT + "\n\n" + BARE_EXCEPT.replace("load", "reload"), applied.edit.changes[published.uri])
    assert fixed.count("except BaseException:") == 2
    clean = await open_document(client, "src/shop/infrastructure/clean.py", "VALUE = 1\n")
    assert await execute(client, "infralint.fixAll", clean.uri) == {"applied": False}
