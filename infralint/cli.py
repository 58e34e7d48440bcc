"""The command line: parse arguments, load settings, run the engine, hand
the findings to a reporter, set the exit code. No analysis happens here."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple

import click

from infralint import __version__
from infralint.errors import InfralintError

if TYPE_CHECKING:
    from infralint.cache import LintCache
    from infralint.engine import Engine, InternalError, RunResult
    from infralint.findings import Finding
    from infralint.fix_run import ProjectFix
    from infralint.listings import DirectoryListings
    from infralint.project import Project
    from infralint.run import LintRun

# ruff's names where they mean the same; `concise` is the text format.
FORMATS = ("concise", "full", "text", "json", "json-lines", "junit", "github", "gitlab", "sarif", "pylint")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split_codes(option: str, values: Tuple[str, ...]) -> Optional[List[str]]:
    """``--select IL1,IL302 --select IL2`` -> ["IL1", "IL302", "IL2"]. An
    option given with no code (``--select ''``) is an error: read as
    absent, it would select every rule."""
    if not values:
        return None
    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    if not codes:
        raise InfralintError(f"{option}: no rule code given")
    return codes


# Options that contradict each other: (option, its flag's name) pairs.
_CONFLICTS = (
    (("--diff", "diff"), ("--fix", "fix")),
    (("--diff", "diff"), ("--update-baseline", "update_baseline")),
    (("--stdin-filename", "stdin_filename"), ("--diff", "diff")),
    (("--stdin-filename", "stdin_filename"), ("--update-baseline", "update_baseline")),
    (("--add-noqa", "add_noqa"), ("--fix", "fix")),
    (("--add-noqa", "add_noqa"), ("--diff", "diff")),
    (("--add-noqa", "add_noqa"), ("--stdin-filename", "stdin_filename")),
    (("--add-noqa", "add_noqa"), ("--update-baseline", "update_baseline")),
)


def _check_conflicts(options: Dict[str, object]) -> None:
    """A usage error (exit code 2) for options that cannot go together,
    rather than silently honouring one of them."""
    for (first, first_name), (second, second_name) in _CONFLICTS:
        if options[first_name] not in (None, False) and options[second_name] not in (None, False):
            raise click.UsageError(f"{first} and {second} cannot be used together")


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"infralint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="infralint", message="%(prog)s %(version)s")
def main() -> None:
    """An architecture linter for layered (clean / hexagonal / DDD) Python
    services."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Rules to run (codes or prefixes, comma-separated); replaces the configured selection.")
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the selection.")
@click.option("--ignore", multiple=True, help="Rules not to run (codes or prefixes, comma-separated).")
@click.option("--output-format", "output_format", type=click.Choice(FORMATS), help="concise (the default, also called text), full (with the source), json, json-lines, junit, github, gitlab, sarif or pylint.")
@click.option("--format", "format_alias", type=click.Choice(FORMATS), help="Same as --output-format.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this configuration file.")
@click.option("--output-file", "-o", type=click.Path(path_type=Path), help="Write the report to this file instead of stdout.")
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when there are findings.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings and nothing else.")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (and unsafe ones with --unsafe-fixes).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, apply unsafe fixes too; alone, show them as available.")
@click.option("--diff", is_flag=True, help="Print the diff --fix would apply; write nothing (exit 1 when there is one).")
@click.option("--show-fixes", is_flag=True, help="After the findings, list the fixes applied (or available) per file.")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path), help="Ignore the findings recorded in this baseline file.")
@click.option("--no-baseline", is_flag=True, help="Report every finding, the baseline's too (ignore --baseline and the configured one).")
@click.option("--update-baseline", is_flag=True, help="Record the current findings in the baseline file (--baseline or the configured one).")
@click.option("--stdin-filename", type=click.Path(path_type=Path), help="Lint source read from stdin as if it were this file (its layer comes from the path).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache (.infralint_cache at the project root).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per CPU; 1 lints in this process).")
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of internal errors and how many files came from the cache.")
@click.option("--add-noqa", is_flag=True, help="Add `# infralint: ignore[CODE]` where each finding is reported (merged into an existing directive).")
@click.option("--show-settings", is_flag=True, help="Print the settings in use and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted and exit.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit 1 when a fix was applied, even if no finding remains.")
@click.option("--force-exclude", is_flag=True, help="Skip excluded files even when they are named (as pre-commit and build tools pass them).")
def check(**options: Any) -> None:
    """Lint files or directories (default: the project root)."""
    options["output_format"] = _output_format(options.pop("format_alias"), options["output_format"])
    if options["stdin_filename"] is None:
        _check_conflicts(options)
        _check(**options, stdin=None)
        return
    # An editor pipes its buffer through `--fix --stdin-filename` and puts
    # back what comes out: on any error, that is the input unchanged.
    stdin = _FixedOutput(sys.stdin.buffer.read())
    with stdin.input_on_error() if options["fix"] else contextlib.nullcontext():
        _check_conflicts(options)
        _check(**options, stdin=stdin)


