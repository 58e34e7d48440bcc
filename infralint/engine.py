"""The engine: parse each file once, build its module model, run every
applicable rule in one traversal, apply suppressions, sort the findings."""

from __future__ import annotations

import ast
import functools
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Type

from infralint.context import FileContext
from infralint.errors import InfralintError
from infralint.findings import Finding
from infralint.filetypes import PYTHON, TYPESCRIPT, is_typescript_name
from infralint.model import ModuleModel, build_model
from infralint.nodes import child_fields
from infralint.pathspecs import PrefilteredSpec
from infralint.project import Project, posix_relative
from infralint.reading import SourceTooLarge, read_source
from infralint.records import FrozenRecord, Record
from infralint.rules import RULES, RULES_BY_CODE, expand_codes
from infralint.rules.base import Rule
from infralint.rules.engine import SyntaxErrorRule, UnusedSuppression
from infralint.rules.import_contracts import ImportContractBroken
from infralint.rules.layers import LayerViolationChain
from infralint.source import SourceText, UnreadableSource, decode, split_lines
from infralint.suppressions import Suppression, find_suppressions, is_suppressed

if TYPE_CHECKING:  # the cache (hashlib, json) is imported only by runs that use one
    from infralint.cache import LintCache, StatKey
    from infralint.listings import DirectoryListings

Method = Callable[[ast.AST], None]


class InternalError(FrozenRecord):
    """A rule raised on a file: reported, the run goes on, exit code 2."""

    __slots__ = ("path", "code", "error")

    path: str
    code: str
    error: BaseException

    def __init__(self, path: str, code: str, error: BaseException) -> None:
        self._assign(path, code, error)

    def __str__(self) -> str:
        if self.code == CRASH:
            return f"{self.path}: internal error while linting the file: {self.error!r}"
        return f"{self.path}: internal error in {self.code}: {self.error!r}"


# The code of an InternalError that is no rule's: infralint crashed on the file.
CRASH = "crash"


# Starting worker processes pays for itself from this many files, or from
# this much source in fewer, larger ones (Django's db/models: 43 files, 1 MB).
PARALLEL_THRESHOLD = 64
PARALLEL_MIN_BYTES = 512 * 1024

_worker_engine: Optional["Engine"] = None


def _set_worker_engine(engine: "Engine", parent_pid: int) -> None:
    import signal

    from infralint.worker_lifetime import die_with_parent

    die_with_parent(parent_pid)
    # Ctrl-C reaches the whole foreground process group; the parent stops
    # the run and the pool. A worker interrupted in the pool's queue printed
    # a traceback, or left the queue's lock held and the run hung.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker_engine
    _worker_engine = engine


def _lint_in_worker(files: Sequence[Path], for_cache: bool) -> Tuple[List["LintedFile"], List[InternalError]]:
    assert _worker_engine is not None, "worker started without an engine"
    linted, errors = _worker_engine._lint_chunk(files, for_cache)
    # Exceptions may not pickle; their text is what gets reported.
    return linted, [InternalError(e.path, e.code, RuntimeError(repr(e.error))) for e in errors]


def _worth_a_pool(files: Sequence[Path]) -> bool:
    if len(files) >= PARALLEL_THRESHOLD:
        return True
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # linting reports it
        if total >= PARALLEL_MIN_BYTES:
            return len(files) > 1
    return False


class RunResult(Record):
    __slots__ = ("findings", "files_checked", "files_cached", "internal_errors")

    def __init__(
        self,
        findings: Optional[List[Finding]] = None,
        files_checked: int = 0,
        files_cached: int = 0,
        internal_errors: Optional[List[InternalError]] = None,
    ) -> None:
        self.findings: List[Finding] = [] if findings is None else findings
        self.files_checked = files_checked
        # Checked files that were read from the cache instead of parsed.
        self.files_cached = files_cached
        self.internal_errors: List[InternalError] = [] if internal_errors is None else internal_errors


