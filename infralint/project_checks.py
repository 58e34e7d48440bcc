"""Whole-project checks: IL103 on the import graph. Their findings go
through per-file ignores and suppression comments like any other finding,
and a suppression of IL103 that suppressed nothing is reported as IL002 —
which the per-file run cannot tell, since IL103 does not run there."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence

from infralint.context import FileContext
from infralint.findings import Finding
from infralint.graph import ProjectGraph
from infralint.model import ModuleModel
from infralint.rules.engine import UnusedSuppression
from infralint.rules.layers import LayerViolationChain
from infralint.source import SourceText, UnreadableSource, decode
from infralint.suppressions import Suppression, find_suppressions

if TYPE_CHECKING:
    from infralint.engine import Engine

CHAIN_CODE = LayerViolationChain.code


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
            self._suppressions[path] = find_suppressions(self.text(path).text)
        return self._suppressions[path]


def check_project(engine: "Engine", files: Sequence[Path], cache_dir: Optional[Path]) -> List[Finding]:
    from infralint.engine import is_suppressed

    enabled = engine.settings.enabled
    if CHAIN_CODE not in enabled or not engine.project.layers.layers:
        return []
    graph = ProjectGraph.build(engine.project, files, cache_dir)
    sources = _Sources()
    findings: List[Finding] = []
    for path, finding in LayerViolationChain.check_graph(graph, engine.display_path, sources.text):
        if CHAIN_CODE in engine.ignored_codes(engine.project.relative(path)):
            continue
        if not is_suppressed(finding, sources.suppressions(path)):
            findings.append(finding)
    if UnusedSuppression.code in enabled:
        findings.extend(_unused_chain_suppressions(engine, files, sources))
    return findings


def _unused_chain_suppressions(engine: "Engine", files: Sequence[Path], sources: _Sources) -> Iterator[Finding]:
    """IL002 for each IL103 code in a suppression comment that suppressed
    no chain. Without the fix: `--fix` applies per-file fixes only."""
    for path in files:
        if CHAIN_CODE not in sources.text(path).text:
            continue
        if UnusedSuppression.code in engine.ignored_codes(engine.project.relative(path)):
            continue
        unused = [
            dataclasses.replace(suppression, codes=[code])
            for suppression in sources.suppressions(path)
            for code in suppression.codes
            if code.code == CHAIN_CODE and not code.used
        ]
        if not unused:
            continue
        info = engine.project.file_info(path)
        ctx = FileContext(info, engine.display_path(path), sources.text(path), None, ModuleModel(), engine.project)
        UnusedSuppression(ctx).report_unused(unused, {CHAIN_CODE})
        yield from (dataclasses.replace(finding, fix=None) for finding in ctx.findings)
