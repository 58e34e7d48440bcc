"""Which database a project runs on, read from its files once per project
(IL603 asks; the cache's fingerprint includes the answer, so a changed
requirements file re-checks the migrations).

The project targets PostgreSQL when one of these says so, looked at in
this order, the first found being the evidence a finding names:

- a dependency on a PostgreSQL driver (`catalog.POSTGRESQL_DRIVERS`) in
  ``pyproject.toml`` (PEP 621 dependencies and optional dependencies,
  dependency groups, Poetry's dependency tables) or in a requirements file
  (``requirements*.txt`` / ``requirements*.in`` at the root or in a
  ``requirements/`` directory);
- a ``sqlalchemy.url`` naming postgresql in an ``alembic.ini`` at the root
  or in a directory right below it;
- a Django settings module whose ``ENGINE`` names postgresql (or PostGIS),
  or that holds a ``postgres://`` / ``postgresql://`` URL: the module named
  by ``DJANGO_SETTINGS_MODULE`` in ``manage.py``, and ``settings.py`` /
  ``settings/*.py`` in the root and in each top-level package.
"""

from __future__ import annotations

import os
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, List, Optional

from infralint import catalog
from infralint.lazyregex import lazy_regex

if TYPE_CHECKING:
    from infralint.project import Project

_REQUIREMENT_NAME = lazy_regex(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_ALEMBIC_URL = lazy_regex(r"^\s*sqlalchemy\.url\s*=\s*postgres(?:ql)?(?:\+\w+)?://", re.MULTILINE)
_DJANGO_ENGINE = lazy_regex(r"""["']ENGINE["']\s*:\s*["'][\w.]*(?:postgresql|postgis)""")
_POSTGRESQL_URL = lazy_regex(r"""["']postgres(?:ql)?(?:\+\w+)?://""")
_SETTINGS_MODULE = lazy_regex(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
# Files larger than this are not configuration.
_MAX_BYTES = 1_000_000

_EVIDENCE: "weakref.WeakKeyDictionary[Project, Optional[str]]" = weakref.WeakKeyDictionary()


def postgresql_evidence(project: "Project") -> Optional[str]:
    """What says the project targets PostgreSQL (``psycopg2 in
    requirements.txt``), or None; computed once per project."""
    try:
        return _EVIDENCE[project]
    except KeyError:
        packages = [src / name for src in project.src_roots for name in sorted(project.first_party)]
        found = _EVIDENCE[project] = _find_evidence(project.root, packages)
        return found


def _find_evidence(root: Path, packages: List[Path]) -> Optional[str]:
    for finder in (_dependency_evidence, _alembic_evidence):
        found = finder(root)
        if found is not None:
            return found
    return _django_evidence(root, packages)


def _read(path: Path) -> Optional[str]:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:  # a source root outside the project root
        return path.as_posix()


# Dependencies ------------------------------------------------------------------
def _dependency_evidence(root: Path) -> Optional[str]:
    pyproject = root / "pyproject.toml"
    for name in _pyproject_dependencies(pyproject):
        if _normalized(name) in catalog.POSTGRESQL_DRIVERS:
            return f"{_normalized(name)} in pyproject.toml"
    for path in _requirement_files(root):
        text = _read(path) or ""
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            match = _REQUIREMENT_NAME.match(line)
            if match and _normalized(match.group(1)) in catalog.POSTGRESQL_DRIVERS:
                return f"{_normalized(match.group(1))} in {_shown(root, path)}"
    return None


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_files(root: Path) -> List[Path]:
    found: List[Path] = []
    for directory in (root, root / "requirements"):
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            in_folder = directory != root
            if name.endswith((".txt", ".in")) and (in_folder or name.startswith("requirements")):
                found.append(directory / name)
    return found


def _pyproject_dependencies(path: Path) -> Iterator[str]:
    text = _read(path)
    if text is None:
        return
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # the configuration loader reports a broken pyproject.toml
    project = _table(data, "project")
    yield from _requirement_names(project.get("dependencies"))
    for group in _table(project, "optional-dependencies").values():
        yield from _requirement_names(group)
    for group in _table(data, "dependency-groups").values():
        yield from _requirement_names(group)
    poetry = _table(_table(data, "tool"), "poetry")
    yield from _table(poetry, "dependencies")
    yield from _table(poetry, "dev-dependencies")
    for group in _table(poetry, "group").values():
        if isinstance(group, dict):
            yield from _table(group, "dependencies")


def _table(data: Any, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _requirement_names(requirements: Any) -> Iterator[str]:
    if isinstance(requirements, list):
        for requirement in requirements:
            if isinstance(requirement, str):
                match = _REQUIREMENT_NAME.match(requirement)
                if match:
                    yield match.group(1)


# alembic.ini -------------------------------------------------------------------
def _alembic_evidence(root: Path) -> Optional[str]:
    candidates = [root / "alembic.ini"]
    try:
        candidates += [root / e.name / "alembic.ini" for e in os.scandir(root) if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        pass
    for path in candidates:
        text = _read(path)
        if text is not None and _ALEMBIC_URL.search(text):
            return f"a postgresql sqlalchemy.url in {_shown(root, path)}"
    return None


# Django settings ---------------------------------------------------------------
def _django_evidence(root: Path, packages: List[Path]) -> Optional[str]:
    for path in _settings_files(root, packages):
        text = _read(path)
        if text is None:
            continue
        if _DJANGO_ENGINE.search(text):
            return f"a postgresql ENGINE in {_shown(root, path)}"
        if _POSTGRESQL_URL.search(text):
            return f"a postgresql URL in {_shown(root, path)}"
    return None


def _settings_files(root: Path, packages: List[Path]) -> Iterator[Path]:
    seen = set()
    for path in _candidate_settings(root, packages):
        if path not in seen and path.is_file():
            seen.add(path)
            yield path


def _candidate_settings(root: Path, packages: List[Path]) -> Iterator[Path]:
    manage = _read(root / "manage.py")
    match = _SETTINGS_MODULE.search(manage) if manage else None
    if match:
        relative = Path(*match.group(1).split("."))
        for base in (root, root / "src"):
            yield (base / relative).with_suffix(".py")
            yield from _python_files(base / relative)
    for base in [root, *packages]:
        yield base / "settings.py"
        yield from _python_files(base / "settings")


def _python_files(directory: Path) -> List[Path]:
    try:
        return [directory / n for n in sorted(os.listdir(directory)) if n.endswith(".py")]
    except OSError:
        return []
