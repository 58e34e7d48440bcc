"""`infralint server`: the language server over stdio (pygls).

Everything that touches the engine runs on one worker thread, in order:
the event loop stays free to read the client's messages while a file is
linted, and the engine and its caches are never shared between threads.
The worker gets what it needs of the client's state (text, folders) as
arguments; only the event loop reads that state and talks to the client.
A large buffer is linted in a child process instead (`isolated`), which a
change kills. Messages come from the bootstrap's reader thread
(`bootstrap`, `framing`), which answered `initialize` before this module
was imported.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import queue
import sys
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Deque, Dict, Iterator, List, Optional, Sequence, Set, Tuple
from urllib.parse import unquote

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from infralint import __version__
from infralint.findings import Applicability, Finding
from infralint.fixes import fix_file
from infralint.lsp.actions import Buffer, code_actions
from infralint.lsp.capabilities import CODE_ACTION_KINDS, END, initialize_result
from infralint.lsp.commands import register_commands
from infralint.lsp.diagnostics import SOURCE, DiagnosticCache, with_chain
from infralint.lsp.hover import hover
from infralint.lsp.positions import UTF16, split_lines
from infralint.lsp.framing import FrameError
from infralint.lsp.isolated import LARGE_BUFFER_CHARACTERS, ChildLint
from infralint.lsp.linting import LintOutcome, collector_paused, lint_outcome
from infralint.lsp.project_checks import ProjectCheck, SavedFindings, check_project
from infralint.lsp.protocol import InfralintProtocol
from infralint.lsp.settings import LOG_LEVELS, SECTION, ClientSettings, settings_from
from infralint.lsp.scheduler import LintScheduler
from infralint.lsp.workspace import (
    ProjectError,
    ProjectRegistry,
    buffer_bytes,
    is_config_file,
    is_ignore_file,
    LANGUAGE_SUFFIXES,
    is_source_file,
    is_within,
)
from infralint.reparse import IncrementalParser

# tsconfig.json / jsconfig.json (not imported from the TypeScript package:
# it loads tree-sitter).
TSCONFIG_NAMES = ("tsconfig.json", "jsconfig.json")

logger = logging.getLogger(__name__)

# Quiet time after a keystroke before linting: a burst of typing costs one
# run. Clients may set it with the initialization option `debounceMs`.
DEFAULT_DEBOUNCE_SECONDS = 0.0

WATCHED_FILES = (
    "**/pyproject.toml", "**/infralint.toml", "**/.infralint.toml", "**/setup.cfg", "**/.gitignore", "**/*.py",
    "**/tsconfig.json", "**/jsconfig.json", "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}",
)


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def keep_freed_memory() -> bool:
    """Ask glibc to keep the memory a lint frees for the next one, instead
    of returning it to the system: once 128 KB at the top of its heap are
    free it gives them back, and every keystroke paid for getting them again
    (measured: ~560 page faults and ~3 ms of system time per lint of the
    benchmark's 1,000-line module; ~0 with the memory kept). A server lives
    long and lints the same files again and again; its memory stays at its
    peak. True when applied (Linux with glibc), else False."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only the server needs it

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_TRIM_THRESHOLD, 256 << 20)) and bool(mallopt(_M_MMAP_THRESHOLD, 16 << 20))


@dataclass(frozen=True)
class LintResult:
    path: Path
    version: Optional[int]
    text: str
    # The file's own findings; project-level ones are kept apart.
    findings: List[Finding]


class InfralintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            SOURCE,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=InfralintProtocol,
        )
        self.protocol: InfralintProtocol
        self.client_settings = ClientSettings()
        self.registry = ProjectRegistry()
        self.scheduler = LintScheduler(self.lint_document, DEFAULT_DEBOUNCE_SECONDS)
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infralint-lint")
        # The last lint of each open document (code actions reuse it).
        self.results: Dict[str, LintResult] = {}
        # The diagnostics last published for each open document.
        self.published: Dict[str, DiagnosticCache] = {}
        # Each open document's parser (used on the worker thread): an edit
        # parses the statements around it again, not the whole buffer.
        self.parsers: Dict[str, IncrementalParser] = {}
        # Large buffers being linted in a child process.
        self.children: Dict[str, ChildLint] = {}
        # Project-level findings (IL103) per file, from the last check of its project.
        self.project_findings: Dict[Path, SavedFindings] = {}
        # On the worker thread: the roots of the projects checked so far.
        self._checked_roots: Set[Path] = set()
        # Messages already shown: a broken configuration is reported once,
        # not on every keystroke, until the configuration changes.
        self._shown: Set[str] = set()

    # Session --------------------------------------------------------------
    def adopt_initialize(self, request: Dict[str, Any]) -> None:
        """Take the parameters of an `initialize` request the bootstrap
        already answered, as pygls would have (without answering again)."""
        try:
            params = self.protocol.structure_message(request).params
        except JsonRpcException:
            logger.warning("the initialize parameters are invalid: using the defaults")
            params = types.InitializeParams(capabilities=types.ClientCapabilities())
        steps = self.protocol.lsp_initialize(params)
        try:
            handler, args, kwargs = next(steps)
            while True:
                handler, args, kwargs = steps.send(handler(*args, **(kwargs or {})))
        except StopIteration:
            pass
        built = self.protocol._converter.unstructure(self.protocol.server_capabilities)
        if built != initialize_result(request.get("params"))["capabilities"]:
            logger.error("the early initialize reply differs from the server's capabilities (please report this bug)")

    async def serve_messages(self, inbox: "queue.Queue[Any]", early: Sequence[Any]) -> int:
        """Handle the messages read so far (``early``), then those the
        reader thread puts in ``inbox``, until `exit` or the end of the
        input; the exit status."""
        loop = asyncio.get_running_loop()
        pending: Deque[Any] = deque(early)
        waiter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infralint-inbox")
        try:
            while self.protocol.exit_code is None:
                item = pending.popleft() if pending else await loop.run_in_executor(waiter, inbox.get)
                if item is END:
                    logger.info("the client closed the input")
                    break
                self.receive(item)
                await asyncio.sleep(0)  # let the handlers it started begin
        except BrokenPipeError:
            logger.warning("the client closed the output: stopping")
        finally:
            waiter.shutdown(wait=False)
            self.scheduler.cancel_all()
        if self.protocol.exit_code is not None:
            return self.protocol.exit_code
        return 0 if self.protocol._shutdown else 1

    def receive(self, item: Any) -> None:
        """One frame from the reader: a message, or why one was skipped."""
        if isinstance(item, FrameError):
            self.warn(f"skipped a damaged message: {item.reason}")
            return
        if not isinstance(item, dict) or item.get("jsonrpc") != "2.0":
            self.warn(f"skipped a message that is not JSON-RPC 2.0: {str(item)[:80]}")
            return
        try:
            message = self.protocol.structure_message(item)
        except JsonRpcException as error:
            self.warn(f"skipped an invalid {item.get('method', 'message')}: {error}")
            if "id" in item and "method" in item:
                self.protocol._send_response(item["id"], error=error.to_response_error())
            return
        try:
            self.protocol.handle_message(message)
        except BrokenPipeError:
            raise
        except Exception:  # pygls's bug must not stop the server
            logger.exception("failed to handle %s", item.get("method", "a response"))

    def warn(self, message: str) -> None:
        """Log ``message`` on stderr and in the client's log."""
        logger.warning("%s", message)
        if self.protocol.initialized:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))

    # Documents ----------------------------------------------------------
    def open_document(self, uri: str) -> Optional[TextDocument]:
        return self.workspace.text_documents.get(unquote(uri))

    def folders(self) -> List[Path]:
        uris = [folder.uri for folder in self.workspace.folders.values()]
        if self.workspace.root_uri:
            uris.append(self.workspace.root_uri)
        paths = (to_fs_path(uri) for uri in uris)
        return [Path(path).resolve() for path in paths if path]

    def buffer_path(self, document: TextDocument) -> Optional[Path]:
        """Where the buffer's file is (or would be, unsaved): None for a
        document that is not Python. An untitled buffer is linted as a file
        at the root of the first workspace folder."""
        local = to_fs_path(document.uri) if document.uri.startswith("file:") else None
        if local is not None:
            path = Path(local).resolve()
        else:
            name = Path(document.filename or "untitled")
            folders = self.folders()
            suffix = LANGUAGE_SUFFIXES.get(document.language_id or "python", ".py")
            path = (folders[0] if folders else Path.cwd()) / (name if name.suffix else name.with_suffix(suffix))
        if (document.language_id or "python") not in LANGUAGE_SUFFIXES or (local is not None and not is_source_file(path)):
            return None
        return path

    @property
    def takes_related_information(self) -> bool:
        """Whether the client shows a diagnostic's related information
        (IL103's chains are attached only then)."""
        path = "text_document.publish_diagnostics.related_information"
        return bool(get_capability(self.client_capabilities, path, False))

    @property
    def position_encoding(self) -> str:
        encoding = self.workspace.position_encoding or UTF16
        return str(getattr(encoding, "value", encoding))

    # Linting --------------------------------------------------------------
    async def run_on_linter(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.linter, function, *args)

    def lint_now(
        self,
        path: Path,
        text: str,
        folders: List[Path],
        keep: Optional[List[object]] = None,
        parser: Optional[IncrementalParser] = None,
    ) -> LintOutcome:
        """On the worker thread: lint ``text`` as the file at ``path``."""
        return lint_outcome(self.registry, path, text, folders, keep, parser)

    async def lint_document(self, uri: str, refresh_project: bool = False) -> None:
        document = self.open_document(uri)
        if document is None:
            return
        path = self.buffer_path(document)
        if path is None:
            return
        version, text = document.version, document.source
        # The worker gets the folders as they are now: the event loop alone
        # reads (and pygls updates) the workspace.
        folders = self.folders()
        # The lint's syntax tree and tables are freed once the diagnostics
        # are out (freeing them takes a few ms for a 1,000-line module), by
        # the worker thread, whose cache still holds them (the event loop's
        # thread, on the other core, was measured slower at it). The
        # collector stays paused until then, or its next run would traverse
        # them all.
        if len(text) >= LARGE_BUFFER_CHARACTERS:
            outcome = await self.lint_in_child(uri, path, text, folders)
            if outcome is None:
                return  # cancelled by a change: the scheduler lints the new text
            self.take_outcome(uri, path, version, text, outcome)
        else:
            kept: List[object] = []
            parser = self.parsers.setdefault(uri, IncrementalParser())
            with collector_paused():
                outcome = await self.run_on_linter(self.lint_now, path, text, folders, kept, parser)
                self.take_outcome(uri, path, version, text, outcome)
                await self.run_on_linter(kept.clear)
        # The project check comes after, so the file's own findings show first.
        check: Optional[ProjectCheck] = await self.run_on_linter(self.check_project_of, path, refresh_project, folders)
        if check is not None:
            self.store_project_check(check)

    def take_outcome(self, uri: str, path: Path, version: Optional[int], text: str, outcome: LintOutcome) -> None:
        """Report a lint's problems, and publish its findings unless the
        document changed or closed while it was linted."""
        self.report(outcome)
        current = self.open_document(uri)
        if current is not None and (current.version, current.source) == (version, text):
            self.results[uri] = LintResult(path, version, text, outcome.findings)
            self.publish(uri)

    async def lint_in_child(self, uri: str, path: Path, text: str, folders: List[Path]) -> Optional[LintOutcome]:
        """Lint a large buffer in a child process (`isolated`): None when a
        change (`stop_stale`) or closing the document killed it."""
        child = ChildLint(path, text, folders, self.client_settings)
        self.children[uri] = child
        try:
            return await asyncio.get_running_loop().run_in_executor(None, child.result)
        finally:
            if self.children.get(uri) is child:
                del self.children[uri]
            child.cancel()  # this task was cancelled: the process goes too

    def stop_stale(self, uri: str) -> None:
        """The document changed: a lint of its old text in a child process
        is killed rather than finished."""
        child = self.children.get(uri)
        if child is not None:
            child.cancel()

    def check_project_of(self, path: Path, refresh: bool, folders: List[Path]) -> Optional[ProjectCheck]:
        """On the worker thread: check the whole project of ``path`` when
        asked (a save), or when it was never checked; else None."""
        engine = self.registry.engine_for(path, folders)
        if isinstance(engine, ProjectError):
            return None
        root = Path(os.path.abspath(engine.settings.root))
        if not refresh and root in self._checked_roots:
            return None
        self._checked_roots.add(root)
        try:
            return check_project(engine, self.registry.baseline(engine))
        except Exception as error:  # a bug in infralint must not stop the server
            return ProjectCheck(root, warning=f"IL103 skipped: internal error {error!r} (please report this bug)")

    def shown_findings(self, result: LintResult) -> List[Finding]:
        """The file's own findings, and its project-level ones while the
        buffer holds the text they were found in."""
        saved = self.project_findings.get(result.path)
        if saved is None or saved.text != result.text:
            return result.findings
        return sorted([*result.findings, *saved.findings], key=lambda finding: finding.sort_key)

    def publish(self, uri: str) -> None:
        result = self.results[uri]
        cache = self.published.setdefault(uri, DiagnosticCache())
        findings = self.shown_findings(result)
        diagnostics = cache.to_diagnostics(findings, split_lines(result.text), self.position_encoding)
        saved = self.project_findings.get(result.path)
        if saved is not None and saved.importer_files and saved.text == result.text and self.takes_related_information:
            diagnostics = [with_chain(d, finding, saved.importer_files) for d, finding in zip(diagnostics, findings)]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=result.version)
        )

    def store_project_check(self, check: ProjectCheck) -> None:
        """Keep a project's new findings and show them in its open documents."""
        if check.warning is not None:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=check.warning))
        before = self.project_findings
        kept = {p: saved for p, saved in before.items() if not is_within(p, check.root)}
        self.project_findings = {**kept, **check.files}
        for uri, result in list(self.results.items()):
            if before.get(result.path) != self.project_findings.get(result.path):
                self.publish(uri)

    def report(self, outcome: LintOutcome) -> None:
        for detail in outcome.details:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=detail))
        for problem in outcome.problems:
            if problem not in self._shown:
                self._shown.add(problem)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=problem))

    async def reload(self) -> None:
        """Configuration, settings or files changed: new projects, every
        open document linted again."""
        await self.run_on_linter(self.forget_projects, self.client_settings)
        self._shown.clear()
        for uri in list(self.workspace.text_documents):
            self.scheduler.schedule(uri, delay=0)

    def forget_projects(self, client: Optional[ClientSettings] = None) -> None:
        """On the worker thread; ``client``: new settings from the editor."""
        self.registry.use(client or self.registry.client)
        self._checked_roots.clear()

    def close(self, uri: str) -> None:
        self.stop_stale(uri)
        self.scheduler.cancel(uri)
        self.results.pop(uri, None)
        self.published.pop(uri, None)
        self.parsers.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # Code actions and fixes ---------------------------------------------
    def buffer_of(self, uri: str) -> Optional[Tuple[Path, Buffer]]:
        """An open Python document's path and text, as edits address it."""
        document = self.open_document(uri)
        path = self.buffer_path(document) if document is not None else None
        if document is None or path is None:
            return None
        versioned = get_capability(self.client_capabilities, "workspace.workspace_edit.document_changes", False)
        return path, Buffer(uri, document.version, document.source, self.position_encoding, bool(versioned))

    def fresh_findings(self, buffer: Buffer) -> Optional[List[Finding]]:
        """The findings last published for the buffer, if its text is still theirs."""
        cached = self.results.get(buffer.uri)
        if cached is None or (cached.version, cached.text) != (buffer.version, buffer.text):
            return None
        return self.shown_findings(cached)

    async def code_actions(self, params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
        opened = self.buffer_of(params.text_document.uri)
        if opened is None:
            return None
        path, buffer = opened
        findings = self.fresh_findings(buffer)
        unsafe = self.client_settings.unsafe_fixes
        return await self.run_on_linter(self._code_actions, path, buffer, findings, params, self.folders(), unsafe)

    def _code_actions(
        self,
        path: Path,
        buffer: Buffer,
        findings: Optional[Sequence[Finding]],
        params: types.CodeActionParams,
        folders: List[Path],
        unsafe: bool,
    ) -> List[types.CodeAction]:
        """On the worker thread."""
        if findings is None:
            findings = self.lint_now(path, buffer.text, folders).findings
        context = params.context
        return code_actions(
            buffer,
            findings,
            params.range,
            context.only,
            context.diagnostics,
            lambda: self.fixed_text(path, buffer.text, folders, unsafe),
            unsafe,
        )

    def fixed_text(self, path: Path, text: str, folders: List[Path], unsafe: bool) -> Optional[str]:
        """On the worker thread: ``text`` with every safe fix (and, with
        ``unsafe``, every unsafe one) applied; None when nothing changes."""
        engine = self.registry.engine_for(path, folders)
        if isinstance(engine, ProjectError):
            return None
        applicability = Applicability.UNSAFE if unsafe else Applicability.SAFE
        outcome = fix_file(engine, path, applicability, buffer_bytes(text))
        return outcome.fixed_text if outcome.changed else None

    async def fix_all_edits(self, uri: str) -> Optional[Tuple[Buffer, str]]:
        """The buffer and its text with every fix applied (unsafe ones as
        the settings say), or None when nothing changes or it changed meanwhile."""
        opened = self.buffer_of(uri)
        if opened is None:
            return None
        path, buffer = opened
        unsafe = self.client_settings.unsafe_fixes
        fixed = await self.run_on_linter(self.fixed_text, path, buffer.text, self.folders(), unsafe)
        current = self.open_document(uri)
        if fixed is None or current is None or (current.version, current.source) != (buffer.version, buffer.text):
            return None
        return buffer, fixed

    async def will_save(self, params: types.WillSaveTextDocumentParams) -> Optional[List[types.TextEdit]]:
        """With the `fixAll` setting: the fixes, applied as the file is saved."""
        if not self.client_settings.fix_all:
            return None
        fixed = await self.fix_all_edits(params.text_document.uri)
        if fixed is None:
            return None
        buffer, text = fixed
        return buffer.text_edits([buffer.whole_text(text)])

    def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        """The rule pages of the findings last published under the cursor."""
        cached = self.results.get(params.text_document.uri)
        if cached is None:
            return None
        return hover(self.shown_findings(cached), split_lines(cached.text), params.position, self.position_encoding)

    # Configuration --------------------------------------------------------
    def configure(self, raw: Any) -> bool:
        """Take the editor's settings (`infralint.lsp.settings`); whether
        they change how files are linted."""
        settings, problems = settings_from(raw)
        for problem in problems:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=problem))
        before, self.client_settings = self.client_settings, settings
        self.scheduler.delay = DEFAULT_DEBOUNCE_SECONDS if settings.debounce_ms is None else settings.debounce_ms / 1000
        level = LOG_LEVELS[settings.log_level]
        for name in ("infralint", "pygls"):
            logging.getLogger(name).setLevel(level)
        linting = (settings.select, settings.extend_select, settings.ignore, settings.configuration, settings.baseline)
        if linting == (before.select, before.extend_select, before.ignore, before.configuration, before.baseline):
            return False
        return True

    async def change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        """New settings pushed by the client, or (when it pushes none, as VS
        Code does) pulled with workspace/configuration."""
        raw = params.settings
        pull = get_capability(self.client_capabilities, "workspace.configuration", False)
        if not (isinstance(raw, dict) and raw) and pull:
            try:
                (raw,) = await self.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
                )
            except Exception as error:  # the client could not say: keep the settings
                logger.warning("could not read the settings from the client: %s", error)
                return
        if self.configure(raw):
            await self.reload()

    async def watch_files(self) -> None:
        """Ask the client to report changes to configuration files and to
        the set of Python files, when it can register watchers at run time."""
        if not get_capability(self.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED_FILES]
        registration = types.Registration(
            id="infralint-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:  # the client refused: keep serving without
            logger.warning("could not register the file watchers: %s", error)


def _invalidates(change: types.FileEvent) -> bool:
    """A configuration or ignore file changed, or a Python file came or
    went (which changes what the project's modules are)."""
    path = Path(to_fs_path(change.uri) or unquote(change.uri))
    if is_config_file(path) or is_ignore_file(path):
        return True
    if path.name in TSCONFIG_NAMES:
        return True  # the aliases imports resolve through
    return is_source_file(path) and change.type != types.FileChangeType.Changed


def create_server() -> InfralintServer:
    server = InfralintServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        if server.configure(params.initialization_options):
            server.registry.use(server.client_settings)  # no lint has run yet

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        await server.change_configuration(params)

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        await server.watch_files()

    @server.feature(types.SHUTDOWN)
    def shutdown(params: Any) -> None:
        server.scheduler.cancel_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.scheduler.schedule(params.text_document.uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.stop_stale(params.text_document.uri)
        server.scheduler.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if is_config_file(Path(to_fs_path(uri) or unquote(uri))):
            await server.reload()
        else:
            server.scheduler.schedule(uri, delay=0, refresh_project=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.close(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if any(_invalidates(change) for change in params.changes):
            await server.reload()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_workspace_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        await server.reload()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=list(CODE_ACTION_KINDS)),
    )
    async def code_action(params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
        return await server.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_WILL_SAVE_WAIT_UNTIL)
    async def will_save_wait_until(params: types.WillSaveTextDocumentParams) -> Optional[List[types.TextEdit]]:
        return await server.will_save(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> Optional[types.Hover]:
        return server.hover(params)

    register_commands(server)
    return server


def run_server(
    inbox: "queue.Queue[Any]", early: Sequence[Any], answered: Optional[Dict[str, Any]], stdout: BinaryIO
) -> int:
    """Serve the client whose messages the bootstrap reads (`bootstrap.serve`);
    ``answered``: the `initialize` request it already answered. The exit status."""
    server = create_server()
    keep_freed_memory()
    server.protocol.set_writer(StdoutWriter(stdout))
    if answered is not None:
        server.adopt_initialize(answered)
    # The tens of thousands of objects made at start-up (pygls, lsprotocol,
    # the rules) live as long as the server: out of the collector's reach,
    # they are not traversed again by every full collection (before this
    # and `collector_paused`, the collector took ~16 ms of an edit's CPU).
    gc.freeze()
    return asyncio.run(server.serve_messages(inbox, early))