class LintedFile(Record):
    """One file's findings, with what the cache needs to keep them."""

    __slots__ = (
        "path",
        "findings",
        "digest",
        "stat_key",
        "module_lookups",
        "had_internal_error",
        "imports",
        "dependencies",
    )

    def __init__(
        self,
        path: Path,
        findings: List[Finding],
        digest: Optional[str],
        stat_key: StatKey,
        module_lookups: Dict[str, bool],
        had_internal_error: bool,
        imports: Optional[list] = None,
        dependencies: Optional[Dict[str, str]] = None,
    ) -> None:
        self.path = path
        self.findings = findings
        # Of the content that was linted; None when the file could not be
        # read or there is no cache to keep it.
        self.digest = digest
        # The file's size and mtime before it was read (see cache.stat_key).
        self.stat_key = stat_key
        self.module_lookups = module_lookups
        self.had_internal_error = had_internal_error
        # A TypeScript file's first-party imports, for its import graph
        # (`infralint.languages.typescript.graph`): back from a worker too.
        self.imports = imports
        # Other files whose bindings answered this file's questions
        # (relative path -> content digest; see infralint.names).
        self.dependencies: Dict[str, str] = dependencies or {}


class Engine:
    def __init__(self, project: Project, cwd: Optional[Path] = None) -> None:
        self.project = project
        self.settings = project.settings
        self.cwd = Path(os.path.abspath(cwd or Path.cwd()))
        enabled = self.settings.enabled
        self._rules: Tuple[Type[Rule], ...] = tuple(
            rule for rule in RULES if rule.code in enabled and not rule.project_level
        )
        self.internal_errors: List[InternalError] = []
        # What a project-level check could not do, for the command to show.
        self.warnings: List[str] = []
        # Absolute path -> a linted TypeScript file's first-party imports
        # (`infralint.languages.typescript.graph.Edge`s): IL103's graph
        # does not parse them again.
        self.typescript_imports: Dict[str, list] = {}
        self._per_file_ignores = [
            (PrefilteredSpec([pattern]), frozenset(expand_codes(codes)))
            for pattern, codes in self.settings.per_file_ignores
        ]

    # Public API ---------------------------------------------------------
    def run(self, files: Iterable[Path], jobs: Optional[int] = None, cache: Optional[LintCache] = None) -> RunResult:
        """Lint ``files``; in ``jobs`` worker processes (default: one per
        CPU) when there are enough files to pay for starting them. Files
        whose findings ``cache`` holds are not parsed; the others are
        stored in it, for the caller to save once it has stored everything
        else (the whole-project check's findings). The result is the same
        either way: findings are sorted at the end."""
        files = list(files)
        result = RunResult(files_checked=len(files))
        pending = files if cache is None else self._take_cached(files, cache, result)
        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        for_cache = cache is not None
        if jobs > 1 and _worth_a_pool(pending):
            chunks = self._run_parallel(pending, jobs, for_cache)
        else:
            chunks = [self._lint_chunk(pending, for_cache)]
        for linted, internal_errors in chunks:
            for file in linted:
                result.findings.extend(file.findings)
                if file.imports is not None:
                    self.typescript_imports[os.path.abspath(file.path)] = file.imports
                if cache is not None and file.digest is not None and not file.had_internal_error:
                    cache.store(
                        self.project.file_info(file.path),
                        file.digest,
                        file.stat_key,
                        file.module_lookups,
                        file.findings,
                        file.dependencies,
                    )
            result.internal_errors.extend(internal_errors)
        result.findings.sort(key=lambda f: f.sort_key)
        return result

    def _take_cached(self, files: List[Path], cache: LintCache, result: RunResult) -> List[Path]:
        """Add the cached findings to ``result``; return the files to lint."""
        pending = []
        for path in files:
            try:
                stat = os.stat(path)
                cached = cache.findings(
                    self.project.file_info(path), stat, lambda: self.read(path), self.project, self.display_path(path)
                )
            except OSError:
                pending.append(path)
                continue
            if cached is None:
                pending.append(path)
            else:
                result.findings.extend(cached)
                result.files_cached += 1
        return pending

    def _lint_chunk(self, files: Sequence[Path], for_cache: bool) -> Tuple[List[LintedFile], List[InternalError]]:
        linted: List[LintedFile] = []
        already = len(self.internal_errors)
        for path in files:
            try:
                linted.append(self._lint_recorded(path) if for_cache else self._lint_plain(path))
            except InfralintError:
                raise  # the user's input (a tsconfig file that does not parse): exit 2 with its message
            except Exception as error:  # a bug of infralint's: this file's IL001, the run goes on
                linted.append(LintedFile(path, self.crashed(path, error), None, None, {}, True))
        return linted, self.internal_errors[already:]

    def _lint_plain(self, path: Path) -> LintedFile:
        """Lint ``path`` for a run without a cache: no stat, no hash."""
        errors_before = len(self.internal_errors)
        findings = self.lint_file(path)
        imports = self.typescript_imports.get(os.path.abspath(path))
        return LintedFile(path, findings, None, None, {}, len(self.internal_errors) > errors_before, imports)

    def _lint_recorded(self, path: Path) -> LintedFile:
        """Lint ``path`` with what the cache needs to keep its findings."""
        from infralint.cache import content_digest, stat_key

        errors_before = len(self.internal_errors)
        key: StatKey = None
        try:
            # Stat first: a change after it shows as a new stat next run.
            read_at = time.time_ns()
            stat = os.stat(path)
            data: Optional[bytes] = self.read(path)
            key = stat_key(stat, read_at)
        except OSError:
            data = None  # lint_file reports it
        with self.project.recording_module_lookups() as lookups:
            with self.project.names.recording_dependencies() as dependencies:
                findings = self.lint_file(path, data)
        digest = content_digest(data) if data is not None else None
        imports = self.typescript_imports.get(os.path.abspath(path))
        had_error = len(self.internal_errors) > errors_before
        return LintedFile(path, findings, digest, key, lookups, had_error, imports, self._digests(dependencies))

    def _digests(self, relatives: Iterable[str]) -> Dict[str, str]:
        """Relative path -> content digest of the files a lint's answers
        came through (an unreadable one keeps an empty digest: any content
        differs)."""
        from infralint.cache import content_digest

        digests: Dict[str, str] = {}
        for relative in relatives:
            try:
                digests[relative] = content_digest((self.project.root / relative).read_bytes())
            except OSError:
                digests[relative] = ""
        return digests

    def _run_parallel(
        self, files: List[Path], jobs: int, for_cache: bool
    ) -> List[Tuple[List[LintedFile], List[InternalError]]]:
        try:
            from concurrent.futures import ProcessPoolExecutor

            # Small chunks balance the load; each worker gets the engine once.
            size = max(4, len(files) // (jobs * 8))
            chunks = [files[i : i + size] for i in range(0, len(files), size)]
            with ProcessPoolExecutor(jobs, initializer=_set_worker_engine, initargs=(self, os.getpid())) as pool:
                try:
                    return list(pool.map(functools.partial(_lint_in_worker, for_cache=for_cache), chunks))
                except BaseException:  # Ctrl-C, SIGTERM: the chunks not started are dropped, not linted first
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        except (OSError, ImportError, NotImplementedError, PermissionError):
            # No multiprocessing here (sandboxes, some platforms): one process.
            return [self._lint_chunk(files, for_cache)]

    def read(self, path: Path) -> bytes:
        """The file's bytes: a regular file within ``max-file-size`` (see
        `infralint.reading`), else OSError."""
        return read_source(path, self.settings.max_file_size)

    def lint_file(
        self,
        path: Path,
        data: Optional[bytes] = None,
        keep: Optional[List[object]] = None,
        parse: Optional[Callable[[str, str], ast.Module]] = None,
    ) -> List[Finding]:
        """Lint one file; ``data`` replaces its content on disk (stdin,
        editors). Never raises for a problem with the file itself.
        ``keep`` receives the file's syntax tree and the rules' tables, for
        the caller to free when it suits it: freeing them takes ~10% of a
        lint, which the language server does after publishing. ``parse``
        (text, filename) replaces `ast.parse` (an editor's buffer is parsed
        incrementally, see `infralint.reparse`). A crash of infralint's own
        is the file's IL001 and an internal error (see `crashed`)."""
        try:
            return self._lint_file(path, data, keep, parse)
        except Exception as error:
            return self.crashed(path, error)

    def _lint_file(
        self,
        path: Path,
        data: Optional[bytes],
        keep: Optional[List[object]],
        parse: Optional[Callable[[str, str], ast.Module]],
    ) -> List[Finding]:
        info = self.project.file_info(path)
        display_path = self.display_path(path)
        ignored = self.ignored_codes(info.relative)
        typescript = is_typescript_name(path.name)
        language = TYPESCRIPT if typescript else PYTHON
        rules = [
            r for r in self._rules if r.code not in ignored and info.scope in r.applies_to and language in r.languages
        ]
        if data is None:
            try:
                data = self.read(path)
            except OSError as error:
                return self.report_unparsable(info, display_path, rules, _os_reason(error), (1, 1))
        if typescript:
            from infralint.languages.typescript.lint import lint as lint_typescript

            return lint_typescript(self, info, display_path, rules, data, keep)
        try:
            text = decode(data)
        except UnreadableSource as error:
            return self.report_unparsable(info, display_path, rules, str(error), (1, 1))
        try:
            tree = (parse or ast.parse)(text.text, str(path))
        except SyntaxError as error:
            return self.report_unparsable(info, display_path, rules, *_syntax_problem(error, text))
        except (RecursionError, MemoryError):
            return self.report_unparsable(info, display_path, rules, "too deeply nested for the parser", (1, 1))
        model = build_model(tree, info.package)
        ctx = FileContext(info, display_path, text, tree, model, self.project)
        if keep is not None:
            keep.append(ctx)
        instances = [rule(ctx) for rule in rules if not rule.runs_on_unparsable]
        _Dispatch(instances, ctx).run(tree)
        for code, error in ctx.internal_errors:
            self.internal_errors.append(InternalError(display_path, code, error))
        return self.finish_file(ctx, rules, find_suppressions(ctx.text.text))

    def check_project(
        self, files: Sequence[Path], cache: Optional[LintCache], listings: Optional[DirectoryListings] = None
    ) -> List[Finding]:
        """The project-level findings of a whole-project run over ``files``
        (IL103, IL105, and IL002 for their stale suppressions), stored in
        ``cache`` (for the caller to save) with grimp's graph (None:
        neither); ``listings``: the directories discovery listed, reused to
        tell whether anything changed."""
        contracts = self.contracts_file()
        if not self.runs_chains() and contracts is None:
            return []  # nothing to check on the graph: its code is not even imported
        from infralint.project_checks import check_project

        return check_project(self, files, cache, listings, contracts)

    def crashed(self, path: Path, error: BaseException) -> List[Finding]:
        """infralint crashed on ``path`` (``error``, not a rule's): an
        internal error (exit code 2) and, where IL001 runs, the file's IL001
        finding, so the other files' findings are still reported."""
        display_path = self.display_path(path)
        self.internal_errors.append(InternalError(display_path, CRASH, error))
        info = self.project.file_info(path)
        rules = [SyntaxErrorRule] if self._applies(SyntaxErrorRule, info) else []
        reason = f"infralint crashed on this file ({type(error).__name__}); please report this bug"
        return self.report_unparsable(info, display_path, rules, reason, (1, 1))

    def _applies(self, rule: Type[Rule], info) -> bool:
        return rule in self._rules and rule.code not in self.ignored_codes(info.relative) and info.scope in rule.applies_to

    def runs_chains(self) -> bool:
        """IL103 is on and the project has layers to chain."""
        return LayerViolationChain.code in self.settings.enabled and bool(self.project.layers.layers)

    def contracts_file(self) -> Optional[Path]:
        """The import-linter configuration IL105 checks, when IL105 is on."""
        if ImportContractBroken.code not in self.settings.enabled:
            return None
        from infralint.contracts_file import contracts_file

        return contracts_file(self.project.root)

    def parses(self, path: Path, text: str) -> bool:
        """Whether ``text`` parses as the language of ``path`` (a fix never
        writes a file that does not)."""
        if is_typescript_name(path.name):
            from infralint.languages.typescript.parser import parses_as

            return parses_as(text, path.name)
        from infralint.fixes import parses

        return parses(text)

    def display_path(self, path: Path) -> str:
        return posix_relative(path, str(self.cwd))

    # Steps -------------------------------------------------------------------
    def ignored_codes(self, relative: str) -> frozenset:
        ignored: frozenset = frozenset()
        for spec, codes in self._per_file_ignores:
            if spec.match_file(relative):
                ignored |= codes
        return ignored

    def report_unparsable(
        self,
        info,
        display_path: str,
        rules: Sequence[Type[Rule]],
        reason: str,
        position: Tuple[int, int],
    ) -> List[Finding]:
        if SyntaxErrorRule not in rules:
            return []
        ctx = FileContext(info, display_path, SourceText(""), None, ModuleModel(), self.project)
        SyntaxErrorRule(ctx).report_problem(reason, position)
        return ctx.findings

    def finish_file(
        self, ctx: FileContext, rules: Sequence[Type[Rule]], suppressions: List[Suppression]
    ) -> List[Finding]:
        """A linted file's findings: suppressions applied, IL002 added."""
        findings = ctx.findings
        if suppressions:
            findings = [f for f in findings if not is_suppressed(f, suppressions)]
            if UnusedSuppression in rules:
                already = len(ctx.findings)
                UnusedSuppression(ctx).report_unused(suppressions, {rule.code for rule in rules}, RULES_BY_CODE)
                findings.extend(ctx.findings[already:])
        return sorted(_dedupe(findings), key=lambda f: f.sort_key)


def _dedupe(findings: List[Finding]) -> List[Finding]:
    seen = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.line, finding.column, finding.end_line, finding.end_column, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


class _Dispatch:
    """Calls the rules' hooks for one file. A rule that raises is recorded
    as an internal error for this file and not called again; the others go
    on."""

    def __init__(self, rules: Sequence[Rule], ctx: FileContext) -> None:
        self.ctx = ctx
        self.rules = list(rules)
        # Keyed by node class; `disable` edits these same tables mid-walk.
        self.visitors: Dict[type, List[Method]] = {}
        self.leavers: Dict[type, List[Method]] = {}
        text = ctx.text.text
        for rule in list(self.rules):
            if not self.call(rule, rule.begin) or not rule.wants_traversal:
                continue
            triggers = rule.visit_triggers
            if triggers and not any(word in text for word in triggers):
                continue
            for node_type, methods in _visitor_methods(type(rule)).items():
                for method_name in methods:
                    table = self.visitors if method_name.startswith("visit_") else self.leavers
                    table.setdefault(node_type, []).append(getattr(rule, method_name))

    def call(self, rule: Rule, hook: Callable[..., None], *args: ast.AST) -> bool:
        try:
            hook(*args)
        except Exception as error:  # a bug in one rule must not stop the run
            self.disable(rule, error)
            return False
        return True

    def disable(self, rule: Rule, error: Exception) -> None:
        if rule not in self.rules:
            return
        self.rules.remove(rule)
        self.ctx.internal_errors.append((rule.code, error))
        for table in (self.visitors, self.leavers):
            for node_type, methods in table.items():
                table[node_type] = [m for m in methods if getattr(m, "__self__", None) is not rule]

    def run(self, tree: ast.Module) -> None:
        if self.visitors or self.leavers:
            self._walk(tree)
        for rule in list(self.rules):
            self.call(rule, rule.end)

    def _walk(self, tree: ast.Module) -> None:
        """Visit every node once, depth first, keeping ``ctx.ancestors``.

        Hot path: iterative (deep trees do not hit the recursion limit),
        keyed by class, reading only the fields that may hold a node
        (`child_fields`: ``ctx`` Load/Store children alone are a third of
        all nodes), and pushing list fields whole: the odd ``None`` or
        string in a list (``Dict`` keys, ``Global`` names) is popped and
        passed over. After a node's children, the stack holds `_LEAVE`:
        the node is the last of ``ancestors``."""
        visitors, leavers = self.visitors, self.leavers
        ancestors = self.ctx.ancestors
        node_class = ast.AST
        leave = _LEAVE
        stack: List[object] = [tree]
        pop, push, extend = stack.pop, stack.append, stack.extend
        fields_of = _CHILD_FIELDS_LAST_FIRST.get
        while stack:
            node = pop()
            if node is leave:
                node = ancestors.pop()
                methods = leavers.get(node.__class__)
                if methods:
                    self._call_all(methods, node)
                continue
            cls = node.__class__
            methods = visitors.get(cls)
            if methods:
                self._call_all(methods, node)  # type: ignore[arg-type]
            fields = fields_of(cls)
            if fields is None:
                fields = _CHILD_FIELDS_LAST_FIRST[cls] = tuple(reversed(child_fields(cls)))
            if fields:
                push(leave)
                ancestors.append(node)  # type: ignore[arg-type]
                marker = len(stack)
                for name in fields:  # last field first: the first child pops first
                    value = getattr(node, name, None)
                    if value.__class__ is list:
                        extend(reversed(value))
                    elif isinstance(value, node_class):
                        push(value)
                if len(stack) > marker:
                    continue
                pop()  # no children after all
                ancestors.pop()
            methods = leavers.get(cls)
            if methods:
                self._call_all(methods, node)  # type: ignore[arg-type]

    def _call_all(self, methods: List[Method], node: ast.AST) -> None:
        for method in methods:
            try:
                method(node)
            except Exception as error:  # a bug in one rule must not stop the run
                self.disable(method.__self__, error)  # type: ignore[attr-defined]


# On the walk's stack after a node's children (see `_Dispatch._walk`).
_LEAVE = object()
# Node class -> `child_fields`, last first (the walk pushes them so).
_CHILD_FIELDS_LAST_FIRST: Dict[type, Tuple[str, ...]] = {}


@functools.lru_cache(maxsize=None)
def _visitor_methods(rule: Type[Rule]) -> Dict[type, List[str]]:
    """Node class -> the rule's visit/leave method names for it."""
    return {getattr(ast, name): methods for name, methods in rule.visitor_methods().items()}


def _os_reason(error: OSError) -> str:
    if isinstance(error, SourceTooLarge):
        return str(error.strerror)
    return f"cannot read the file: {error.strerror or error}"


_FEATURE_VERSIONS = {
    "TemplatedString": "3.14",
    "TypeAlias": "3.12",
    "TypeParameters": "3.12",
    "TryStar": "3.11",
    "Match": "3.10",
}


def _syntax_problem(error: SyntaxError, text: SourceText) -> Tuple[str, Tuple[int, int]]:
    line = error.lineno or 1
    offset = error.offset or 1
    # SyntaxError offsets are 1-based characters of the line.
    position = (line, max(1, offset))
    if _beyond_parser_limits(error, text.text):
        # Every Python version has these limits: no newer grammar helps.
        return f"syntax error: {error.msg}", position
    needed = _newer_grammar(text.text)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if needed:
        return f"this file needs Python {needed} or newer to parse (infralint runs on Python {running})", position
    if needed is not None:
        return f"this file uses syntax newer than Python {running}, which infralint runs on", position
    return f"syntax error: {error.msg}", position


# CPython's tokenizer limits (MAXLEVEL, MAXINDENT), the same in every
# version: a file past them is rejected whatever the grammar.
MAX_BRACKET_DEPTH = 200
MAX_INDENT_LEVELS = 100
_OPENING, _CLOSING = frozenset("([{"), frozenset(")]}")


def _beyond_parser_limits(error: SyntaxError, source: str) -> bool:
    """Whether ``source`` nests deeper than Python allows. libcst, asked
    which version such a file needs, recurses until it overflows the
    Python stack or, a few thousand brackets deep, the C stack (the process
    dies): it must never see one. Counts every bracket and indentation,
    strings and comments included: an overestimate only skips the guess."""
    if error.msg.startswith("too many"):
        return True
    depth = deepest = 0
    for character in source:
        if character in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif character in _CLOSING:
            depth = max(0, depth - 1)
    if deepest > MAX_BRACKET_DEPTH:
        return True
    indents = [0]
    for line in split_lines(source):
        stripped = line.lstrip(" \t\f")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(line) - len(stripped)
        while width < indents[-1]:
            indents.pop()
        if width > indents[-1]:
            indents.append(width)
            if len(indents) > MAX_INDENT_LEVELS + 1:
                return True
    return False


def _newer_grammar(source: str) -> Optional[str]:
    """The Python version a file that ``ast`` rejected needs, "" when libcst
    parses it but the feature is unknown, None when it does not parse."""
    try:
        import libcst
    except ImportError:  # pragma: no cover - libcst is a dependency
        return None
    # libcst also fails its own validation on some newer syntax
    # (`t"a" t"b"`, Python 3.14): unknown, like a parse error.
    failures = (libcst.ParserSyntaxError, RecursionError, MemoryError, ValueError, getattr(libcst, "CSTLogicError", ValueError))
    try:
        module = libcst.parse_module(source)
    except failures:
        return None
    running = (sys.version_info.major, sys.version_info.minor)
    found: List[str] = []

    class _Features(libcst.CSTVisitor):
        def on_visit(self, node: libcst.CSTNode) -> bool:
            version = _FEATURE_VERSIONS.get(type(node).__name__)
            if version and tuple(int(p) for p in version.split(".")) > running:
                found.append(version)
            return True

    try:
        module.visit(_Features())
    except RecursionError:  # deep, yet within Python's limits
        return None
    if not found:
        # f-strings with nested quotes and the like (3.12's PEP 701).
        return "3.12" if running < (3, 12) else ""
    return max(found, key=lambda v: tuple(int(p) for p in v.split(".")))
