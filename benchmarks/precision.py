#!/usr/bin/env python3
"""The precision suite: infralint, zero-config, on real layered projects.

Brings each project of ``PROJECTS`` (a PyPI sdist, or a GitHub repository at
a pinned commit) into ``--corpus`` once, runs ``infralint check`` on it as a
user who has written no configuration would, and prints a Markdown table of
findings per rule and project, with the lines of Python linted. A change in
a rule's precision shows as a change in its row; ``--show IL101,IL203``
prints those rules' findings for review, and ``--json-dir`` keeps every
project's findings. docs/precision.md records the reviewed verdicts.

This is a script, not a test: CI never runs it (it needs the projects).

    python benchmarks/precision.py [--corpus DIR] [--mirrors DIR]
        [--project NAME ...] [--show CODES] [--json-dir DIR] [--output FILE]

GitHub projects are unpacked from a local mirror when ``--mirrors`` names a
directory holding ``<owner>+<name>/repo`` git directories (or
``<owner>+<name>`` bare repositories), else fetched with git at the pinned
commit. A project already unpacked in the corpus is reused as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = HERE / "_work" / "precision"


class Project(NamedTuple):
    name: str
    # "pypi:<name>==<version>" or "github:<owner>/<name>@<commit>"
    source: str
    shape: str


PROJECTS: Sequence[Project] = (
    Project(
        "fastapi-clean-example",
        "github:ivan-borovets/fastapi-clean-example@58ef7f61a83028f9404278ca9b2dcb21df497591",
        "clean architecture: presentation / application / domain / infrastructure, dishka ioc, Alembic",
    ),
    Project(
        "cosmicpython",
        "github:cosmicpython/code@14c84797ffa77255d53cf1a02fe6aafda2b68aeb",
        "the book's allocation service: adapters / domain / service_layer / entrypoints, bootstrap",
    ),
    Project(
        "dispatch",
        "github:Netflix/dispatch@dd2837e82a0bf5565b1b4b4b91ea30b7262d4061",
        "a large incident-management platform: FastAPI, SQLAlchemy, plugins, Alembic",
    ),
    Project(
        "python-ddd",
        "github:pgorecki/python-ddd@429cd4b1ffed571ccd845e64f05b484f4f8c52ac",
        "DDD modules (domain / application / infrastructure per module), a DI container",
    ),
    Project(
        "dddpy",
        "github:iktakahiro/dddpy@f9a2cfe542b7a08e8a2ca224ad38457814f0dc5b",
        "an onion-architecture FastAPI template: domain / usecase / infrastructure / presentation",
    ),
    Project(
        "full-stack-fastapi",
        "github:fastapi/full-stack-fastapi-template@68adb40d37425f6f8668ec7e5a054500d045e43e",
        "a FastAPI service (backend/app): routes, CRUD, settings, Alembic; not layered by name",
    ),
    Project(
        "fastapi-boilerplate",
        "github:teamhide/fastapi-boilerplate@df4e6d4f817ec187eeaf2d1c5a877b27c06bb77b",
        "a FastAPI service with per-feature domain / application / adapter packages, a container",
    ),
    Project(
        "qu3vipon-python-ddd",
        "github:qu3vipon/python-ddd@8920c4868f03061496c296abb1ffbd8c9db64b20",
        "a FastAPI DDD example: per-context domain / application / infra / presentation, containers",
    ),
)


def _run(argv: Sequence[str], cwd: Optional[Path] = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), cwd=cwd, check=True, capture_output=True, text=True)


# Bringing the projects -------------------------------------------------
def _directory_name(project: Project) -> str:
    kind, _, spec = project.source.partition(":")
    if kind == "pypi":
        return spec.replace("==", "-")
    return f"{project.name}-{spec.rpartition('@')[2][:12]}"


def _mirror_of(repository: str, mirrors: Optional[Path]) -> Optional[Path]:
    if mirrors is None:
        return None
    base = mirrors / repository.replace("/", "+")
    for candidate in (base / "repo", base):
        if (candidate / "HEAD").is_file() or (candidate / ".git").exists():
            return candidate
    return None


def _unpack_github(spec: str, target: Path, mirrors: Optional[Path]) -> None:
    repository, _, commit = spec.partition("@")
    mirror = _mirror_of(repository, mirrors)
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch, "tree.tar")
        if mirror is not None:
            # A mirror may hold a newer snapshot: the pinned commit when it has it.
            ref = commit if _has_commit(mirror, commit) else "HEAD"
            _run(["git", "--git-dir", str(_git_dir(mirror)), "archive", "-o", str(archive), ref])
        else:
            clone = Path(scratch, "clone")
            _run(["git", "init", "-q", str(clone)])
            _run(["git", "fetch", "-q", "--depth", "1", f"https://github.com/{repository}", commit], cwd=clone)
            _run(["git", "archive", "-o", str(archive), "FETCH_HEAD"], cwd=clone)
        target.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data") if sys.version_info >= (3, 12) else tar.extractall(target)


def _git_dir(mirror: Path) -> Path:
    return mirror / ".git" if (mirror / ".git").is_dir() else mirror


def _has_commit(mirror: Path, commit: str) -> bool:
    probe = ["git", "--git-dir", str(_git_dir(mirror)), "cat-file", "-e", f"{commit}^{{commit}}"]
    return subprocess.run(probe, capture_output=True).returncode == 0


def _unpack_pypi(spec: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        _run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", spec, "-d", scratch])
        (archive,) = Path(scratch).iterdir()
        with tempfile.TemporaryDirectory() as unpacked:
            shutil.unpack_archive(str(archive), unpacked)
            (top,) = Path(unpacked).iterdir()
            shutil.move(str(top), str(target))


def bring(project: Project, corpus: Path, mirrors: Optional[Path]) -> Path:
    """The project's unpacked tree, unpacked now if it is not there yet."""
    target = corpus / _directory_name(project)
    if not target.is_dir():
        kind, _, spec = project.source.partition(":")
        print(f"unpacking {project.name} ({project.source})", file=sys.stderr)
        if kind == "pypi":
            _unpack_pypi(spec, target)
        else:
            _unpack_github(spec, target, mirrors)
    # Zero-config at the project's root: an empty configuration file stops
    # the search for one from reaching a directory above (this repository's
    # pyproject.toml when the corpus is under benchmarks/_work).
    marker = target / ".infralint.toml"
    if not marker.exists() and not _has_own_config(target):
        marker.write_text("# zero-config: written by benchmarks/precision.py\n", encoding="utf-8")
    return target


