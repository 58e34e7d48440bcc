"""ruff's ``full`` output format: each finding's line as in the text
format, then the source around it with a caret line under what it
reports, and the fix's title as help:

    src/shop/domain/a.py:4:5: IL302 [*] bare `except:` also catches ...
      |
    3 |         return read()
    4 |     except:
      |     ^^^^^^^ IL302
    5 |         raise
      |
      = help: Name the exception type

The source is the file's on disk (relative to the working directory, as
finding paths are), or the text the run linted from memory
(``Summary.sources``: stdin). A finding whose line cannot be read (a
deleted file, a configuration file's location) has no excerpt.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from infralint.findings import Finding
from infralint.reporters import Summary
from infralint.reporters.text import TextReporter, finding_lines
from infralint.source import UnreadableSource, decode, split_lines

# Lines of context shown before and after the reported line.
CONTEXT = 1
TAB_WIDTH = 4


class FullReporter(TextReporter):
    format_name = "full"
    supports_statistics = False  # --statistics lists rules, not lines: use text

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        self._lines = _SourceLines(summary)
        return super().render(findings, summary)

    def finding_lines(self, finding: Finding, summary: Summary) -> List[str]:
        lines = finding_lines(finding, summary)
        source = self._lines.of(finding.path)
        if source is None or not 1 <= finding.line <= len(source):
            return lines
        return [*lines, *excerpt(finding, source), ""]


def excerpt(finding: Finding, source: List[str]) -> List[str]:
    """The numbered lines around the finding, the caret line under its
    first line (to the end of that line when it spans several), and the
    fix's title."""
    first = max(1, finding.line - CONTEXT)
    last = min(len(source), finding.line + CONTEXT)
    width = len(str(last))
    gutter = " " * width + " |"
    lines = [gutter]
    for number in range(first, last + 1):
        text = source[number - 1].expandtabs(TAB_WIDTH)
        lines.append(f"{number:>{width}} | {text}".rstrip())
        if number == finding.line:
            lines.append(f"{gutter} {_carets(finding, source[number - 1])} {finding.code}")
    lines.append(gutter)
    if finding.fix is not None:
        lines.append(f"{' ' * width} = help: {finding.fix.message}")
    return lines


def _carets(finding: Finding, line: str) -> str:
    """Spaces up to the finding's column, then one caret per character it
    covers on its line (tabs expanded as the excerpt shows them)."""
    start = min(max(finding.column - 1, 0), len(line))
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line.rstrip())
    end = min(max(end, start + 1), max(len(line), start + 1))
    before = len(line[:start].expandtabs(TAB_WIDTH))
    through = len(line[:end].expandtabs(TAB_WIDTH)) if end <= len(line) else before + (end - start)
    return " " * before + "^" * max(through - before, 1)


class _SourceLines:
    """Each file's lines, read once."""

    def __init__(self, summary: Summary) -> None:
        self._sources = summary.sources or {}
        self._read: Dict[str, Optional[List[str]]] = {}

    def of(self, path: str) -> Optional[List[str]]:
        if path not in self._read:
            self._read[path] = self._load(path)
        return self._read[path]

    def _load(self, path: str) -> Optional[List[str]]:
        if path in self._sources:
            return split_lines(self._sources[path])
        try:
            with open(path, "rb") as stream:
                return split_lines(decode(stream.read()).text)
        except (OSError, UnreadableSource):
            return None
