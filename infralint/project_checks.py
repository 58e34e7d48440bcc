"""Whole-project checks on the import graph: IL103's chains and IL105's
import-linter contracts. Their findings go through per-file ignores and
suppression comments like any other finding, and a suppression of IL103 or
IL105 that suppressed nothing is reported as IL002 — which the per-file run
cannot tell, since these rules do not run there."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from infralint import contracts as import_contracts
from infralint.cache import RACY_NS, content_digest
from infralint.context import FileContext
from infralint.findings import Finding
from infralint.graph import ProjectGraph, graph_packages, graph_sources
from infralint.filetypes import is_typescript_name, language_of
from infralint.listings import DirectoryListings, directory_prefix
from infralint.model import ModuleModel
from infralint.rules import RULES_BY_CODE
from infralint.rules.engine import UnusedSuppression
from infralint.rules.import_contracts import ImportContractBroken
from infralint.rules.layers import LayerViolationChain
from infralint.source import SourceText, UnreadableSource, decode
from infralint.suppressions import Suppression, find_suppressions, is_suppressed

if TYPE_CHECKING:
    from infralint.cache import LintCache
    from infralint.engine import Engine

CHAIN_CODE = LayerViolationChain.code
CONTRACT_CODE = ImportContractBroken.code
# Names in a contracts file that may be root packages (a cheap superset).
_IDENTIFIERS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Sources:
    """Each file's text and suppressions, read once; the suppressions keep
    which of their codes were used."""

    def __init__(self) -> None:
        self._texts: Dict[Path, SourceText] = {}
        self._suppressions: Dict[Path, List[Suppression]] = {}

    def text(self, path: Path) -> SourceText:
        if path not in self._texts:
            try:
                self._texts[path] = decode(path.read_bytes())
            except (OSError, UnreadableSource):  # reported as IL001 by the per-file run
                self._texts[path] = SourceText("")
        return self._texts[path]

    def suppressions(self, path: Path) -> List[Suppression]:
        if path not in self._suppressions:
            if is_typescript_name(path.name):
                from infralint.languages.typescript.suppressions import suppressions_in_text

                self._suppressions[path] = suppressions_in_text(self.text(path), path.name)
            else:
                self._suppressions[path] = find_suppressions(self.text(path).text)
        return self._suppressions[path]


def check_project(
    engine: "Engine",
    files: Sequence[Path],
    cache: Optional["LintCache"],
    listings: Optional[DirectoryListings] = None,
    contracts: Optional[Path] = None,
) -> List[Finding]:
    """IL103 and IL105 (and IL002 for their unused suppressions) over ``files``. With a
    cache, the findings are stored in it with a digest of everything they
    come from (`graph_inputs`), for the caller to save: while the digest
    holds, grimp is not even imported. ``listings`` are the run's
    directory listings, if it kept them; ``contracts``: the import-linter
    configuration IL105 checks (None: IL105 does not run). Called by
    `Engine.check_project`, which has seen that there is something to check."""
    # Found once: for the digest, and on a miss for the graph (~20-40 ms on Django).
    packages = graph_packages(engine.project, graph_sources(engine.project, files))
    contract_packages = _contract_packages(engine.project.src_roots, contracts)
    if cache is None:
        return _check(engine, files, None, packages, contracts, contract_packages)
    inputs = graph_inputs(engine, files, listings or DirectoryListings(), {**packages, **contract_packages}, contracts)
    cached = cache.project_findings(inputs) if inputs is not None else None
    if cached is not None:
        return cached
    findings = _check(engine, files, cache.graph_directory, packages, contracts, contract_packages)
    if inputs is not None:
        cache.store_project_findings(inputs, findings)  # written with the files' entries, by the caller
    return findings


def graph_inputs(
    engine: "Engine",
    files: Sequence[Path],
    listings: DirectoryListings,
    packages: Mapping[str, Sequence[Path]],
    contracts: Optional[Path] = None,
) -> Optional[str]:
    """A digest of what IL103's findings depend on besides the settings
    (which key the cache file): the working directory (finding paths), the
    linted files, the packages grimp reads (``packages``, `graph_packages`
    of ``files``) and the size and mtime of every Python file in them
    (grimp reads files that are not linted too) and of every linted file
    (suppressions), and grimp's own install. None when a file was modified
    less than 2 s ago: a second write in the same timestamp would go
    unseen (git's racily-clean rule)."""
    grimp_spec = importlib.util.find_spec("grimp")
    if grimp_spec is None or grimp_spec.origin is None:
        return None  # the check reports that grimp is missing
    # Plain strings, and the directories as discovery listed them: a
    # Django-sized tree has thousands of directories (its locale/ trees).
    linted = sorted(str(path) for path in files)
    paths = set(linted)
    for directories in packages.values():
        for directory in directories:
            paths.update(os.path.normpath(path) for path in listings.python_files(directory_prefix(directory)))
    racy_after = time.time_ns() - RACY_NS
    stats: List[Tuple[str, int, int]] = []
    try:
        for path in sorted(paths):
            stat = os.stat(path)
            if stat.st_mtime_ns > racy_after:
                return None
            stats.append((path, stat.st_size, stat.st_mtime_ns))
        grimp_stamp = os.stat(grimp_spec.origin).st_mtime_ns
        contracts_stamp = _contracts_stamp(contracts)
    except OSError:
        return None  # vanished while we looked: no shortcut
    facts = {
        "cwd": str(engine.cwd),
        "linted": linted,
        "packages": {name: [str(d) for d in dirs] for name, dirs in packages.items()},
        "files": stats,
        "grimp": [grimp_spec.origin, grimp_stamp],
        "contracts": contracts_stamp,
    }
    return content_digest(json.dumps(facts, sort_keys=True).encode("utf-8"))


def _contracts_stamp(path: Optional[Path]) -> Optional[List[object]]:
    """What IL105's verdicts depend on besides the graph: the contracts
    file ``path``'s content and import-linter's install (None: no IL105)."""
    if path is None:
        return None
    spec = importlib.util.find_spec("importlinter")
    installed = [spec.origin, os.stat(spec.origin).st_mtime_ns] if spec is not None and spec.origin else None
    return [str(path), content_digest(path.read_bytes()), installed]


def _contract_packages(src_roots: Sequence[Path], contracts: Optional[Path]) -> Dict[str, List[Path]]:
    """The directories of the packages the ``contracts`` file may name as
    root packages (any name in it that is a directory of a source root,
    a cheap superset), which the graph reads even when they are not linted."""
    if contracts is None:
        return {}
    try:
        names = set(_IDENTIFIERS.findall(contracts.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return {}
    found: Dict[str, List[Path]] = {}
    for src in src_roots:
        try:
            entries = sorted(entry.name for entry in os.scandir(src) if entry.name in names and entry.is_dir())
        except OSError:
            continue
        for name in entries:
            found.setdefault(name, []).append(src / name)
    return found


def _check(
    engine: "Engine",
    files: Sequence[Path],
    cache_dir: Optional[Path],
    packages: Mapping[str, Sequence[Path]],
    contracts: Optional[Path],
    contract_packages: Mapping[str, Sequence[Path]],
) -> List[Finding]:
    sources = _Sources()
    found: List[Tuple[Path, Finding]] = []
    graph: Optional[ProjectGraph] = None
    ran: Set[str] = set()
    if engine.runs_chains():
        graph = ProjectGraph.build(engine.project, files, cache_dir, packages)
        found.extend(LayerViolationChain.check_graph(graph, engine.display_path, sources.text))
        found.extend(_typescript_chains(engine, files, sources))
        ran.add(CHAIN_CODE)
    if contracts is not None:
        directories = {**contract_packages, **packages}
        found.extend(_contract_findings(engine, contracts, files, graph, packages, directories, cache_dir, sources))
        ran.add(CONTRACT_CODE)
    findings: List[Finding] = []
    for path, finding in found:
        if finding.code in engine.ignored_codes(engine.project.relative(path)):
            continue
        if language_of(path.name) is None or not is_suppressed(finding, sources.suppressions(path)):
            findings.append(finding)
    if UnusedSuppression.code in engine.settings.enabled:
        findings.extend(_unused_project_suppressions(engine, files, sources, ran))
    return findings


def _typescript_chains(engine: "Engine", files: Sequence[Path], sources: _Sources) -> List[Tuple[Path, Finding]]:
    """IL103 on TypeScript's import graph (infralint's own: chains stay
    within a language, Python's being grimp's)."""
    typescript = [path for path in files if is_typescript_name(path.name)]
    if not typescript:
        return []
    from infralint.languages.typescript.graph import TsGraph

    chains = TsGraph.build(engine.project, typescript, engine.typescript_imports).illegal_chains()
    return LayerViolationChain.check_chains(chains, engine.display_path, sources.text)


def _contract_findings(
    engine: "Engine",
    config: Path,
    files: Sequence[Path],
    graph: Optional[ProjectGraph],
    packages: Mapping[str, Sequence[Path]],
    directories: Mapping[str, Sequence[Path]],
    cache_dir: Optional[Path],
    sources: _Sources,
) -> List[Tuple[Path, Finding]]:
    """IL105: each contract checked by import-linter, on IL103's graph (of
    ``packages``) when it is the one the contracts need. ``directories``:
    every package the findings' modules may be in."""
    shown = engine.project.relative(config)
    contracts = import_contracts.Contracts.read(config, shown)
    if graph is not None and import_contracts.same_graph(contracts, packages):
        grimp_graph = graph.graph
    else:
        grimp_graph = import_contracts.build_graph(contracts, engine.project.root, engine.project.src_roots, cache_dir)
    broken, unmatched, warnings = import_contracts.check_contracts(contracts, grimp_graph, shown)
    for warning in warnings:
        engine.warnings.append(warning)
    linted = set(files)
    module_files = {
        module: path
        for module, path in import_contracts.module_files({item.module for item in broken}, directories).items()
        if path.resolve() in linted or path in linted
    }
    found = list(ImportContractBroken.findings(broken, module_files, engine.display_path, sources.text))
    found.extend(ImportContractBroken.unmatched_findings(unmatched, config, engine.display_path, sources.text))
    return found


def _unused_project_suppressions(
    engine: "Engine", files: Sequence[Path], sources: _Sources, ran: Set[str]
) -> Iterator[Finding]:
    """IL002 for each code of a project-level rule that ``ran`` in a
    suppression comment that suppressed nothing. Without the fix: `--fix`
    applies per-file fixes only."""
    for path in files:
        if not any(code in sources.text(path).text for code in ran):
            continue
        if UnusedSuppression.code in engine.ignored_codes(engine.project.relative(path)):
            continue
        unused = [
            suppression._replace(codes=[code])
            for suppression in sources.suppressions(path)
            for code in suppression.codes
            if code.code in ran and not code.used
        ]
        if not unused:
            continue
        info = engine.project.file_info(path)
        ctx = FileContext(info, engine.display_path(path), sources.text(path), None, ModuleModel(), engine.project)
        UnusedSuppression(ctx).report_unused(unused, ran, RULES_BY_CODE)
        yield from (finding._replace(fix=None) for finding in ctx.findings)