def _output_format(format_alias: Optional[str], output_format: Optional[str]) -> str:
    """--output-format, or its older spelling --format; `concise` is text."""
    if format_alias and output_format and format_alias != output_format:
        raise click.UsageError(f"--format {format_alias} and --output-format {output_format} disagree: give one")
    chosen = output_format or format_alias or "text"
    return "text" if chosen == "concise" else chosen


def _check(
    paths: Tuple[Path, ...],
    select: Tuple[str, ...],
    extend_select: Tuple[str, ...],
    ignore: Tuple[str, ...],
    output_format: str,
    config_file: Optional[Path],
    output_file: Optional[Path],
    exit_zero: bool,
    quiet: bool,
    statistics: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    baseline_file: Optional[Path],
    no_baseline: bool,
    update_baseline: bool,
    stdin_filename: Optional[Path],
    no_cache: bool,
    jobs: Optional[int],
    verbose: bool,
    add_noqa: bool,
    show_settings: bool,
    show_files: bool,
    exit_non_zero_on_fix: bool,
    force_exclude: bool,
    stdin: Optional[_FixedOutput],
) -> None:
    from infralint.startup import collector_paused

    with collector_paused():  # the rules and the engine: most of start-up
        from infralint.config import load_settings
        from infralint.discovery import discover, is_excluded
        from infralint.engine import Engine
        from infralint.listings import DirectoryListings
        from infralint.project import Project
        from infralint.reporters import Summary, get_reporter, statistics_formats
        from infralint.run import LintRun

    try:
        if statistics and output_format not in statistics_formats():
            raise InfralintError(
                f"--statistics works with --format {' or '.join(statistics_formats())}, not {output_format}"
            )
        if stdin_filename is not None:
            if paths not in ((), (Path("-"),)):
                raise InfralintError("--stdin-filename reads the source from stdin: give no paths, or `-`")
            paths = (stdin_filename,)
        settings = load_settings(
            list(paths),
            config_file=config_file,
            select=_split_codes("--select", select),
            extend_select=_split_codes("--extend-select", extend_select),
            ignore=_split_codes("--ignore", ignore),
        )
        if show_settings:
            from infralint.show import settings_lines

            click.echo("\n".join(settings_lines(settings, Path.cwd())))
            return
        if stdin is not None and stdin_filename is not None:
            if force_exclude and is_excluded(stdin_filename, settings):
                if fix:
                    stdin.write(stdin.data)  # an editor puts back what comes out
                return
            stdin_run = LintRun(Engine(Project(settings, extra_files=[stdin_filename])), baseline_file, not no_baseline)
            fix_exit = exit_non_zero_on_fix and not exit_zero
            _lint_stdin(stdin_run, stdin_filename, stdin, fix, unsafe_fixes, output_format, quiet, exit_zero, fix_exit)
            return
        for warning in _recover_interrupted_fixes(settings.root):
            click.echo(f"infralint: warning: {warning}", err=True)
        targets: Sequence[Path] = list(paths) or [settings.root]
        if force_exclude:  # ruff's meaning: excluded stays excluded, even when named
            targets = [path for path in targets if not is_excluded(path, settings)]
        # The layer scan reuses what discovery listed.
        listings = DirectoryListings()
        files = discover(targets, settings, listings)
        if show_files:
            from infralint.show import file_lines

            click.echo("\n".join(file_lines(files, Path.cwd())), nl=bool(files))
            return
        project = Project(settings, extra_files=files, listings=listings)
        engine = Engine(project)
        run = LintRun(engine, baseline_file, use_baseline=not (no_baseline or update_baseline))
        for directory, reason in listings.unreadable.items():
            shown = engine.display_path(Path(directory))
            click.echo(f"infralint: warning: {shown}: cannot list the directory ({reason}); its files are not linted", err=True)
        cache = None if no_cache else _open_cache(project)
        result = engine.run(files, jobs=jobs, cache=cache)
        if verbose:
            click.echo(f"infralint: {result.files_cached} of {result.files_checked} files from the cache", err=True)
        fixes: Optional["ProjectFix"] = None
        write_errors: List[str] = []
        if fix or diff:
            fixes, write_errors = _apply_fixes(engine, files, result, unsafe_fixes, diff, show_fixes, quiet)
            findings = fixes.remaining()
        else:
            findings = result.findings
        if _whole_project(paths, settings.root):
            if fixes is None:
                findings = [*findings, *run.project_findings(files, cache, listings, _warn)]
            else:  # not from the cache: files changed, and a rename moves them
                findings = [*findings, *run.project_findings(discover([settings.root], settings), None, None, _warn)]
        else:  # the contracts (IL105) of the named files, on the whole project's graph
            findings = [*findings, *run.contract_findings(files, cache if fixes is None else None, _warn)]
        if cache is not None:
            cache.save()  # once: the files' findings and the project check's
            for warning in cache.warnings:
                _warn(warning)
        if update_baseline:
            _update_baseline(baseline_file or settings.baseline, run.accept(findings))
            return
        findings = run.accept(findings)
        for warning in run.warnings:
            _warn(warning)
        if add_noqa:
            _add_noqa(findings, engine)
            return
    except InfralintError as error:
        raise _fail(str(error)) from error
    summary = Summary(
        files_checked=result.files_checked,
        unsafe_fixes=unsafe_fixes,
        statistics=statistics,
        quiet=quiet,
        show_fixes=show_fixes,
        fixed=fixes.fixed if fixes is not None else None,
        applied_fixes=fixes.applied() if fixes is not None else None,
    )
    _emit(get_reporter(output_format).render(findings, summary), output_file, output_format)
    if verbose:
        _show_tracebacks([*result.internal_errors, *engine.internal_errors])
    fixed_any = exit_non_zero_on_fix and fixes is not None and fixes.fixed > 0
    _exit_for(write_errors + _internal_errors(result, engine), bool(findings) or fixed_any, exit_zero)


