"""Reporters turn findings into text for people or machines. They format
data the rules produced and decide nothing about it (one module per format).
"""

from __future__ import annotations

import abc
import importlib
from collections import Counter
from typing import ClassVar, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Type

from infralint.findings import Applicability, Finding
from infralint.records import FrozenRecord


class Summary(FrozenRecord):
    """What a reporter needs to know about the run besides the findings."""

    __slots__ = ("files_checked", "unsafe_fixes", "statistics", "quiet", "fixed", "show_fixes", "applied_fixes", "sources")

    files_checked: int
    # Whether --unsafe-fixes is on: unsafe fixes then count as applicable.
    unsafe_fixes: bool
    # Count findings per rule instead of listing them.
    statistics: bool
    # Findings only, no summary line.
    quiet: bool
    # With --fix: how many findings the fixes removed.
    fixed: Optional[int]
    # List the fixes per file after the findings: those applied (with
    # --fix, from ``applied_fixes``), else those available.
    show_fixes: bool
    # With --fix: display path -> rule code -> fixes applied there.
    applied_fixes: Optional[Mapping[str, Mapping[str, int]]]
    # Display path -> text, for files linted from memory (stdin): what the
    # full format shows rather than the file on disk.
    sources: Optional[Mapping[str, str]]

    def __init__(
        self,
        files_checked: int = 0,
        unsafe_fixes: bool = False,
        statistics: bool = False,
        quiet: bool = False,
        fixed: Optional[int] = None,
        show_fixes: bool = False,
        applied_fixes: Optional[Mapping[str, Mapping[str, int]]] = None,
        sources: Optional[Mapping[str, str]] = None,
    ) -> None:
        self._assign(files_checked, unsafe_fixes, statistics, quiet, fixed, show_fixes, applied_fixes, sources)

    def would_fix(self, finding: Finding) -> bool:
        """Whether ``--fix`` with the current settings applies the finding's fix."""
        if finding.fix is None:
            return False
        return finding.fix.applicability >= Applicability.minimum(self.unsafe_fixes)

    def needs_unsafe_fixes(self, finding: Finding) -> bool:
        """Whether the finding's fix is held back until --unsafe-fixes is given."""
        return (
            finding.fix is not None
            and finding.fix.applicability == Applicability.UNSAFE
            and not self.unsafe_fixes
        )


def fix_counts(findings: Sequence[Finding], summary: Summary) -> Dict[str, Dict[str, int]]:
    """Path -> rule code -> fixes: applied (with --fix), else available."""
    if summary.applied_fixes is not None:
        return {path: dict(counts) for path, counts in summary.applied_fixes.items() if counts}
    counts: Dict[str, Dict[str, int]] = {}
    for finding in findings:
        if summary.would_fix(finding):
            per_code = counts.setdefault(finding.path, {})
            per_code[finding.code] = per_code.get(finding.code, 0) + 1
    return counts


class RuleStatistic(FrozenRecord):
    """How often one rule fired (for --statistics)."""

    __slots__ = ("code", "name", "count", "fixable")

    code: str
    name: str
    count: int
    fixable: bool

    def __init__(self, code: str, name: str, count: int, fixable: bool) -> None:
        self._assign(code, name, count, fixable)


def rule_statistics(findings: Sequence[Finding], summary: Summary) -> List[RuleStatistic]:
    """One entry per code, most frequent first, then by code."""
    counts = Counter(finding.code for finding in findings)
    names: Dict[str, str] = {}
    fixable: Dict[str, bool] = {}
    for finding in findings:
        names.setdefault(finding.code, finding.name)
        fixable[finding.code] = fixable.get(finding.code, False) or summary.would_fix(finding)
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [RuleStatistic(code, names[code], counts[code], fixable[code]) for code in ordered]


class Reporter(abc.ABC):
    """Formats a whole run; ``render`` returns the text without a final newline."""

    format_name: ClassVar[str]
    # Whether the format can show --statistics (rule counts); like ruff, the
    # CI formats cannot: their consumers expect findings.
    supports_statistics: ClassVar[bool] = False

    @abc.abstractmethod
    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        """The report for ``findings`` (already sorted by path, line, column)."""


class _Reporters(Mapping[str, Type[Reporter]]):
    """Format name -> reporter class, each module imported when its format
    is first asked for: a text run does not pay for XML or SARIF."""

    _CLASSES: ClassVar[Dict[str, Tuple[str, str]]] = {
        "text": ("text", "TextReporter"),
        "full": ("full", "FullReporter"),
        "json": ("json", "JsonReporter"),
        "json-lines": ("json", "JsonLinesReporter"),
        "pylint": ("pylint", "PylintReporter"),
        "sarif": ("sarif", "SarifReporter"),
        "github": ("github", "GithubReporter"),
        "junit": ("junit", "JunitReporter"),
        "gitlab": ("gitlab", "GitlabReporter"),
    }

    def __getitem__(self, name: str) -> Type[Reporter]:
        module, class_name = self._CLASSES[name]
        return getattr(importlib.import_module(f"infralint.reporters.{module}"), class_name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._CLASSES)

    def __len__(self) -> int:
        return len(self._CLASSES)


REPORTERS: Mapping[str, Type[Reporter]] = _Reporters()


def statistics_formats() -> List[str]:
    """The formats that can show ``--statistics``."""
    return [name for name, reporter in REPORTERS.items() if reporter.supports_statistics]


def get_reporter(name: str) -> Reporter:
    """A reporter for the format ``name`` (``text``, ``json``, ...)."""
    try:
        return REPORTERS[name]()
    except KeyError:
        known = ", ".join(sorted(REPORTERS))
        raise ValueError(f"unknown output format '{name}' (expected one of: {known})") from None


__all__ = [
    "REPORTERS",
    "Reporter",
    "RuleStatistic",
    "Summary",
    "fix_counts",
    "get_reporter",
    "rule_statistics",
    "statistics_formats",
]
