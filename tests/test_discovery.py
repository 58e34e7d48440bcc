"""Turning paths into the Python files to lint: real directory trees with
exclusions, .gitignore files and symbolic links."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, List, Sequence

import pytest

from infralint.discovery import discover, is_excluded
from infralint.errors import DiscoveryError
from infralint.settings import Settings


def touch(root: Path, *relatives: str, text: str = "") -> None:
    for relative in relatives:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def settings_for(root: Path, **changes: object) -> Settings:
    return Settings.default(root.resolve()).with_changes(**changes)


def found(root: Path, paths: Sequence[Path] = (), **changes: object) -> List[str]:
    """The files discovered (walking ``root`` unless ``paths``), relative
    to ``root`` with "/" separators."""
    files = discover(list(paths) or [root], settings_for(root, **changes))
    base = root.resolve()
    return [file.relative_to(base).as_posix() if base in file.parents else str(file) for file in files]


def test_python_files_sorted_and_resolved(tmp_path: Path) -> None:
    touch(tmp_path, "b.py", "a/z.py", "a/b/c.py", "README.md", "data.json", "a/stub.pyi", "a/noext")
    files = discover([tmp_path], settings_for(tmp_path))
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in files] == ["a/b/c.py", "a/z.py", "b.py"]
    assert all(p.is_absolute() and p == p.resolve() for p in files)
    assert files == sorted(files)


def test_default_excludes_are_pruned_at_any_depth(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "app/main.py",
        ".venv/lib/site.py",
        "venv/lib/site.py",
        "node_modules/pkg/x.py",
        "app/__pycache__/main.py",
        "build/lib/app.py",
        "app/nested/build/gen.py",
        "dist/app.py",
        "shop.egg-info/x.py",
        ".git/hooks/hook.py",
        ".tox/py39/x.py",
        ".mypy_cache/x.py",
        "app/builder.py",  # only whole names match
    )
    assert found(tmp_path) == ["app/builder.py", "app/main.py"]


def test_excluded_directories_are_not_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "app/main.py", "node_modules/a/b/c/x.py", ".venv/lib/y.py")
    scanned: List[str] = []
    real_scandir = os.scandir

    def recording_scandir(path):  # type: ignore[no-untyped-def]
        scanned.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", recording_scandir)
    assert found(tmp_path) == ["app/main.py"]
    assert scanned and not any("node_modules" in path or ".venv" in path for path in scanned)


def test_exclude_replaces_the_defaults(tmp_path: Path) -> None:
    touch(tmp_path, "app/main.py", "legacy/old.py", ".venv/lib/site.py")
    assert found(tmp_path, exclude=("legacy",), respect_gitignore=False) == [".venv/lib/site.py", "app/main.py"]


def test_extend_exclude_patterns_are_relative_to_the_root(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "tests/fixtures/bad.py",
        "tests/test_ok.py",
        "pkg/tests/fixtures/kept.py",  # a pattern with a slash is anchored
        "pkg/schema_pb2.py",
        "pkg/models.py",
    )
    changes = dict(extend_exclude=("tests/fixtures", "*_pb2.py"))
    assert found(tmp_path, **changes) == ["pkg/models.py", "pkg/tests/fixtures/kept.py", "tests/test_ok.py"]
    # Walking a subdirectory still matches against the path from the root.
    assert found(tmp_path, [tmp_path / "tests"], **changes) == ["tests/test_ok.py"]


def test_exclude_negation_and_directory_only_patterns(tmp_path: Path) -> None:
    touch(tmp_path, "gen/a.py", "gen/keep.py", "out/x.py", "lib/out.py")
    assert found(tmp_path, exclude=("gen/*", "!gen/keep.py", "out/")) == ["gen/keep.py", "lib/out.py"]


def test_outside_the_root_patterns_are_relative_to_the_walked_directory(tmp_path: Path) -> None:
    root, other = tmp_path / "project", tmp_path / "vendor"
    touch(root, "app.py")
    touch(other, "generated/x.py", "lib/generated/y.py", "lib/z.py")
    files = discover([other], settings_for(root, extend_exclude=("/generated",)))
    assert [p.relative_to(other.resolve()).as_posix() for p in files] == ["lib/generated/y.py", "lib/z.py"]


# .gitignore ------------------------------------------------------------
def test_root_and_nested_gitignore_files(tmp_path: Path) -> None:
    touch(tmp_path, ".gitignore", text="# generated code\nsecrets.py\ncache/\n")
    touch(tmp_path, "pkg/.gitignore", text="/local.py\nscratch_*.py\n")
    touch(
        tmp_path,
        "app.py",
        "secrets.py",
        "pkg/secrets.py",  # root patterns without a slash match at any depth
        "cache/x.py",
        "pkg/local.py",
        "pkg/sub/local.py",  # "/local.py" is anchored to pkg/
        "pkg/scratch_1.py",
        "other/scratch_2.py",  # pkg/.gitignore does not apply outside pkg/
    )
    assert found(tmp_path) == ["app.py", "other/scratch_2.py", "pkg/sub/local.py"]
    assert found(tmp_path, respect_gitignore=False) == [
        "app.py",
        "cache/x.py",
        "other/scratch_2.py",
        "pkg/local.py",
        "pkg/scratch_1.py",
        "pkg/secrets.py",
        "pkg/sub/local.py",
        "secrets.py",
    ]


def test_gitignore_negations(tmp_path: Path) -> None:
    touch(tmp_path, ".gitignore", text="*_gen.py\n!keep_gen.py\ngenerated/*\n!generated/api.py\n")
    touch(tmp_path, "a_gen.py", "keep_gen.py", "generated/x.py", "generated/api.py", "app.py")
    assert found(tmp_path) == ["app.py", "generated/api.py", "keep_gen.py"]


def test_a_nested_gitignore_overrides_its_parents(tmp_path: Path) -> None:
    touch(tmp_path, ".gitignore", text="*_local.py\n")
    touch(tmp_path, "shared/.gitignore", text="!*_local.py\n")
    touch(tmp_path, "a_local.py", "shared/b_local.py")
    assert found(tmp_path) == ["shared/b_local.py"]


def test_files_in_an_ignored_directory_cannot_be_reincluded(tmp_path: Path) -> None:
    # As in git: "it is not possible to re-include a file if a parent
    # directory of that file is excluded".
    touch(tmp_path, ".gitignore", text="out/\n!out/keep.py\n")
    touch(tmp_path, "out/keep.py", "app.py")
    assert found(tmp_path) == ["app.py"]


def test_git_info_exclude(tmp_path: Path) -> None:
    touch(tmp_path, ".git/info/exclude", text="mine.py\n/tools/\n")
    touch(tmp_path, "mine.py", "pkg/mine.py", "tools/t.py", "pkg/tools/t.py", "app.py")
    assert found(tmp_path) == ["app.py", "pkg/tools/t.py"]


def test_gitignore_applies_without_a_repository(tmp_path: Path) -> None:
    assert not any((parent / ".git").exists() for parent in (tmp_path, *tmp_path.parents))
    touch(tmp_path, ".gitignore", text="ignored.py\n")
    touch(tmp_path, "ignored.py", "app.py")
    assert found(tmp_path) == ["app.py"]


def test_gitignore_of_the_git_root_above_the_project_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    touch(tmp_path, ".gitignore", text="*_secret.py\n")
    project = tmp_path / "services" / "orders"
    touch(project, "app.py", "db_secret.py")
    files = discover([project / "app.py", project], settings_for(project))
    assert [p.name for p in files] == ["app.py"]


def test_walking_a_subdirectory_applies_the_gitignore_files_above_it(tmp_path: Path) -> None:
    touch(tmp_path, ".gitignore", text="*_gen.py\n")
    touch(tmp_path, "src/.gitignore", text="tmp/\n")
    touch(tmp_path, "src/pkg/a_gen.py", "src/pkg/tmp/x.py", "src/pkg/app.py")
    assert found(tmp_path, [tmp_path / "src" / "pkg"]) == ["src/pkg/app.py"]


# Explicit paths --------------------------------------------------------
def test_explicit_files_are_always_linted(tmp_path: Path) -> None:
    touch(tmp_path, ".gitignore", text="ignored.py\n")
    touch(tmp_path, "ignored.py", ".venv/lib/site.py", "script", "app.py")
    paths = [tmp_path / "ignored.py", tmp_path / ".venv/lib/site.py", tmp_path / "script"]
    assert found(tmp_path, paths) == [".venv/lib/site.py", "ignored.py", "script"]


def test_explicit_excluded_directory_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "build/gen.py", "build/sub/x.py", "build/node_modules/y.py", "app.py")
    assert found(tmp_path, [tmp_path / "build"]) == ["build/gen.py", "build/sub/x.py"]


def test_duplicates_are_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/b.py")
    monkeypatch.chdir(tmp_path)
    paths = [Path("pkg"), Path("pkg/a.py"), Path("pkg/../pkg/a.py"), tmp_path / "pkg"]
    assert found(tmp_path, paths) == ["pkg/a.py", "pkg/b.py"]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.py"
    with pytest.raises(DiscoveryError) as raised:
        discover([tmp_path, missing], settings_for(tmp_path))
    assert str(raised.value) == f"{missing}: no such file or directory"


# Symbolic links --------------------------------------------------------
def symlink(link: Path, target: Path, is_dir: bool = False) -> None:
    try:
        link.symlink_to(target, target_is_directory=is_dir)
    except (OSError, NotImplementedError):  # pragma: no cover - Windows without privileges
        pytest.skip("symbolic links are not available")


def test_symlink_loops_terminate(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/sub/b.py")
    symlink(tmp_path / "pkg" / "sub" / "up", tmp_path / "pkg", is_dir=True)  # a loop
    symlink(tmp_path / "pkg" / "self.py", tmp_path / "pkg" / "self.py")  # links to itself
    symlink(tmp_path / "pkg" / "dangling.py", tmp_path / "nowhere.py")
    assert found(tmp_path) == ["pkg/a.py", "pkg/sub/b.py"]


def test_symlinked_directories_are_not_followed_and_files_only_inside_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    touch(outside, "elsewhere.py", "shared.py")
    project = tmp_path / "project"
    touch(project, "app.py", "lib/util.py")
    symlink(project / "linked_dir", outside, is_dir=True)
    symlink(project / "alias.py", project / "app.py")
    symlink(project / "util.py", project / "lib" / "util.py")
    # A link out of the project is not followed: --fix would write there.
    symlink(project / "shared.py", outside / "shared.py")
    files = discover([project], settings_for(project))
    assert files == sorted([(project / "app.py").resolve(), (project / "lib" / "util.py").resolve()])
    with pytest.raises(DiscoveryError, match="outside the project root"):
        discover([project / "shared.py"], settings_for(project))
    with pytest.raises(DiscoveryError, match="outside the project root"):
        discover([project / "linked_dir"], settings_for(project))


# is_excluded -----------------------------------------------------------
@pytest.mark.parametrize(
    ("relative", "excluded"),
    [
        ("app/main.py", False),
        (".venv/lib/site.py", True),
        ("app/__pycache__/x.py", True),
        ("ignored.py", True),
        ("cache/deep/x.py", True),
        ("tests/fixtures/x.py", True),
        ("tests/test_x.py", False),
        ("cache", True),
        ("app", False),
    ],
)
def test_is_excluded(tmp_path: Path, relative: str, excluded: bool) -> None:
    touch(tmp_path, ".gitignore", text="ignored.py\ncache/\n")
    touch(tmp_path, "app/main.py", "cache/deep/x.py", "tests/test_x.py")
    settings = settings_for(tmp_path, extend_exclude=("tests/fixtures",))
    assert is_excluded(tmp_path / relative, settings) is excluded


def test_is_excluded_agrees_with_discover(tmp_path: Path) -> None:
    touch(tmp_path, ".gitignore", text="*_gen.py\n!keep_gen.py\nout/\n")
    touch(tmp_path, "pkg/.gitignore", text="/local.py\n")
    all_files: Iterable[str] = ["a_gen.py", "keep_gen.py", "out/x.py", "pkg/local.py", "pkg/sub/local.py", "build/y.py", "ok.py"]
    touch(tmp_path, *all_files)
    settings = settings_for(tmp_path)
    kept = {p.relative_to(tmp_path.resolve()).as_posix() for p in discover([tmp_path], settings)}
    assert kept == {"keep_gen.py", "pkg/sub/local.py", "ok.py"}
    assert {f for f in all_files if not is_excluded(tmp_path / f, settings)} == kept


def _check_with_a_failing_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, error: OSError):  # type: ignore[no-untyped-def]
    """`infralint check app` while listing the directory ``name`` raises ``error``."""
    from infralint.cli import main
    from tests.helpers import separate_stderr_runner

    touch(tmp_path, "app/main.py", f"app/{name}/x.py")
    real_scandir = os.scandir

    def failing_scandir(path):  # type: ignore[no-untyped-def]
        if str(path).rstrip("/").endswith(name):
            raise error
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", failing_scandir)
    monkeypatch.chdir(tmp_path)
    result = separate_stderr_runner().invoke(main, ["check", "--no-cache", "app"])
    assert result.exit_code == 0, result.output
    return result


def test_an_unreadable_directory_is_reported_not_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _check_with_a_failing_listing(tmp_path, monkeypatch, "locked", PermissionError(13, "Permission denied"))
    assert result.stderr.splitlines() == [
        "infralint: warning: app/locked: cannot list the directory (Permission denied); its files are not linted"
    ]


def test_a_directory_that_vanishes_during_the_walk_is_not_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _check_with_a_failing_listing(tmp_path, monkeypatch, "gone", FileNotFoundError(2, "No such file or directory"))
    assert result.stderr == ""
