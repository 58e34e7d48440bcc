"""`infralint server` end to end: a real server subprocess driven by
pytest-lsp's client, on a small layered project in a temporary directory."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from infralint.findings import DOCS_URL
from tests.lsp.helpers import apply_text_edits

pytestmark = pytest.mark.asyncio(loop_scope="function")

# Short, so the tests are quick; still long enough to merge a burst of edits.
DEBOUNCE_MS = 50
# How long to wait for the server before failing (never reached when it works).
PATIENCE_SECONDS = 30

BARE_EXCEPT = "def load(read):\n    try:\n        return read()\n    except:\n        raise\n"
CAUGHT = "def load(read):\n    try:\n        return read()\n    except OSError:\n        raise\n"


def make_project(root: Path, config: str = "[tool.infralint]\n") -> Path:
    for package in ("shop", "shop/domain", "shop/application", "shop/infrastructure"):
        (root / "src" / package).mkdir(parents=True, exist_ok=True)
        (root / "src" / package / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(config)
    return root


class RecordingClient(LanguageClient):
    """pytest-lsp's client, keeping every diagnostics notification (with
    its version) and every capability the server registers."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: List[types.PublishDiagnosticsParams] = []
        self.registrations: List[types.Registration] = []
        self.server_capabilities = types.ServerCapabilities()
        self.workspace_root = Path()
        features = dict(DEFAULT_CLIENT_FEATURES)
        features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_diagnostics
        features[types.CLIENT_REGISTER_CAPABILITY] = _record_registration
        register_lsp_features(self, features)


def _record_diagnostics(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)


def _record_registration(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "infralint", "server"], client_factory=RecordingClient)


