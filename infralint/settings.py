"""The immutable settings object every later stage reads.

`config` builds it from files and command-line options; nothing else
creates or changes one (tests use ``Settings.default``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple

from infralint.layers import LayerModel

DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "build",
    "dist",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".infralint_cache",
    "*.egg-info",
)

DEFAULT_TEST_PATHS: Tuple[str, ...] = (
    "tests/",
    "test/",
    "test_*.py",
    "*_test.py",
    "conftest.py",
)


@dataclass(frozen=True)
class Settings:
    # The project root: the directory of the configuration file, else the
    # git root, else the working directory. Relative settings resolve here.
    root: Path
    config_file: Optional[Path] = None
    # The codes of the rules that run (selection already resolved).
    enabled: FrozenSet[str] = frozenset()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    # gitignore-style pattern -> codes (or prefixes) ignored there.
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    respect_gitignore: bool = True
    # Source roots, relative to root, used to compute module names.
    src: Tuple[str, ...] = (".", "src")
    test_paths: Tuple[str, ...] = DEFAULT_TEST_PATHS
    baseline: Optional[Path] = None
    # Where the cache lives; None: `.infralint_cache` at the root.
    cache_dir: Optional[Path] = None
    layers: LayerModel = field(default_factory=LayerModel.default)
    # True when [tool.infralint.layers] is configured: then the layers apply
    # as given; zero-config layers apply only to projects that look layered.
    layers_configured: bool = False
    branch: Mapping[str, Any] = field(default_factory=dict)
    # CODE -> option name (kebab-case) -> value, defaults already merged.
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def default(cls, root: Path) -> "Settings":
        from infralint.rules import ALL_CODES

        return cls(root=root, enabled=frozenset(ALL_CODES))

    def with_changes(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    def option(self, code: str, name: str) -> Any:
        """A rule option; config validation guarantees it is present."""
        from infralint.rules import RULES_BY_CODE

        configured: Dict[str, Any] = dict(self.rule_options.get(code, {}))
        if name in configured:
            return configured[name]
        return RULES_BY_CODE[code].options[name]
