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
from typing import TYPE_CHECKING, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from infralint.lazyregex import lazy_regex

if TYPE_CHECKING:
    import pathspec

# Named groups repeat across patterns; an alternation needs them plain.
NAMED_GROUP = lazy_regex(r"\(\?P<\w+>")

# What pathspec's GitIgnoreSpec makes of a line without a "/" inside: the
# name's regex at any depth, then the end of the path or a "/" (a file or a
# directory), or a "/" alone (a trailing "/" in the line: a directory).
_ANY_DEPTH = r"^(?:.+/)?"
_FILE_OR_DIRECTORY = r"(?:(?P<ps_d>/)|$)"
_DIRECTORY = r"(?P<ps_d>/)"

# The default `exclude` and `test-paths` lines (settings.py): the regex of
# the name, and whether the line names a directory only.
_KNOWN_NAMES: Dict[str, Tuple[str, bool]] = {
    ".git": (r"\.git", False),
    ".hg": (r"\.hg", False),
    ".svn": (r"\.svn", False),
    ".venv": (r"\.venv", False),
    "venv": (r"venv", False),
    "build": (r"build", False),
    "dist": (r"dist", False),
    "node_modules": (r"node_modules", False),
    "__pycache__": (r"__pycache__", False),
    ".tox": (r"\.tox", False),
    ".nox": (r"\.nox", False),
    ".mypy_cache": (r"\.mypy_cache", False),
    ".pytest_cache": (r"\.pytest_cache", False),
    ".ruff_cache": (r"\.ruff_cache", False),
    ".infralint_cache": (r"\.infralint_cache", False),
    "*.egg-info": (r"[^/]*\.egg\-info", False),
    "tests/": (r"tests", True),
    "test/": (r"test", True),
    "test_*.py": (r"test_[^/]*\.py", False),
    "*_test.py": (r"[^/]*_test\.py", False),
    "conftest.py": (r"conftest\.py", False),
    "__tests__/": (r"__tests__", True),
    "*.test.[jt]s": (r"[^/]*\.test\.[jt]s", False),
    "*.test.[jt]sx": (r"[^/]*\.test\.[jt]sx", False),
    "*.test.[cm][jt]s": (r"[^/]*\.test\.[cm][jt]s", False),
    "*.spec.[jt]s": (r"[^/]*\.spec\.[jt]s", False),
    "*.spec.[jt]sx": (r"[^/]*\.spec\.[jt]sx", False),
    "*.spec.[cm][jt]s": (r"[^/]*\.spec\.[cm][jt]s", False),
}

# The regex pathspec makes of each of those lines (a test compares them),
# and back from the regex to the name's.
KNOWN_REGEXES: Dict[str, str] = {
    line: _ANY_DEPTH + name + (_DIRECTORY if directory_only else _FILE_OR_DIRECTORY)
    for line, (name, directory_only) in _KNOWN_NAMES.items()
}
_KNOWN_NAME_OF_REGEX: Dict[str, Tuple[str, bool]] = {KNOWN_REGEXES[line]: known for line, known in _KNOWN_NAMES.items()}

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
        return re.compile("|".join(f"(?:{_without_named_groups(regex)})" for regex in _alternatives(patterns)), patterns[0].flags)
    except re.error:
        return None


def _without_named_groups(regex: str) -> str:
    return NAMED_GROUP.sub("(?:", regex) if "(?P<" in regex else regex


def _alternatives(patterns: Sequence[LinePattern]) -> List[str]:
    """The regexes to try, the known ones merged into one: a regex costs
    time to compile in proportion to its length (~2.5 ms for the default
    `exclude` and `test-paths` lines one by one, ~1 ms merged), and
    ``^(?:.+/)?(?:a|b)(?:/|$)`` finds a match where ``^(?:.+/)?a(?:/|$)`` or
    ``^(?:.+/)?b(?:/|$)`` does."""
    names: List[str] = []
    directories: List[str] = []
    others: List[str] = []
    for pattern in patterns:
        known = _KNOWN_NAME_OF_REGEX.get(pattern.regex)
        if known is None:
            others.append(pattern.regex)
        else:
            name, directory_only = known
            (directories if directory_only else names).append(name)
    merged = []
    if names:
        merged.append(f"(?:{'|'.join(names)})(?:/|$)")
    if directories:
        merged.append(f"(?:{'|'.join(directories)})/")
    return ([_ANY_DEPTH + f"(?:{'|'.join(merged)})"] if merged else []) + others