def _add_noqa(findings: List["Finding"], engine: "Engine") -> None:
    """--add-noqa: suppress every finding where it is reported."""
    from infralint.add_noqa import add_suppressions

    added = add_suppressions(findings, engine.cwd, engine.project.root)
    for warning in added.warnings:
        _warn(warning)
    noun = "finding" if added.added == 1 else "findings"
    files = "file" if added.files == 1 else "files"
    click.echo(f"Suppressed {added.added} {noun} with `# infralint: ignore` comments in {added.files} {files}.", err=True)
    _exit_for(added.errors, False, exit_zero=False)


def _warn(message: str) -> None:
    click.echo(f"infralint: warning: {message}", err=True)


def _open_cache(project: "Project") -> "LintCache":
    from infralint.cache import LintCache  # hashlib and json: not imported with --no-cache

    return LintCache.for_project(project)


def _update_baseline(baseline: Optional[Path], findings: List["Finding"]) -> None:
    from infralint.baseline import file_line_reader, write_baseline

    if baseline is None:
        raise InfralintError("--update-baseline needs --baseline FILE or `baseline` in the configuration")
    write_baseline(baseline, findings, file_line_reader(Path.cwd()))
    click.echo(f"Recorded {len(findings)} finding{'s' if len(findings) != 1 else ''} in {baseline}.")


