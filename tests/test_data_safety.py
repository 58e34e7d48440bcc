"""Nothing of the user's is lost or written where it should not be: the
cache touches only what it created, links lead nowhere outside the project
root, a link loop is no crash (issue 17, items 1, 4 and 5). Real trees in a
temporary directory, run through the command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict

import pytest

from infralint.cache import CACHE_DIR_NAME, CACHEDIR_SIGNATURE, _create_tagged, is_infralint_cache
from infralint.cli import main
from infralint.writes import FileWrite, FixWriteError, write_together
from tests.helpers import cli_runner, write_files

BARE_EXCEPT_RERAISE = "try:\n    connect()\nexcept:\n    raise\n"
FIXED = BARE_EXCEPT_RERAISE.replace("except:", "except BaseException:")


def _check(root: Path, *args: str):
    """``infralint check ARGS`` run from ``root``."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return cli_runner().invoke(main, ["check", *args])
    finally:
        os.chdir(cwd)


def _snapshot(root: Path) -> Dict[str, bytes]:
    """Every file below ``root`` (links not followed) -> its bytes."""
    files = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            files[path.relative_to(root).as_posix()] = b"" if path.is_symlink() else path.read_bytes()
    return files


def symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):  # pragma: no cover - Windows without privileges
        pytest.skip("symbolic links are not available")


# 1. The cache owns only what it created ----------------------------------
USER_TREE = {
    "src/pkg/__init__.py": "",
    "src/pkg/sub/__init__.py": "x = 1\n",
    "src/pkg/sub/data/notes.txt": "keep me\n",
    ".git/objects/ab/cdef": "blob\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".cache/pre-commit/repo/hook.py": "print()\n",
    "0.0.1-py39/important.txt": "looks like an old cache version, is not\n",
}


