"""The run step between the engine and every entry point: the command line
(paths, stdin, ``--fix``), the language server and the hooks all lint
through a `LintRun`, so a policy added here reaches all of them.

The engine lints files and applies what belongs to a file: the selection,
per-file ignores and suppression comments. What belongs to the run is
applied here:

- the whole-project checks (IL103 and IL105 on the import graph, IL501
  on the branch), when the whole project is checked;
- the baseline (``baseline`` in the configuration, or ``--baseline``):
  recorded findings are not reported, unless ``--no-baseline`` asks for
  everything. A buffer (stdin, an editor) is matched by its own text, not
  the file on disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from infralint.findings import Finding

if TYPE_CHECKING:
    from infralint.baseline import Baseline, LineReader
    from infralint.cache import LintCache
    from infralint.engine import Engine
    from infralint.listings import DirectoryListings
    from infralint.project import Project
    from infralint.rules.vcs import InfrastructureFiles
    from infralint.settings import Settings

Warn = Callable[[str], None]

# Baselines read so far: path -> ((mtime_ns, size), baseline). A language
# server lints on every keystroke: the file is read again only when it changed.
_LOADED: Dict[Path, Tuple[Tuple[int, int], "Baseline"]] = {}


class LintRun:
    """One configuration applied the same way by every entry point.

    ``baseline``: the baseline file to filter with (None: the configured
    one); ``use_baseline=False`` reports everything (``--no-baseline``,
    ``--update-baseline``, which records what is there)."""

    def __init__(self, engine: "Engine", baseline: Optional[Path] = None, use_baseline: bool = True) -> None:
        self.engine = engine
        self.baseline_file: Optional[Path] = (baseline or engine.settings.baseline) if use_baseline else None
        # For the entry point to show (the baseline's).
        self.warnings: List[str] = []

    # Entry points -----------------------------------------------------------
    def lint_source(
        self,
        path: Path,
        data: bytes,
        keep: Optional[List[object]] = None,
        parse: Optional[Callable[[str, str], object]] = None,
    ) -> List[Finding]:
        """The reported findings of one buffer (stdin, an editor) holding
        ``data`` as the file at ``path``."""
        findings = self.engine.lint_file(path, data, keep, parse)  # type: ignore[arg-type]
        return self.accept(findings, {self.engine.display_path(path): _text_of(data)})

    def project_findings(
        self,
        files: Sequence[Path],
        cache: Optional["LintCache"] = None,
        listings: Optional["DirectoryListings"] = None,
        warn: Optional[Warn] = None,
    ) -> List[Finding]:
        """The whole-project findings over ``files`` (the project's files):
        IL103 and IL105 and their unused suppressions, and IL501. Not yet
        filtered by the baseline (`accept`): the caller joins them with the
        files' findings first, as occurrences count across both."""
        return [*self._graph_findings(self.engine, files, cache, listings, warn), *self.branch_findings()]

    def contract_findings(self, named: Sequence[Path], cache: Optional["LintCache"] = None, warn: Optional[Warn] = None) -> List[Finding]:
        """IL105 for files named on the command line: the contracts are
        checked on the whole project's graph, as a whole-project run checks
        them (and with its cache entry), and the findings that start in
        ``named`` are kept."""
        from infralint.discovery import discover
        from infralint.engine import Engine
        from infralint.listings import DirectoryListings
        from infralint.project import Project
        from infralint.rules.import_contracts import ImportContractBroken

        if self.engine.contracts_file() is None:
            return []
        settings = self.engine.settings
        listings = DirectoryListings()
        every = discover([settings.root], settings, listings)
        whole = Engine(Project(settings, extra_files=every, listings=listings), cwd=self.engine.cwd)
        wanted = {self.engine.display_path(path) for path in named}
        found = self._graph_findings(whole, every, cache, listings, warn)
        return [finding for finding in found if finding.code == ImportContractBroken.code and finding.path in wanted]

    @staticmethod
    def _graph_findings(
        engine: "Engine",
        files: Sequence[Path],
        cache: Optional["LintCache"],
        listings: Optional["DirectoryListings"],
        warn: Optional[Warn],
    ) -> List[Finding]:
        from infralint.errors import GraphError

        findings: List[Finding] = []
        try:
            findings.extend(engine.check_project(files, cache, listings))
        except GraphError as error:
            # The file is reported as IL001 by the per-file run.
            if warn is not None:
                warn(f"IL103 skipped: {error}")
        if warn is not None:
            for warning in engine.warnings:  # a contract type IL105 does not run
                warn(warning)
        return findings

    def branch_findings(self) -> List[Finding]:
        """IL501 for the project's repository, when it is selected."""
        from infralint.rules.vcs import BranchName

        settings = self.engine.settings
        if BranchName.code not in settings.enabled:
            return []
        finding = BranchName.check_repository(settings, os.environ, infrastructure_files(settings, self.engine.project), self.engine.display_path)
        return [] if finding is None else [finding]

    def accept(self, findings: Sequence[Finding], buffers: Optional[Mapping[str, str]] = None) -> List[Finding]:
        """``findings`` without those the baseline records, sorted.
        ``buffers``: display path -> text, for files linted from memory."""
        ordered = sorted(findings, key=lambda finding: finding.sort_key)
        baseline = self._baseline()
        if baseline is None:
            return ordered
        return baseline.filter(ordered, _line_reader(self.engine.cwd, buffers or {}))

    def _baseline(self) -> Optional["Baseline"]:
        if self.baseline_file is None:
            return None
        from infralint.baseline import load_baseline

        path = Path(os.path.abspath(self.baseline_file))
        try:
            stat = os.stat(path)
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return load_baseline(path)  # raises the clear error
        known = _LOADED.get(path)
        if known is None or known[0] != stamp:
            known = _LOADED[path] = (stamp, load_baseline(path))
            if known[1].clear_secrets:
                self.warnings.append(
                    f"{self.baseline_file}: {known[1].clear_secrets} IL701 entries hold the credential's line in clear "
                    "(an older baseline; they still match): run --update-baseline to store hashes instead"
                )
        return known[1]


def infrastructure_files(settings: "Settings", project: Optional["Project"] = None) -> "InfrastructureFiles":
    """For IL501: which of some paths are source files discovery lints
    (Python, TypeScript, JavaScript) of the infrastructure layer, not tests
    and not excluded by the configuration or git. ``project``: the run's, if
    it has one (else made when a source file is among the paths)."""
    from infralint.discovery import is_excluded
    from infralint.filetypes import is_source_name
    from infralint.layers import INFRASTRUCTURE
    from infralint.project import Project

    def select(paths: Sequence[Path]) -> List[Path]:
        candidates = [path for path in paths if is_source_name(path.name)]
        if not candidates:
            return []
        known = project or Project(settings)
        return [
            path
            for path in candidates
            if known.file_info(path).scope == INFRASTRUCTURE and not is_excluded(path, settings)
        ]

    return select


def _text_of(data: bytes) -> str:
    from infralint.source import UnreadableSource, decode

    try:
        return decode(data).text
    except UnreadableSource:
        return ""


def _line_reader(cwd: Path, buffers: Mapping[str, str]) -> "LineReader":
    """Lines of the buffers, else of the files on disk under ``cwd``."""
    from infralint.baseline import file_line_reader
    from infralint.source import split_lines

    on_disk = file_line_reader(cwd)
    split = {path: split_lines(text) for path, text in buffers.items()}

    def read_line(path: str, line: int) -> str:
        lines = split.get(path)
        if lines is None:
            return on_disk(path, line)
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    return read_line