async def start_session(
    client: RecordingClient, tmp_path: Path, text_document: Optional[types.TextDocumentClientCapabilities] = None
) -> None:
    workspace = make_project(tmp_path / "workspace")
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(
                    did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
                ),
                text_document=text_document,
            ),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
            initialization_options={"debounceMs": DEBOUNCE_MS},
        )
    )
    client.server_capabilities = result.capabilities
    client.workspace_root = workspace


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: RecordingClient, tmp_path: Path):
    await start_session(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def related_information_client(lsp_client: RecordingClient, tmp_path: Path):
    """A client that takes diagnostics' related information."""
    diagnostics = types.PublishDiagnosticsClientCapabilities(related_information=True)
    await start_session(lsp_client, tmp_path, types.TextDocumentClientCapabilities(publish_diagnostics=diagnostics))
    yield
    await lsp_client.shutdown_session()


async def next_diagnostics(
    client: RecordingClient, uri: str, after: int = 0, version: Optional[int] = None
) -> types.PublishDiagnosticsParams:
    """The first diagnostics for ``uri`` (of ``version``) published after
    the first ``after`` notifications."""

    async def wait() -> types.PublishDiagnosticsParams:
        while True:
            for params in client.published[after:]:
                if params.uri == uri and version in (None, params.version):
                    return params
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(wait(), PATIENCE_SECONDS)


def after(client: RecordingClient, params: types.PublishDiagnosticsParams) -> int:
    """The index just after that very notification (equal ones may precede it)."""
    return next(index for index, sent in enumerate(client.published) if sent is params) + 1


def published_count(client: RecordingClient) -> int:
    return len(client.published)


async def open_document(client: RecordingClient, relative: "str | Path", text: str) -> types.PublishDiagnosticsParams:
    uri = (client.workspace_root / relative).as_uri()
    already = published_count(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    return await next_diagnostics(client, uri, already)


async def change_document(client: RecordingClient, uri: str, version: int, text: str) -> types.PublishDiagnosticsParams:
    already = published_count(client)
    send_change(client, uri, version, text)
    return await next_diagnostics(client, uri, already, version)


def send_change(client: RecordingClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def codes(params: types.PublishDiagnosticsParams) -> List[str]:
    return [str(diagnostic.code) for diagnostic in params.diagnostics]


def only(params: types.PublishDiagnosticsParams, code: str) -> types.Diagnostic:
    (diagnostic,) = [d for d in params.diagnostics if d.code == code]
    return diagnostic


async def code_actions(
    client: RecordingClient, uri: str, where: types.Range, kinds: Optional[List[str]] = None
) -> List[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=kinds),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


def edited(text: str, action: types.CodeAction, uri: str) -> str:
    assert action.edit is not None and action.edit.changes is not None
    return apply_text_edits(text, action.edit.changes[uri])


# Session ----------------------------------------------------------------
async def test_initialize_advertises_code_actions_and_watches_configuration(client: RecordingClient):
    capabilities = client.server_capabilities
    assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert "source.fixAll.infralint" in capabilities.code_action_provider.code_action_kinds
    await asyncio.wait_for(_registered(client), PATIENCE_SECONDS)
    (registration,) = client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    patterns = [watcher["globPattern"] for watcher in registration.register_options["watchers"]]
    assert {"**/pyproject.toml", "**/infralint.toml", "**/setup.cfg"} <= set(patterns)


async def _registered(client: RecordingClient) -> None:
    while not client.registrations:
        await asyncio.sleep(0.01)


# Diagnostics --------------------------------------------------------------
async def test_bare_except_is_reported_at_the_except_keyword(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    diagnostic = only(published, "IL302")
    assert diagnostic.range == types.Range(start=types.Position(3, 4), end=types.Position(3, 10))
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.source == "infralint"
    assert diagnostic.code_description.href == DOCS_URL.format(code="IL302")
    assert published.version == 1


async def test_fixing_the_text_clears_the_diagnostics(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    assert codes(published) == ["IL302"]
    published = await change_document(client, published.uri, 2, CAUGHT)
    assert codes(published) == []
    assert published.version == 2


async def test_a_burst_of_edits_publishes_the_latest_version_only(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", CAUGHT)
    uri = published.uri
    already = published_count(client)
    for version in range(2, 6):
        send_change(client, uri, version, BARE_EXCEPT if version % 2 else CAUGHT)
    # Version 5 has the bare except; whatever was published before it must
    # be in order and never older than what was already shown.
    while True:
        published = await next_diagnostics(client, uri, already)
        already = after(client, published)
        if published.version == 5:
            break
    versions = [p.version for p in client.published if p.uri == uri]
    assert versions == sorted(versions)
    assert codes(published) == ["IL302"]


async def test_saving_lints_again(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    already = published_count(client)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=published.uri))
    )
    assert codes(await next_diagnostics(client, published.uri, already)) == ["IL302"]


async def test_closing_clears_the_diagnostics(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    already = published_count(client)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=published.uri))
    )
    assert codes(await next_diagnostics(client, published.uri, already)) == []


async def test_ranges_count_utf16_units_on_non_ascii_lines(client: RecordingClient):
    source = 'import requests\n\n\ndef send(url):\n    label = "Zürich 😀"; return requests.post(url, data=label)\n'
    published = await open_document(client, "src/shop/infrastructure/payments.py", source)
    diagnostic = only(published, "IL403")
    # 31 characters precede the call; the emoji takes two UTF-16 units.
    assert diagnostic.range.start == types.Position(4, 32)
    assert diagnostic.range.end == types.Position(4, 62)


async def test_an_unsaved_buffer_takes_its_layer_from_its_path(client: RecordingClient):
    source = "from shop.infrastructure import orders\n"
    in_domain = await open_document(client, "src/shop/domain/unsaved_order.py", source)
    in_infrastructure = await open_document(client, "src/shop/infrastructure/unsaved_orders.py", source)
    assert codes(in_domain) == ["IL101"]
    assert codes(in_infrastructure) == []


async def test_an_untitled_buffer_is_linted_as_a_file_of_the_workspace(client: RecordingClient):
    uri = "untitled:Untitled-1"
    already = published_count(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=BARE_EXCEPT)
        )
    )
    assert codes(await next_diagnostics(client, uri, already)) == ["IL302"]


@pytest.mark.parametrize(
    "text, reason",
    [("x = 1\x00\x01\x02\n", "binary file"), ("def broken(:\n    pass\n", "syntax error")],
)
async def test_an_unreadable_buffer_is_an_il001_error_not_a_crash(client: RecordingClient, text: str, reason: str):
    published = await open_document(client, "src/shop/infrastructure/broken.py", text)
    diagnostic = only(published, "IL001")
    assert reason in diagnostic.message
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    # The server is still there.
    published = await change_document(client, published.uri, 2, BARE_EXCEPT)
    assert codes(published) == ["IL302"]


