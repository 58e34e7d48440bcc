"""Shared test helpers: lint source as if it were a file of a project."""

from __future__ import annotations

from pathlib import Path
from typing import List, Mapping, Optional

from infralint.engine import Engine
from infralint.findings import Finding
from infralint.project import Project
from infralint.settings import Settings


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for relative, source in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")


def lint_example(
    root: Path,
    path: str,
    source: str,
    files: Optional[Mapping[str, str]] = None,
    settings: Optional[Settings] = None,
) -> List[Finding]:
    """Write ``source`` at ``root/path`` (plus ``files``) and lint that file
    with all rules enabled (or ``settings``). The default layers apply as if
    configured: a one-file example does not look layered by itself."""
    write_files(root, {**(files or {}), path: source})
    settings = settings or Settings.default(root).with_changes(layers_configured=True)
    target = root / path
    project = Project(settings, extra_files=[target])
    return Engine(project, cwd=root).lint_file(target)
