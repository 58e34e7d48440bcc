"""The immutable settings object every later stage reads.

`config` builds it from files and command-line options; nothing else
creates or changes one (tests use ``Settings.default``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple

from infralint import catalog
from infralint.layers import CompositionRoots, LayerModel
from infralint.reading import DEFAULT_MAX_FILE_SIZE
from infralint.records import FrozenRecord

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

DEFAULT_SRC: Tuple[str, ...] = (".", "src")

DEFAULT_TEST_PATHS: Tuple[str, ...] = (
    "tests/",
    "test/",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    # TypeScript and JavaScript (Jest, Vitest, Mocha conventions).
    "__tests__/",
    "*.test.[jt]s",
    "*.test.[jt]sx",
    "*.test.[cm][jt]s",
    "*.spec.[jt]s",
    "*.spec.[jt]sx",
    "*.spec.[cm][jt]s",
)


def default_composition_roots() -> CompositionRoots:
    return CompositionRoots(catalog.COMPOSITION_ROOT_MODULES, catalog.COMPOSITION_ROOT_PACKAGES)


class Settings(FrozenRecord):
    __slots__ = (
        "root",
        "config_file",
        "enabled",
        "exclude",
        "extend_exclude",
        "per_file_ignores",
        "respect_gitignore",
        "src",
        "test_paths",
        "baseline",
        "cache_dir",
        "layers",
        "layers_configured",
        "composition_roots",
        "branch",
        "rule_options",
        "max_file_size",
    )

    # The project root: the directory of the configuration file, else the
    # git root, else the working directory. Relative settings resolve here.
    root: Path
    config_file: Optional[Path]
    # The codes of the rules that run (selection already resolved).
    enabled: FrozenSet[str]
    exclude: Tuple[str, ...]
    extend_exclude: Tuple[str, ...]
    # gitignore-style pattern -> codes (or prefixes) ignored there.
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...]
    respect_gitignore: bool
    # Source roots, relative to root, used to compute module names.
    src: Tuple[str, ...]
    test_paths: Tuple[str, ...]
    baseline: Optional[Path]
    # Where the cache lives; None: `.infralint_cache` at the root.
    cache_dir: Optional[Path]
    layers: LayerModel
    # True when [tool.infralint.layers] is configured: then the layers apply
    # as given; zero-config layers apply only to projects that look layered.
    layers_configured: bool
    # Modules and packages that wire the layers and belong to none.
    composition_roots: CompositionRoots
    branch: Mapping[str, Any]
    # CODE -> option name (kebab-case) -> value, defaults already merged.
    rule_options: Mapping[str, Mapping[str, Any]]
    # Bytes; a larger file is not read (IL001 "too large").
    max_file_size: int

    def __init__(
        self,
        root: Path,
        config_file: Optional[Path] = None,
        enabled: FrozenSet[str] = frozenset(),
        exclude: Tuple[str, ...] = DEFAULT_EXCLUDE,
        extend_exclude: Tuple[str, ...] = (),
        per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = (),
        respect_gitignore: bool = True,
        src: Tuple[str, ...] = DEFAULT_SRC,
        test_paths: Tuple[str, ...] = DEFAULT_TEST_PATHS,
        baseline: Optional[Path] = None,
        cache_dir: Optional[Path] = None,
        layers: Optional[LayerModel] = None,
        layers_configured: bool = False,
        composition_roots: Optional[CompositionRoots] = None,
        branch: Optional[Mapping[str, Any]] = None,
        rule_options: Optional[Mapping[str, Mapping[str, Any]]] = None,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    ) -> None:
        self._assign(
            root,
            config_file,
            enabled,
            exclude,
            extend_exclude,
            per_file_ignores,
            respect_gitignore,
            src,
            test_paths,
            baseline,
            cache_dir,
            LayerModel.default() if layers is None else layers,
            layers_configured,
            default_composition_roots() if composition_roots is None else composition_roots,
            {} if branch is None else branch,
            {} if rule_options is None else rule_options,
            max_file_size,
        )

    @classmethod
    def default(cls, root: Path) -> "Settings":
        from infralint.rules import ALL_CODES

        return cls(root=root, enabled=frozenset(ALL_CODES))

    def with_changes(self, **changes: Any) -> "Settings":
        return self._replace(**changes)

    def option(self, code: str, name: str) -> Any:
        """A rule option; config validation guarantees it is present."""
        from infralint.rules import RULES_BY_CODE

        configured: Dict[str, Any] = dict(self.rule_options.get(code, {}))
        if name in configured:
            return configured[name]
        return RULES_BY_CODE[code].options[name]
