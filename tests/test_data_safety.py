"""Nothing of the user's is lost or written where it should not be: the
cache touches only what it created, links lead nowhere outside the project
root, a link loop is no crash, only regular files are read, a fix keeps
owner and mode, a diff is one git applies (issue 17, items 1, 4, 5, 8 and
12). Real trees in a temporary directory, run through the command line.
Interrupted and concurrent writes: tests/test_fix_interrupted.py."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from infralint.cache import CACHE_DIR_NAME, CACHEDIR_SIGNATURE, _create_tagged, is_infralint_cache
from infralint.cli import main
from infralint.reading import read_source
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
    write_files(tmp_path, LAYERED)
    for place in ("shop/loop", "shop/domain/loop.py", "loop", "loop.py"):
        symlink(tmp_path / place, Path(place).name)  # links to itself
    (tmp_path / "shop" / "domain" / "up").symlink_to("..", target_is_directory=True)  # a directory loop
    for args in ((), ("--no-cache",), ("--fix",)):
        result = _check(tmp_path, *args)
        assert "Traceback" not in result.output + result.stderr
        assert result.exit_code == 1, result.output + result.stderr
        assert "IL101" in result.output  # the rest of the project is still linted
        assert "IL103" in result.output and "shop.domain.up" not in result.output  # grimp did not follow it


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


# 8. Only regular files, up to a size cap -------------------------------------
LAYERED = {
    "pyproject.toml": '[tool.infralint]\nsrc = ["."]\n',
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/order.py": "import shop.infrastructure.db\nimport shop.helpers\n",
    "shop/helpers.py": "import shop.infrastructure.db\n",  # a chain: IL103, from grimp's graph
    "shop/infrastructure/__init__.py": "",
    "shop/infrastructure/db.py": "x = 1\n",
}


def _infralint_bounded(root: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    """The real command in a process that cannot hang the suite or take
    the machine's memory (what these tests guard against)."""
    import resource

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "infralint", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,  # a bound against hanging, not a measurement
        preexec_fn=limit_memory,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_is_an_il001_not_a_hang(tmp_path: Path) -> None:
    write_files(tmp_path, LAYERED)
    os.mkfifo(tmp_path / "shop" / "domain" / "pipe.py")  # grimp would read it too
    os.mkfifo(tmp_path / "named.py")
    named = _infralint_bounded(tmp_path, "named.py", "shop/domain/order.py")
    assert named.returncode == 1, named.stdout + named.stderr
    assert "named.py:1:1: IL001 cannot read the file: not a regular file (a FIFO)" in named.stdout
    assert "IL101" in named.stdout  # the other file is linted
    # The baseline keys a finding by its line: it must not read the FIFO either.
    recorded = _infralint_bounded(tmp_path, "named.py", "--baseline", "baseline.json", "--update-baseline")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    filtered = _infralint_bounded(tmp_path, "named.py", "--baseline", "baseline.json")
    assert filtered.returncode == 0, filtered.stdout + filtered.stderr
    whole = _infralint_bounded(tmp_path)  # discovery skips it; grimp must too
    assert whole.returncode == 1 and "IL103" in whole.stdout, whole.stdout + whole.stderr
    assert "Traceback" not in whole.stderr


