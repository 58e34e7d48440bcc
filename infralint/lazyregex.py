"""Module-level regexes compiled on first use.

``re.compile`` runs Python code (its parser and compiler), 0.1-0.6 ms a
pattern; compiled at import, the patterns of the rules and suppressions
cost a one-file check several milliseconds, most of them for patterns its
file never reaches. `lazy_regex` stands for the compiled pattern instead:
the first attribute read compiles it, and every attribute read is kept on
the object, so later calls cost what the pattern's own do.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self._arguments = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Called only for a name not yet kept in the instance's __dict__.
        value = getattr(re.compile(*self._arguments), name)
        setattr(self, name, value)
        return value


def lazy_regex(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