# Code actions -------------------------------------------------------------
async def test_the_fix_action_removes_the_finding(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    actions = await code_actions(client, published.uri, only(published, "IL302").range)
    titles = [action.title for action in actions]
    assert titles == [
        "infralint: Replace with `except BaseException:` (IL302)",
        "infralint: suppress IL302 on this line",
        "infralint: fix all safe findings in the file",
    ]
    fixed = edited(BARE_EXCEPT, actions[0], published.uri)
    assert "    except BaseException:\n" in fixed
    assert codes(await change_document(client, published.uri, 2, fixed)) == []


async def test_the_suppress_action_silences_the_finding(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    (suppress,) = [a for a in await code_actions(client, published.uri, only(published, "IL302").range) if "suppress" in a.title]
    suppressed = edited(BARE_EXCEPT, suppress, published.uri)
    assert "    except:  # infralint: ignore[IL302]\n" in suppressed
    # Neither the finding nor an unused-suppression finding (IL002) is left.
    assert codes(await change_document(client, published.uri, 2, suppressed)) == []


async def test_fix_all_is_a_source_action(client: RecordingClient):
    text = BARE_EXCEPT + "\n\n" + BARE_EXCEPT.replace("load", "reload")
    published = await open_document(client, "src/shop/infrastructure/loader.py", text)
    assert codes(published) == ["IL302", "IL302"]
    start = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    (fix_all,) = await code_actions(client, published.uri, start, kinds=[types.CodeActionKind.SourceFixAll])
    assert fix_all.kind == "source.fixAll.infralint"
    fixed = edited(text, fix_all, published.uri)
    assert fixed.count("except BaseException:") == 2
    assert codes(await change_document(client, published.uri, 2, fixed)) == []


async def test_hover_shows_the_rule_page(client: RecordingClient):
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    where = only(published, "IL302").range
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=published.uri), position=where.start)
    )
    assert shown.contents.value.startswith("# bare-except (IL302)\n")
    assert shown.range == where
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=published.uri), position=types.Position(0, 0))
    )
    assert nothing is None


# Project-level checks ---------------------------------------------------------
ORDER = "from shop import timestamps\n\n\ndef now():\n    return timestamps.NOW\n"


async def open_order_of_chain(client: RecordingClient) -> Tuple[str, types.PublishDiagnosticsParams, types.PublishDiagnosticsParams]:
    """Open a domain module that reaches the infrastructure through a
    helper: its uri, its own diagnostics (none), then the project's."""
    src = client.workspace_root / "src/shop"
    (src / "infrastructure/db.py").write_text("DB = 1\n")
    (src / "timestamps.py").write_text("from shop.infrastructure import db\n\nNOW = db\n")
    (src / "domain/order.py").write_text(ORDER)
    uri = (src / "domain/order.py").as_uri()
    already = published_count(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=ORDER)
        )
    )
    own = await next_diagnostics(client, uri, already)
    assert codes(own) == []
    return uri, own, await next_diagnostics(client, uri, after(client, own))


async def test_import_chains_are_checked_on_open_and_refreshed_on_save(client: RecordingClient):
    # The file's own findings first (none), then the project's (IL103).
    uri, own, chain = await open_order_of_chain(client)
    src = client.workspace_root / "src/shop"
    assert codes(chain) == ["IL103"]
    assert "shop.domain.order -> shop.timestamps -> shop.infrastructure.db" in chain.diagnostics[0].message
    assert chain.diagnostics[0].related_information is None  # the client did not say it takes them

    # Not per keystroke: an unsaved edit hides the chain found in the saved text.
    assert codes(await change_document(client, uri, 2, ORDER + "\n")) == []

    # Saving a fix of the chain's middle module refreshes the project.
    (src / "timestamps.py").write_text("NOW = 0\n")
    (src / "domain/order.py").write_text(ORDER + "\n")
    already = published_count(client)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    own = await next_diagnostics(client, uri, already)
    # The check drops the chain the buffer no longer showed: published again.
    assert codes(await next_diagnostics(client, uri, after(client, own))) == []
    (src / "timestamps.py").write_text("from shop.infrastructure import db\n\nNOW = db\n")
    already = published_count(client)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    own = await next_diagnostics(client, uri, already)
    assert codes(await next_diagnostics(client, uri, after(client, own))) == ["IL103"]