class _FixedOutput:
    """stdout of `--fix --stdin-filename`: an editor puts back what comes
    out, so it is the fixed source, or on any error (exit code 2, or an
    exception) the input as it came; never nothing, never both."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.written = False

    def write(self, output: bytes) -> None:
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
        self.written = True

    @contextlib.contextmanager
    def input_on_error(self) -> Iterator[None]:
        try:
            yield
        except click.exceptions.Exit as done:
            if done.exit_code == EXIT_ERROR and not self.written:
                self.write(self.data)
            raise
        except BaseException:
            if not self.written:
                self.write(self.data)
            raise


def _lint_stdin(
    run: "LintRun",
    path: Path,
    stdin: _FixedOutput,
    fix: bool,
    unsafe_fixes: bool,
    output_format: str,
    quiet: bool,
    exit_zero: bool,
    exit_non_zero_on_fix: bool = False,
) -> None:
    """Editors and pipes: lint stdin as ``path``. With --fix the fixed
    source goes to stdout and the remaining findings to stderr."""
    from infralint.findings import Applicability
    from infralint.fixes import fix_file
    from infralint.reporters import Summary, get_reporter

    engine = run.engine
    display = engine.display_path(path)
    changed = False
    if fix:
        minimum = Applicability.minimum(unsafe_fixes)
        data = stdin.data
        outcome = fix_file(engine, path, minimum, data)
        changed = outcome.changed
        fixed = data if not outcome.changed else outcome.fixed_text.encode(outcome.source.encoding)  # type: ignore[union-attr]
        sources = {display: outcome.fixed_text or ""}
        summary = Summary(files_checked=1, unsafe_fixes=unsafe_fixes, quiet=quiet, sources=sources)
        findings = run.accept(outcome.remaining, sources)
        # An internal error makes it exit 2: the input goes back as it came.
        stdin.write(data if engine.internal_errors else fixed)
        report = get_reporter(output_format).render(findings, summary)
        if report:
            click.echo(report, err=True)
    else:
        findings = run.lint_source(path, stdin.data)
        text = _decoded(stdin.data)
        summary = Summary(files_checked=1, unsafe_fixes=unsafe_fixes, quiet=quiet, sources={display: text})
        report = get_reporter(output_format).render(findings, summary)
        if report:
            click.echo(report)
    _exit_for([str(e) for e in engine.internal_errors], bool(findings) or (exit_non_zero_on_fix and changed), exit_zero)


def _decoded(data: bytes) -> str:
    from infralint.source import UnreadableSource, decode

    try:
        return decode(data).text
    except UnreadableSource:
        return ""


def _recover_interrupted_fixes(root: Path) -> List[str]:
    """Undo a group of fixed files a killed run left half written (see
    `infralint.journal`). One listing of the root tells whether there is
    any: the journal module is imported only then."""
    import os

    try:
        names = os.listdir(root)
    except OSError:
        return []
    if not any(name.startswith(".infralint-") and name.endswith(".journal") for name in names):
        return []
    from infralint.journal import recover

    return recover(root)


def _whole_project(paths: Sequence[Path], root: Path) -> bool:
    """No paths, or just the project root: project-level rules run then."""
    return not paths or (len(paths) == 1 and paths[0].resolve() == root.resolve())


def _apply_fixes(
    engine: "Engine",
    files: Sequence[Path],
    linted: "RunResult",
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    quiet: bool,
) -> Tuple["ProjectFix", List[str]]:
    """--fix / --diff: fix every file in memory; with --diff print the diff
    and exit, else write the files. Returns the run and the errors of files
    that could not be written (left as they were)."""
    from infralint.discovery import discover
    from infralint.findings import Applicability
    from infralint.fix_run import ProjectFix
    from infralint.reporters.text import fixes_lines

    settings = engine.settings
    # A rename rewrites imports in files kept out of linting too (only the
    # default excludes, virtualenvs and build output, are not the project's).
    importers = settings.with_changes(extend_exclude=())
    run = ProjectFix(engine, files, linted.findings, Applicability.minimum(unsafe_fixes), lambda: discover([settings.root], importers))
    for warning in run.warnings:
        click.echo(f"infralint: warning: {warning}", err=True)
    if not diff:
        return run, run.write()
    click.echo(run.diff(), nl=False)
    if not quiet:
        if show_fixes:
            click.echo("\n".join(fixes_lines(run.applied(), applied=False)), err=True)
        click.echo(f"Would fix {run.fixed} finding{'s' if run.fixed != 1 else ''}.", err=True)
    _exit_for(_internal_errors(linted, engine), bool(run.changed()), exit_zero=False)
    raise click.exceptions.Exit(EXIT_CLEAN)


def _internal_errors(linted: "RunResult", engine: "Engine") -> List[str]:
    """Rule crashes of the run and of the engine's later lints; linting again
    while fixing meets the same ones (reported once per file and rule)."""
    unique = {(e.path, e.code): e for e in [*linted.internal_errors, *engine.internal_errors]}
    return [f"{error} (please report this bug)" for error in unique.values()]


# Formats whose output is read by people and line tools: a file name that is
# not UTF-8 is written as its own bytes, as ls and grep show it.
RAW_NAME_FORMATS = ("text", "github")


def _emit(output: str, output_file: Optional[Path], output_format: str) -> None:
    # A file name that is not UTF-8 reaches here as lone surrogates (Python's
    # surrogateescape): as its bytes in text, as U+FFFD in a document that
    # must be UTF-8 (JSON, XML), which a strict reader would reject.
    encoded = output.encode("utf-8", "surrogateescape")
    if output_format not in RAW_NAME_FORMATS:
        encoded = encoded.decode("utf-8", "replace").encode("utf-8")
    if output_file is None:
        if output:
            click.echo(encoded)
        return
    try:
        output_file.write_bytes(encoded + b"\n")
    except OSError as error:
        raise _fail(f"{output_file}: cannot write the report: {error.strerror or error}") from error


def _show_tracebacks(errors: Sequence["InternalError"]) -> None:
    """--verbose: where each internal error happened (those from worker
    processes come back as their text only)."""
    import traceback  # only on a crash: costs ~10 ms at start-up

    for error in errors:
        if error.error.__traceback__ is not None:
            click.echo(f"infralint: traceback of {error}:", err=True)
            traceback.print_exception(type(error.error), error.error, error.error.__traceback__)


def _exit_for(errors: List[str], findings: bool, exit_zero: bool) -> None:
    for error in errors:
        click.echo(f"infralint: error: {error}", err=True)
    if errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    if findings and not exit_zero:
        raise click.exceptions.Exit(EXIT_FINDINGS)


@main.command()
@click.argument("name", required=False)
@click.option("--fix", is_flag=True, help="Rename the local branch to the suggested name (unsafe, see IL501).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this configuration file.")
def branch(name: Optional[str], fix: bool, config_file: Optional[Path]) -> None:
    """Check the current branch name (IL501: when the branch's work touches
    the infrastructure layer), or NAME whatever it changes: exit 0 when it
    conforms, 1 when it does not. Nothing is checked when the
    configuration's select / ignore leave IL501 out."""
    import os

    from infralint.config import load_settings
    from infralint.rules.vcs import BranchName
    from infralint.run import infrastructure_files

    try:
        settings = load_settings([], config_file=config_file)
        if BranchName.code not in settings.enabled:
            return
        if name is not None:
            if fix:
                raise InfralintError("--fix renames the current branch; do not name one")
            finding = BranchName.check_name(name, settings.branch)
        elif fix:
            new = BranchName.fix_repository(settings, os.environ, infrastructure_files(settings))
            if new is not None:
                click.echo(f"renamed the branch to {new}")
            return
        else:
            finding = BranchName.check_repository(settings, os.environ, infrastructure_files(settings), _display_path)
    except InfralintError as error:  # GitError is one
        raise _fail(str(error)) from error
    if finding is not None:
        where = f"{finding.path}:{finding.line}:{finding.column}: " if finding.path else ""
        click.echo(f"{where}{finding.code} {finding.message}")
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _display_path(path: Path) -> str:
    from infralint.project import posix_relative

    return posix_relative(path, str(Path.cwd()))


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(("text", "mermaid", "dot")), default="text", show_default=True)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Use this configuration file.")
@click.option("--no-cache", is_flag=True, help="Build the import graph without reading or writing the cache.")
def layers(path: Optional[Path], output_format: str, config_file: Optional[Path], no_cache: bool) -> None:
    """Show the layers of the project (or of PATH) with their modules, and
    the imports between layers; violating ones are marked (IL101 direct,
    IL103 through modules of no layer)."""
    from infralint.cache import LintCache
    from infralint.config import load_settings
    from infralint.diagram import LayerReport, no_layers_message, render
    from infralint.discovery import discover
    from infralint.graph import ProjectGraph
    from infralint.filetypes import is_typescript_name
    from infralint.project import Project

    try:
        settings = load_settings([path] if path else [], config_file=config_file)
        files = discover([path or settings.root], settings)
        project = Project(settings, extra_files=files)
        if len(project.layers.layers) < 2:
            # A diagram's output may be piped into a file: the explanation goes to stderr.
            click.echo(no_layers_message(settings.layers, settings.layers_configured), err=output_format != "text")
            return
        graphs = []
        python = [file for file in files if not is_typescript_name(file.name)]
        if python or len(python) == len(files):
            cache_dir = None if no_cache else LintCache.for_project(project).graph_directory
            graphs.append(ProjectGraph.build(project, python, cache_dir))
        if len(python) < len(files):
            from infralint.languages.typescript.graph import TsGraph

            graphs.append(TsGraph.build(project, [file for file in files if is_typescript_name(file.name)], {}))
    except InfralintError as error:
        raise _fail(str(error)) from error
    click.echo(render(LayerReport.from_graphs(project.layers, graphs), output_format))


