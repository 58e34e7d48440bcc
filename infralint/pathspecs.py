"""gitignore-style pattern lists that answer the usual case fast.

Most paths match none of the configured patterns (``test-paths``,
``exclude``, per-file ignores), yet ``pathspec`` tries every pattern's
regex on every path. One combined regex tells first whether any pattern
can match; only then is ``pathspec`` asked. The answer is the same:
``pathspec`` matches a path only when one of its patterns' regexes finds
it, which is exactly when the alternation of those regexes does.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

import pathspec
from pathspec.util import normalize_file

# Named groups repeat across patterns; an alternation needs them plain.
NAMED_GROUP = re.compile(r"\(\?P<\w+>")


class PrefilteredSpec:
    """A ``pathspec.GitIgnoreSpec`` with a combined-regex prefilter."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._spec = pathspec.GitIgnoreSpec.from_lines(lines)
        self._any = _any_pattern(self._spec)

    def match_file(self, path: str) -> bool:
        if self._any is not None and self._any.search(normalize_file(path)) is None:
            return False
        return self._spec.match_file(path)


def _any_pattern(spec: pathspec.PathSpec) -> Optional[re.Pattern[str]]:
    """A regex finding a match wherever one of ``spec``'s patterns would;
    None (no prefilter) when they cannot be combined."""
    regexes = [p.regex for p in spec.patterns if p.include is not None and getattr(p, "regex", None) is not None]
    if len({regex.flags for regex in regexes}) > 1 or any(not isinstance(r.pattern, str) for r in regexes):
        return None
    if not regexes:
        return re.compile(r"(?!)")  # matches nothing, like an empty spec
    try:
        return re.compile("|".join(f"(?:{NAMED_GROUP.sub('(?:', r.pattern)})" for r in regexes), regexes[0].flags)
    except re.error:
        return None
