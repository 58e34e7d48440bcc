"""The languages infralint lints and which files are whose (no imports:
the rules, discovery and the engine read it).

Python is parsed with `ast` (the engine's own path); TypeScript and
JavaScript with tree-sitter, through `infralint.languages.typescript`,
imported only when a run meets such a file. Each rule declares the
languages it supports (`Rule.languages`).
"""

from __future__ import annotations

from typing import FrozenSet, Optional, Tuple

PYTHON = "python"
TYPESCRIPT = "typescript"

PYTHON_ONLY: FrozenSet[str] = frozenset({PYTHON})
PYTHON_AND_TYPESCRIPT: FrozenSet[str] = frozenset({PYTHON, TYPESCRIPT})

# TypeScript and JavaScript sources, one grammar family (STANDARD.md's
# "TypeScript and JavaScript"); declaration files hold no code to check.
TYPESCRIPT_SUFFIXES: Tuple[str, ...] = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
DECLARATION_SUFFIXES: Tuple[str, ...] = (".d.ts", ".d.mts", ".d.cts")
SOURCE_SUFFIXES: Tuple[str, ...] = (".py",) + TYPESCRIPT_SUFFIXES

LANGUAGE_NAMES = {PYTHON: "Python", TYPESCRIPT: "TypeScript and JavaScript"}


def is_typescript_name(name: str) -> bool:
    """Whether a file name is a TypeScript or JavaScript source (not a
    ``.d.ts`` declaration file)."""
    return name.endswith(TYPESCRIPT_SUFFIXES) and not name.endswith(DECLARATION_SUFFIXES)


def is_source_name(name: str) -> bool:
    """Whether discovery lints a file of this name."""
    return name.endswith(".py") or is_typescript_name(name)


def language_of(name: str) -> Optional[str]:
    """The language of a file by its name; None for neither."""
    if name.endswith(".py") or name.endswith(".pyi"):
        return PYTHON
    if name.endswith(TYPESCRIPT_SUFFIXES):
        return TYPESCRIPT
    return None