@main.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
def init(directory: Optional[Path]) -> None:
    """Write a starting [tool.infralint] section (pyproject.toml, else
    infralint.toml) with the detected layers as a comment."""
    from infralint.init import init_config

    try:
        written = init_config((directory or Path.cwd()).resolve())
    except InfralintError as error:
        raise _fail(str(error)) from error
    click.echo(f"Wrote the infralint configuration to {written}.")


@main.command()
@click.option("--stdio", is_flag=True, help="Talk over stdin and stdout (the default and only transport; accepted for editors that pass it).")
def server(stdio: bool) -> None:
    """Run the language server on stdin and stdout (needs the lsp extra)."""
    from infralint.lsp.bootstrap import MISSING_EXTRA, has_extra, main as serve

    if not has_extra():
        raise _fail(MISSING_EXTRA)
    serve()


@main.command()
@click.argument("code_or_name")
def rule(code_or_name: str) -> None:
    """Print a rule's documentation (by code, e.g. IL101, or name)."""
    from infralint.docs import render_rule_page
    from infralint.rules import ALL_CODES, find_rule

    found = find_rule(code_or_name)
    if found is None:
        import difflib

        wanted = code_or_name.upper()
        group = [code for code in ALL_CODES if code.startswith(wanted)] if wanted.startswith("IL") else []
        guesses = difflib.get_close_matches(wanted, [code for code in ALL_CODES if code != wanted], n=1)
        if group:  # a prefix: no one page, and no near miss
            hint = f" ({code_or_name} is a group of rules: {', '.join(group[:3])}{', ...' if len(group) > 3 else ''})"
        else:
            hint = f" (did you mean {guesses[0]}?)" if guesses else ""
        raise _fail(f"unknown rule '{code_or_name}'{hint}; `infralint rules` lists them")
    click.echo(render_rule_page(found))


@main.command("rules")
def list_rules() -> None:
    """List every rule: code, name, fix availability, where it applies."""
    from infralint.rules import RULES

    rows = [(r.code, r.name, r.fix_availability.value, r.scope_description()) for r in RULES]
    widths = [max(len(row[i]) for row in rows + [("code", "name", "fix", "applies to")]) for i in range(4)]
    for row in [("code", "name", "fix", "applies to")] + rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
