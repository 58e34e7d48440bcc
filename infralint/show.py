"""`check --show-settings` and `check --show-files`, as ruff spells them:
what a run would use, printed instead of running it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Sequence

from infralint.project import posix_relative
from infralint.settings import Settings


def settings_lines(settings: Settings, cwd: Path) -> List[str]:
    """The resolved settings, one ``key = value`` a line (values as JSON),
    in the configuration's own key names where it has one."""
    layers = settings.layers.layers
    values: List[tuple] = [
        ("root", str(settings.root)),
        ("config-file", str(settings.config_file) if settings.config_file else None),
        ("enabled", sorted(settings.enabled)),
        ("exclude", list(settings.exclude)),
        ("extend-exclude", list(settings.extend_exclude)),
        ("per-file-ignores", {pattern: list(codes) for pattern, codes in settings.per_file_ignores}),
        ("respect-gitignore", settings.respect_gitignore),
        ("src", list(settings.src)),
        ("test-paths", list(settings.test_paths)),
        ("baseline", str(settings.baseline) if settings.baseline else None),
        ("cache-dir", str(settings.cache_dir) if settings.cache_dir else None),
        ("layers.configured", settings.layers_configured),
        ("layers.order", [layer.name for layer in layers]),
        ("layers.names", {layer.name: list(layer.names) for layer in layers}),
        ("layers.kinds", {layer.name: layer.kind for layer in layers}),
        ("composition-roots.modules", sorted(settings.composition_roots.modules)),
        ("composition-roots.packages", sorted(settings.composition_roots.packages)),
        ("branch", dict(settings.branch)),
        ("rules", {code: dict(options) for code, options in sorted(settings.rule_options.items())}),
        ("max-file-size", settings.max_file_size),
    ]
    shown = posix_relative(settings.config_file, str(cwd)) if settings.config_file else "defaults (no configuration file)"
    return [f"# Settings from {shown}", *(f"{key} = {_json(value)}" for key, value in values)]


def file_lines(files: Sequence[Path], cwd: Path) -> List[str]:
    """The files a run would lint, relative to ``cwd``, sorted."""
    return sorted(posix_relative(path, str(cwd)) for path in files)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_plain)


def _plain(value: Any) -> Any:
    """Option values JSON cannot write as they are (tuples are lists
    already): their text."""
    return str(value)