async def test_a_chain_is_related_information_where_the_client_takes_it(related_information_client: RecordingClient):
    client = related_information_client
    src = client.workspace_root / "src/shop"
    (src / "infrastructure/db.py").write_text("DB = 1\n")
    (src / "timestamps.py").write_text('"""Clock."""\n\nfrom shop.infrastructure import db\n\nNOW = db\n')
    (src / "domain/order.py").write_text(ORDER)
    uri = (src / "domain/order.py").as_uri()
    own = await open_document(client, "src/shop/domain/order.py", ORDER)
    chain = only(await next_diagnostics(client, uri, after(client, own)), "IL103")

    def line(number: int) -> types.Range:
        return types.Range(start=types.Position(number, 0), end=types.Position(number + 1, 0))

    def related(diagnostic: types.Diagnostic) -> List[Tuple[str, types.Range, str]]:
        return [(info.location.uri, info.location.range, info.message) for info in diagnostic.related_information]

    assert related(chain) == [
        (uri, line(0), "shop.domain.order -> shop.timestamps"),
        ((src / "timestamps.py").as_uri(), line(2), "shop.timestamps -> shop.infrastructure.db"),
    ]
    # The same finding, its chain's import moved in another module: published again.
    (src / "timestamps.py").write_text('"""Clock."""\n\nimport os\nfrom shop.infrastructure import db\n\nNOW = db\n')
    already = published_count(client)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    own = await next_diagnostics(client, uri, already)
    moved = only(await next_diagnostics(client, uri, after(client, own)), "IL103")
    assert related(moved)[1] == ((src / "timestamps.py").as_uri(), line(3), "shop.timestamps -> shop.infrastructure.db")


# Configuration ------------------------------------------------------------
async def test_a_configuration_change_reloads_the_projects(client: RecordingClient):
    workspace = client.workspace_root
    published = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    assert codes(published) == ["IL302"]

    async def rewrite_config(text: str) -> types.PublishDiagnosticsParams:
        (workspace / "pyproject.toml").write_text(text)
        already = published_count(client)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=(workspace / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        return await next_diagnostics(client, published.uri, already)

    assert codes(await rewrite_config('[tool.infralint]\nignore = ["IL302"]\n')) == []
    # A broken configuration is shown once, and the server keeps going.
    await rewrite_config('[tool.infralint]\nignore = ["IL3O2"]\n')
    (message,) = client.messages
    assert message.type == types.MessageType.Error
    assert "pyproject.toml" in message.message and "IL3O2" in message.message
    assert codes(await rewrite_config("[tool.infralint]\n")) == ["IL302"]


async def test_each_workspace_folder_has_its_own_configuration(client: RecordingClient):
    other = make_project(client.workspace_root.parent / "other", '[tool.infralint]\nignore = ["IL302"]\n')
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=other.as_uri(), name="other")], removed=[]
            )
        )
    )
    here = await open_document(client, "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    there = await open_document(client, other / "src/shop/infrastructure/loader.py", BARE_EXCEPT)
    assert codes(here) == ["IL302"]
    assert codes(there) == []


async def test_import_contracts_are_checked_with_the_chains(client: RecordingClient):
    """IL105: the project's import-linter contracts reach the editor as the
    chains do, when the project is opened."""
    (client.workspace_root / ".importlinter").write_text(
        "[importlinter]\nroot_package = shop\n\n[importlinter:contract:io]\nname = No I/O in the domain\n"
        "type = forbidden\nsource_modules = shop.domain\nforbidden_modules = shop.infrastructure\n"
    )
    _, _, project = await open_order_of_chain(client)
    assert codes(project) == ["IL103", "IL105"]
    assert only(project, "IL105").message.startswith('contract "No I/O in the domain" is broken')


# TypeScript and JavaScript documents -------------------------------------------
IMPORTS_INFRASTRUCTURE = 'import { db } from "../infrastructure/db";\nconsole.log(db);\n'


@pytest.mark.parametrize(
    "relative, language_id",
    [
        ("src/domain/order.ts", "typescript"),
        ("src/domain/order.tsx", "typescriptreact"),
        ("src/domain/order.js", "javascript"),
        ("src/domain/order.jsx", "javascriptreact"),
    ],
)
async def test_typescript_documents_are_linted(client: RecordingClient, relative: str, language_id: str):
    root = client.workspace_root
    (root / "src/infrastructure").mkdir(parents=True, exist_ok=True)
    (root / "src/infrastructure/db.ts").write_text("export const db = {};\n")
    uri = (root / relative).as_uri()
    already = published_count(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=IMPORTS_INFRASTRUCTURE)
        )
    )
    assert codes(await next_diagnostics(client, uri, already)) == ["IL101", "IL703"]