@pytest.mark.parametrize("cache_dir", ["src", ".", ".git", ".cache", "src/pkg"])
def test_a_cache_dir_that_is_not_infralints_is_never_emptied(tmp_path: Path, cache_dir: str) -> None:
    write_files(tmp_path, {"pyproject.toml": f'[tool.infralint]\ncache-dir = "{cache_dir}"\n', **USER_TREE})
    before = _snapshot(tmp_path)
    for _ in range(2):  # the second run reads what the first wrote
        result = _check(tmp_path)
        assert result.exit_code == 0, result.output
    after = _snapshot(tmp_path)
    # Everything the user had is there, unchanged; only a subdirectory of
    # infralint's own was added, tagged, with its .gitignore inside it.
    assert {name: data for name, data in after.items() if name in before} == before
    own = (tmp_path / cache_dir / CACHE_DIR_NAME).resolve().relative_to(tmp_path.resolve()).as_posix()
    assert all(name.startswith(own + "/") for name in set(after) - set(before)), sorted(set(after) - set(before))
    assert is_infralint_cache(tmp_path / own)
    assert (tmp_path / own / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert not (tmp_path / cache_dir / ".gitignore").exists()
    assert any(name.endswith(".json") for name in set(after) - set(before))  # the cache works


def test_a_new_cache_dir_is_created_tagged_and_git_ignored(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": '[tool.infralint]\ncache-dir = ".cache/infralint"\n', **USER_TREE})
    assert _check(tmp_path).exit_code == 0
    cache = tmp_path / ".cache" / "infralint"
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").splitlines()[0] == CACHEDIR_SIGNATURE
    assert (cache / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert not (tmp_path / ".cache" / ".gitignore").exists()
    assert not list(tmp_path.glob(".cache/.infralint*.tmp"))  # the staging directory is gone


def test_cleaning_removes_only_old_version_directories(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", "app.py": "x = 1\n"})
    assert _check(tmp_path).exit_code == 0
    cache = tmp_path / CACHE_DIR_NAME
    write_files(cache, {"0.0.1-py39/old.json": "{}", "notes/mine.txt": "mine\n", "0.0.2-py310.txt": "a file\n"})
    symlink(cache / "0.0.3-py311", tmp_path / "src_link_target")
    (tmp_path / "src_link_target").mkdir()
    (tmp_path / "src_link_target" / "keep.py").write_text("x = 2\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("x = 3\n", encoding="utf-8")  # something to save
    assert _check(tmp_path).exit_code == 0
    assert not (cache / "0.0.1-py39").exists()
    assert (cache / "notes" / "mine.txt").read_text(encoding="utf-8") == "mine\n"
    assert (cache / "0.0.2-py310.txt").exists()
    assert (tmp_path / "src_link_target" / "keep.py").exists()  # a link is never followed into


def test_a_tag_by_another_tool_or_a_linked_tag_is_not_infralints(tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_files(other, {"CACHEDIR.TAG": f"{CACHEDIR_SIGNATURE}\n# created by some other tool\n"})
    assert not is_infralint_cache(other)
    made = tmp_path / "made"
    _create_tagged(made)
    assert is_infralint_cache(made)
    linked = tmp_path / "linked"
    linked.mkdir()
    symlink(linked / "CACHEDIR.TAG", made / "CACHEDIR.TAG")
    assert not is_infralint_cache(linked)


def test_a_foreign_directory_whose_subdirectory_is_taken_is_an_error(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"pyproject.toml": '[tool.infralint]\ncache-dir = "src"\n', **USER_TREE, f"src/{CACHE_DIR_NAME}/x.txt": "mine\n"},
    )
    before = _snapshot(tmp_path)
    result = _check(tmp_path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("infralint: error: cache directory src:"), message
    assert _snapshot(tmp_path) == before
    assert _check(tmp_path, "--no-cache").exit_code == 0


# 4. A link loop under a package -------------------------------------------
def test_symlink_loops_under_a_package_are_skipped_not_a_crash(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.infralint]\nsrc = ["."]\n',
            "shop/__init__.py": "",
            "shop/domain/__init__.py": "",
            "shop/domain/order.py": "import shop.infrastructure.db\n",
            "shop/infrastructure/__init__.py": "",
            "shop/infrastructure/db.py": "x = 1\n",
        },
    )
    for place in ("shop/loop", "shop/domain/loop.py", "loop", "loop.py"):
        symlink(tmp_path / place, Path(place).name)  # links to itself
    for args in ((), ("--no-cache",), ("--fix",)):
        result = _check(tmp_path, *args)
        assert "Traceback" not in result.output + result.stderr
        assert result.exit_code == 1, result.output + result.stderr
        assert "IL101" in result.output  # the rest of the project is still linted


# 5. Links lead nowhere outside the project root ----------------------------
@pytest.fixture
def linked_outside(tmp_path: Path) -> Path:
    """A project whose pkg/link.py leads to a fixable file outside it."""
    write_files(tmp_path / "elsewhere", {"victim.py": BARE_EXCEPT_RERAISE})
    project = tmp_path / "project"
    write_files(project, {"pyproject.toml": "[tool.infralint]\n", "pkg/__init__.py": "", "pkg/mine.py": BARE_EXCEPT_RERAISE})
    symlink(project / "pkg" / "link.py", Path("..", "..", "elsewhere", "victim.py"))
    return project


def test_fix_does_not_follow_a_link_out_of_the_root(linked_outside: Path) -> None:
    victim = linked_outside.parent / "elsewhere" / "victim.py"
    result = _check(linked_outside, "--fix")
    assert result.exit_code == 0, result.output + result.stderr
    assert (linked_outside / "pkg" / "mine.py").read_text(encoding="utf-8") == FIXED
    assert victim.read_text(encoding="utf-8") == BARE_EXCEPT_RERAISE
    assert (linked_outside / "pkg" / "link.py").is_symlink()
    assert "victim" not in _check(linked_outside, "--no-cache").output


def test_a_link_out_of_the_root_named_on_the_command_line_is_an_error(linked_outside: Path) -> None:
    victim = linked_outside.parent / "elsewhere" / "victim.py"
    result = _check(linked_outside, "--fix", "pkg/link.py")
    assert result.exit_code == 2
    assert "pkg/link.py: a link to" in result.stderr and "outside the project root" in result.stderr
    assert victim.read_text(encoding="utf-8") == BARE_EXCEPT_RERAISE


def test_a_file_outside_the_root_is_linted_but_not_written(linked_outside: Path) -> None:
    victim = linked_outside.parent / "elsewhere" / "victim.py"
    result = _check(linked_outside, "--fix", "pkg/mine.py", str(victim))
    assert result.exit_code == 2
    assert "is outside the project root" in result.stderr
    assert victim.read_text(encoding="utf-8") == BARE_EXCEPT_RERAISE
    assert (linked_outside / "pkg" / "mine.py").read_text(encoding="utf-8") == FIXED


def test_a_link_inside_the_root_is_written_through(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", "pkg/real.py": BARE_EXCEPT_RERAISE})
    symlink(tmp_path / "pkg" / "alias.py", Path("real.py"))
    assert _check(tmp_path, "--fix", "pkg/alias.py").exit_code == 0
    assert (tmp_path / "pkg" / "alias.py").is_symlink()
    assert (tmp_path / "pkg" / "real.py").read_text(encoding="utf-8") == FIXED


def test_writes_check_the_root_when_writing(tmp_path: Path) -> None:
    """A path that turned into a link to the outside after discovery."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    write_files(root, {"pkg/keep.py": "a = 1\n"})
    write_files(outside, {"victim.py": "b = 1\n"})
    symlink(root / "pkg" / "late.py", outside / "victim.py")
    group = [FileWrite(root / "pkg" / "keep.py", b"a = 2\n"), FileWrite(root / "pkg" / "late.py", b"b = 2\n")]
    with pytest.raises(FixWriteError, match="outside the project root"):
        write_together(group, root)
    assert (outside / "victim.py").read_text(encoding="utf-8") == "b = 1\n"
    assert (root / "pkg" / "keep.py").read_text(encoding="utf-8") == "a = 1\n"  # all or nothing
    renamed = FileWrite(root / "pkg" / "keep.py", b"a = 2\n", rename_to=outside / "moved.py")
    with pytest.raises(FixWriteError, match="outside the project root"):
        write_together([renamed], root)
    assert not (outside / "moved.py").exists()
