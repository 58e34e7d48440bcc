"""Whole-project checks in the editor: the import graph (IL103).

Building the graph costs a walk of the whole project, so it runs when a
project is first linted and after every save, never per keystroke. Its
findings come from the files on disk: a buffer shows them only while its
text is the text they were found in (an unsaved edit moves lines), until
the next save checks again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from infralint.cache import LintCache
from infralint.discovery import discover
from infralint.engine import Engine
from infralint.errors import InfralintError
from infralint.findings import Finding, ImportLink
from infralint.project import Project
from infralint.run import LintRun
from infralint.source import UnreadableSource, decode


@dataclass(frozen=True)
class SavedFindings:
    """A file's project-level findings and its text on disk when checked."""

    text: str
    findings: Tuple[Finding, ...]
    # The findings' chains, compared (a finding's chain is not): a chain
    # whose imports moved is published again, for its related information.
    chains: Tuple[Tuple[ImportLink, ...], ...] = ()
    # The file of each module that imports in one of the findings' chains.
    importer_files: Mapping[str, Path] = field(default_factory=dict)


@dataclass
class ProjectCheck:
    root: Path
    files: Dict[Path, SavedFindings] = field(default_factory=dict)
    # Why the check could not run (a file grimp cannot parse...).
    warning: Optional[str] = None


def check_project(engine: Engine, baseline: Optional[Path] = None) -> ProjectCheck:
    root = Path(os.path.abspath(engine.settings.root))
    try:
        files = discover([root], engine.settings)
        cache = LintCache.for_project(engine.project)
        run = LintRun(engine, baseline)
        warnings: List[str] = []
        findings = run.accept(run.project_findings(files, cache, warn=warnings.append))
        cache.save()
    except InfralintError as error:  # DiscoveryError, a bad baseline: reported per file
        return ProjectCheck(root, warning=f"IL103 skipped: {error}")
    check = ProjectCheck(root, warning=warnings[0] if warnings else None)
    for path, found in _by_file(engine, findings).items():
        try:
            text = decode(path.read_bytes()).text
        except (OSError, UnreadableSource):
            continue
        chains = tuple(finding.chain for finding in found)
        check.files[path] = SavedFindings(text, tuple(found), chains, _importer_files(engine.project, found))
    return check


def _importer_files(project: Project, findings: Sequence[Finding]) -> Dict[str, Path]:
    importers = {link.importer for finding in findings for link in finding.chain}
    files = {module: _module_file(project, module) for module in importers}
    return {module: path for module, path in files.items() if path is not None}


def _module_file(project: Project, module: str) -> Optional[Path]:
    """The file of a first-party module: under the deepest source root
    that has it, as the graph takes it, and named so by the project (a
    package's ``__init__.py`` for a package)."""
    relative = Path(*module.split("."))
    for root in project.src_roots:  # deepest first
        for candidate in ((root / relative).with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.is_file() and project.module_name(candidate) == module:
                return candidate
    return None


def _by_file(engine: Engine, findings: Sequence[Finding]) -> Dict[Path, List[Finding]]:
    grouped: Dict[Path, List[Finding]] = {}
    for finding in findings:
        grouped.setdefault((engine.cwd / finding.path).resolve(), []).append(finding)
    return grouped