def _has_own_config(tree: Path) -> bool:
    pyproject = tree / "pyproject.toml"
    return (tree / "infralint.toml").exists() or (
        pyproject.is_file() and "[tool.infralint" in pyproject.read_text(encoding="utf-8", errors="replace")
    )


# Running infralint -----------------------------------------------------
def _infralint(explicit: Optional[str]) -> List[str]:
    if explicit:
        return [explicit]
    local = REPO / ".venv" / "bin" / "infralint"
    if local.is_file():
        return [str(local)]
    return [sys.executable, "-m", "infralint"]


class Result(NamedTuple):
    findings: List[Dict[str, object]]
    lines: int
    files: int


def lint(tree: Path, command: Sequence[str]) -> Result:
    listed = _run([*command, "check", "--no-cache", "--show-files", "."], cwd=tree).stdout.splitlines()
    files = [tree / line for line in listed if line.endswith(".py")]
    lines = sum(_line_count(path) for path in files)
    completed = subprocess.run(
        [*command, "check", "--no-cache", "--exit-zero", "--output-format", "json", "."],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise SystemExit(f"infralint failed on {tree}: {completed.stderr.strip()}")
    return Result(json.loads(completed.stdout or "[]"), lines, len(files))


def _line_count(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return 0


# Reporting -------------------------------------------------------------
def table(results: Dict[str, Result]) -> str:
    names = list(results)
    counts = {name: Counter(str(f["code"]) for f in result.findings) for name, result in results.items()}
    codes = sorted(set().union(*counts.values())) if counts else []
    rows = ["| rule | " + " | ".join(names) + " | all |", "| --- |" + " ---: |" * (len(names) + 1)]
    for code in codes:
        cells = [counts[name][code] for name in names]
        rows.append(f"| {code} | " + " | ".join(str(c) for c in cells) + f" | {sum(cells)} |")
    totals = [len(results[name].findings) for name in names]
    rows.append("| total | " + " | ".join(str(t) for t in totals) + f" | {sum(totals)} |")
    lines = [results[name].lines for name in names]
    rows.append("| lines | " + " | ".join(str(n) for n in lines) + f" | {sum(lines)} |")
    files = [results[name].files for name in names]
    rows.append("| files | " + " | ".join(str(n) for n in files) + f" | {sum(files)} |")
    return "\n".join(rows)


def listing(results: Dict[str, Result], codes: Sequence[str]) -> str:
    out = []
    for name, result in results.items():
        for finding in sorted(result.findings, key=lambda f: (str(f["path"]), int(f["line"]))):  # type: ignore[call-overload]
            if any(str(finding["code"]).startswith(code) for code in codes):
                out.append(f"{name}: {finding['path']}:{finding['line']}:{finding['column']}: {finding['code']} {finding['message']}")
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="where the projects are unpacked")
    parser.add_argument("--mirrors", type=Path, default=None, help="directory of local git mirrors (<owner>+<name>)")
    parser.add_argument("--project", action="append", default=[], help="only these projects (repeatable)")
    parser.add_argument("--show", default="", help="print the findings of these codes or prefixes (IL101,IL2)")
    parser.add_argument("--json-dir", type=Path, default=None, help="write each project's findings there")
    parser.add_argument("--infralint", default=None, help="the infralint command (default: the repository's .venv)")
    parser.add_argument("--output", type=Path, default=None, help="also write the table there")
    options = parser.parse_args(argv)

    chosen = [p for p in PROJECTS if not options.project or p.name in options.project]
    unknown = set(options.project) - {p.name for p in PROJECTS}
    if unknown:
        parser.error(f"unknown project(s): {', '.join(sorted(unknown))}")
    options.corpus.mkdir(parents=True, exist_ok=True)
    command = _infralint(options.infralint)
    results: Dict[str, Result] = {}
    for project in chosen:
        tree = bring(project, options.corpus, options.mirrors)
        results[project.name] = result = lint(tree, command)
        if options.json_dir is not None:
            options.json_dir.mkdir(parents=True, exist_ok=True)
            (options.json_dir / f"{project.name}.json").write_text(json.dumps(result.findings, indent=1), "utf-8")
    report = table(results)
    print(report)
    if options.show:
        print()
        print(listing(results, [code.strip().upper() for code in options.show.split(",") if code.strip()]))
    if options.output is not None:
        options.output.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
