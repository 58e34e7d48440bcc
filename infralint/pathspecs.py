"""gitignore-style pattern lists that answer the usual case fast.

Most paths match none of the configured patterns (``test-paths``,
``exclude``, per-file ignores), yet ``pathspec`` tries every pattern's
regex on every path. One combined regex tells first whether any pattern
can match; only then is ``pathspec`` asked. The answer is the same:
``pathspec`` matches a path only when one of its patterns' regexes finds
it, which is exactly when the alternation of those regexes does. Without a
negation (``!pattern``) among the patterns that is the whole answer, and
``pathspec`` is not asked at all.

Importing ``pathspec`` costs more than a warm run spends matching paths,
so the regexes of the default patterns are known here (a test checks them
against ``pathspec``) and it is imported only for other patterns.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Dict, Iterable, List, NamedTuple, Optional, Sequence

if TYPE_CHECKING:
    import pathspec

# Named groups repeat across patterns; an alternation needs them plain.
NAMED_GROUP = re.compile(r"\(\?P<\w+>")

# What pathspec's GitIgnoreSpec makes of the default `exclude` and
# `test-paths` lines (settings.py): one including pattern each.
KNOWN_REGEXES: Dict[str, str] = {
    ".git": r"^(?:.+/)?\.git(?:(?P<ps_d>/)|$)",
    ".hg": r"^(?:.+/)?\.hg(?:(?P<ps_d>/)|$)",
    ".svn": r"^(?:.+/)?\.svn(?:(?P<ps_d>/)|$)",
    ".venv": r"^(?:.+/)?\.venv(?:(?P<ps_d>/)|$)",
    "venv": r"^(?:.+/)?venv(?:(?P<ps_d>/)|$)",
    "build": r"^(?:.+/)?build(?:(?P<ps_d>/)|$)",
    "dist": r"^(?:.+/)?dist(?:(?P<ps_d>/)|$)",
    "node_modules": r"^(?:.+/)?node_modules(?:(?P<ps_d>/)|$)",
    "__pycache__": r"^(?:.+/)?__pycache__(?:(?P<ps_d>/)|$)",
    ".tox": r"^(?:.+/)?\.tox(?:(?P<ps_d>/)|$)",
    ".nox": r"^(?:.+/)?\.nox(?:(?P<ps_d>/)|$)",
    ".mypy_cache": r"^(?:.+/)?\.mypy_cache(?:(?P<ps_d>/)|$)",
    ".pytest_cache": r"^(?:.+/)?\.pytest_cache(?:(?P<ps_d>/)|$)",
    ".ruff_cache": r"^(?:.+/)?\.ruff_cache(?:(?P<ps_d>/)|$)",
    ".infralint_cache": r"^(?:.+/)?\.infralint_cache(?:(?P<ps_d>/)|$)",
    "*.egg-info": r"^(?:.+/)?[^/]*\.egg\-info(?:(?P<ps_d>/)|$)",
    "tests/": r"^(?:.+/)?tests(?P<ps_d>/)",
    "test/": r"^(?:.+/)?test(?P<ps_d>/)",
    "test_*.py": r"^(?:.+/)?test_[^/]*\.py(?:(?P<ps_d>/)|$)",
    "*_test.py": r"^(?:.+/)?[^/]*_test\.py(?:(?P<ps_d>/)|$)",
    "conftest.py": r"^(?:.+/)?conftest\.py(?:(?P<ps_d>/)|$)",
}

# The separators pathspec turns into "/" before matching.
_SEPARATORS = [sep for sep in (os.sep, os.altsep) if sep and sep != "/"]


class LinePattern(NamedTuple):
    """One pattern of a gitignore line: its regex's source and flags (not
    compiled: a combined regex is what most callers match), False
    ``include`` for a negation."""

    include: bool
    regex: str
    flags: int


def gitignore_patterns(line: str) -> List[LinePattern]:
    """The patterns pathspec's GitIgnoreSpec makes of ``line``, without
    comments and blank lines; ValueError for an invalid line, as pathspec."""
    known = KNOWN_REGEXES.get(line)
    if known is not None:
        return [LinePattern(True, known, re.UNICODE)]  # re.compile's flags for a str
    import pathspec

    return [
        LinePattern(bool(p.include), p.regex.pattern, p.regex.flags)
        for p in pathspec.GitIgnoreSpec.from_lines([line]).patterns
        if p.include is not None and p.regex is not None
    ]


class PrefilteredSpec:
    """A ``pathspec.GitIgnoreSpec`` with a combined-regex prefilter."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = list(lines)
        patterns = [pattern for line in self._lines for pattern in gitignore_patterns(line)]
        self._any = _any_pattern(patterns)
        # Without negations the last matching pattern always includes: a
        # path matches exactly when one pattern finds it.
        self._exact = self._any is not None and all(pattern.include for pattern in patterns)
        self._spec: Optional[pathspec.GitIgnoreSpec] = None

    def match_file(self, path: str) -> bool:
        if self._any is not None and self._any.search(_normalized(path)) is None:
            return False
        if self._exact:
            return True
        if self._spec is None:
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self._lines)
        return self._spec.match_file(path)


def _normalized(path: str) -> str:
    """The path as pathspec matches it: "/" separators, relative."""
    for separator in _SEPARATORS:
        path = path.replace(separator, "/")
    if path.startswith("/"):
        return path[1:]
    return path[2:] if path.startswith("./") else path


def _any_pattern(patterns: Sequence[LinePattern]) -> Optional[re.Pattern[str]]:
    """A regex finding a match wherever one of ``patterns`` would; None
    (no prefilter) when they cannot be combined."""
    if len({pattern.flags for pattern in patterns}) > 1:
        return None
    if not patterns:
        return re.compile(r"(?!)")  # matches nothing, like an empty spec
    try:
        return re.compile("|".join(f"(?:{NAMED_GROUP.sub('(?:', p.regex)})" for p in patterns), patterns[0].flags)
    except re.error:
        return None