def test_a_device_is_never_read(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=r"not a regular file \(a character device\)"):
        read_source(os.devnull if os.name != "nt" else "NUL", 1000)
    if os.path.exists("/dev/zero"):
        with pytest.raises(OSError, match="not a regular file"):
            read_source("/dev/zero", 1000)
    write_files(tmp_path, LAYERED)
    symlink(tmp_path / "shop" / "domain" / "zero.py", Path("/dev/zero"))
    result = _infralint_bounded(tmp_path)  # walked: a link out of the root, skipped
    assert result.returncode == 1 and "zero.py" not in result.stdout, result.stdout + result.stderr
    try:
        os.mknod(tmp_path / "device.py", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except (OSError, AttributeError):
        return  # no permission to make a device here: the reader's check above stands
    named = _infralint_bounded(tmp_path, "device.py")
    assert named.returncode == 1, named.stdout + named.stderr
    assert "device.py:1:1: IL001 cannot read the file: not a regular file (a character device)" in named.stdout


def test_a_file_over_max_file_size_is_an_il001(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\nmax-file-size = 1000\n", "small.py": "x = 1\n"})
    (tmp_path / "big.py").write_text("x = 1\n" * 200, encoding="utf-8")
    result = _check(tmp_path, "--no-cache")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "big.py:1:1: IL001 file too large: 1200 bytes, over max-file-size (1000 bytes)"
    assert "small.py" not in result.output
    fixed = _check(tmp_path, "--fix")  # and --fix leaves it alone
    assert "IL001 file too large" in fixed.output
    assert (tmp_path / "big.py").read_text(encoding="utf-8") == "x = 1\n" * 200


def test_the_default_cap_is_10_mb(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", "fits.py": "x = 1\n"})
    (tmp_path / "huge.py").write_bytes(b"#" * (10 * 1024 * 1024) + b"\n")
    result = _check(tmp_path, "--no-cache")
    assert "huge.py:1:1: IL001 file too large: 10.0 MB, over max-file-size (10485760 bytes)" in result.output
    assert "fits.py" not in result.output


@pytest.mark.parametrize(("value", "message"), [("0", "must be a positive number of bytes, got 0"), ('"10MB"', "an integer (bytes)")])
def test_max_file_size_is_validated(tmp_path: Path, value: str, message: str) -> None:
    write_files(tmp_path, {"pyproject.toml": f"[tool.infralint]\nmax-file-size = {value}\n", "a.py": "x = 1\n"})
    result = _check(tmp_path)
    assert result.exit_code == 2 and message in result.stderr and "\n" not in result.stderr.strip()


# 12. Owner, mode and hard links; CR-only diffs; grimp's cache ---------------
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_fix_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", "app.py": BARE_EXCEPT_RERAISE})
    app = tmp_path / "app.py"
    os.chown(app, 1234, 5678)
    os.chmod(app, 0o640)
    result = _check(tmp_path, "--fix", "--no-cache")
    assert result.exit_code == 0, result.output + result.stderr
    status = app.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (1234, 5678, 0o640)
    assert app.read_text(encoding="utf-8") == FIXED


def test_fix_replaces_a_hard_linked_file_as_ruff_and_black_do(tmp_path: Path) -> None:
    """The README's decision: the named file gets the fix as a new file;
    another hard link to the old one keeps the old content."""
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n", "app.py": BARE_EXCEPT_RERAISE})
    os.link(tmp_path / "app.py", tmp_path / "copy.txt")
    assert _check(tmp_path, "--fix", "--no-cache", "app.py").exit_code == 0
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "copy.txt").read_text(encoding="utf-8") == BARE_EXCEPT_RERAISE
    assert (tmp_path / "app.py").stat().st_nlink == 1


def test_the_diff_of_a_cr_only_file_is_a_patch_git_applies(tmp_path: Path) -> None:
    source = BARE_EXCEPT_RERAISE.replace("\n", "\r")
    write_files(tmp_path, {"pyproject.toml": "[tool.infralint]\n"})
    (tmp_path / "cr.py").write_bytes(("x = 1\r" + source).encode())
    (tmp_path / "crlf.py").write_bytes(source.replace("\r", "\r\n").encode())
    # The real command: click's test runner would turn "\r\n" into "\n".
    command = [sys.executable, "-m", "infralint", "check", "--diff", "--no-cache"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True)
    assert result.returncode == 1, result.stderr.decode()
    patch = result.stdout
    git = ["git", "-c", "core.autocrlf=false", "apply"]
    checked = subprocess.run([*git, "--check", "-"], cwd=tmp_path, input=patch, capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()
    subprocess.run([*git, "-"], cwd=tmp_path, input=patch, check=True)
    assert (tmp_path / "cr.py").read_bytes() == ("x = 1\r" + FIXED.replace("\n", "\r")).encode()
    assert (tmp_path / "crlf.py").read_bytes() == FIXED.replace("\n", "\r\n").encode()
    assert subprocess.run(command, cwd=tmp_path, capture_output=True).stdout == b""  # nothing left to fix


def test_grimps_cache_is_written_atomically(tmp_path: Path, monkeypatch) -> None:
    """grimp rewrites its cache files in place: a concurrent run could read
    half of one. Through infralint, each is written aside and moved into
    place; a write that fails leaves the previous file whole."""
    from infralint import grimp_files

    write_files(tmp_path, LAYERED)
    replaced: List[str] = []
    real_replace = os.replace

    def recording_replace(source: str, destination: str) -> None:
        replaced.append(Path(destination).name)
        real_replace(source, destination)

    monkeypatch.setattr(grimp_files.os, "replace", recording_replace)
    result = _check(tmp_path)
    assert "IL103" in result.output, result.output
    assert any(name.endswith(".meta.json") for name in replaced) and any(name.endswith(".data.json") for name in replaced)
    grimp_dir = next(tmp_path.glob(f"{CACHE_DIR_NAME}/*/grimp"))
    meta = next(grimp_dir.glob("*.meta.json"))
    before = meta.read_bytes()

    def failing_replace(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grimp_files.os, "replace", failing_replace)
    (tmp_path / "shop" / "helpers.py").write_text("import shop.infrastructure\n", encoding="utf-8")
    result = _check(tmp_path)  # the graph is built without a cache then, and the run goes on
    assert "Traceback" not in result.output + result.stderr
    assert meta.read_bytes() == before
    assert [p.name for p in grimp_dir.iterdir() if p.name.startswith(".infralint-staging-")] == []
