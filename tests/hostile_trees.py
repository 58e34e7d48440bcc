"""Hostile project trees for the fuzz jobs (tests/test_fuzz.py, a few
seconds; benchmarks/fuzz_trees.py, as long as asked): what a cloned
repository can hold — links (loops, dangling, to files and directories
outside the tree, to special files), FIFOs and sockets, bytes in every
encoding or none, nesting deeper than Python allows, odd names — and the
checks a run over one must pass whatever it holds:

- no traceback, and an exit code that means what the README says (0, 1, 2;
  2 always with an `infralint: error:` line);
- no file outside the tree touched (content and modification time);
- no file inside changed, except by `--fix`, and a fixed file still parses
  when it parsed before;
- `--fix --stdin-filename` prints the input unchanged or a fixed text that
  parses.
"""

from __future__ import annotations

import ast
import os
import random
import socket
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

# Sources a repository can hold (bytes: encodings are part of the point).
VALID_SOURCES: Tuple[bytes, ...] = (
    b"import os\n\nVALUE = os.environ.get('X')\n",
    b"try:\n    connect()\nexcept:\n    raise\n",
    b"import requests\n\n\ndef fetch(urls):\n    return requests.get(u for u in urls)\n",
    b"import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n",
    b'API_TOKEN = "tok_live_8f3a9c71d2e4b6a0"\n',
    b"from shop.infrastructure.db import Database\n",
    b"import logging\nlog = logging.getLogger(__name__)\nlog.info(f'x {1}')\n",
    b"\xef\xbb\xbfx = 1\r\ny = 2\r\n",  # BOM, CRLF
    b"x = 1\ry = 2\r",  # CR only
    b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n",
    b"",
    b"\n\n\n",
    b"def f(cursor, t):\n    cursor.execute('SELECT ' + t)\n",
    b"x = (1,\n     2)  # infralint: ignore[IL999]\n",
)


def _deep_brackets(rng: random.Random) -> bytes:
    depth = rng.choice((150, 199, 201, 1000, 5000))
    opening = rng.choice("([{")
    closing = {"(": ")", "[": "]", "{": "}"}[opening]
    return f"x = {opening * depth}1{closing * depth}\n".encode()


def _deep_indentation(rng: random.Random) -> bytes:
    depth = rng.choice((50, 99, 101, 150))
    return "".join(" " * level + "if x:\n" for level in range(depth)).encode() + b" " * depth + b"pass\n"


def _long_concatenation(rng: random.Random) -> bytes:
    terms = rng.choice((100, 1500, 3000))
    return b"def f(cursor, t):\n    cursor.execute(" + b" + ".join([b"'a'"] * terms) + b" + t)\n"


def _bad_bytes(rng: random.Random) -> bytes:
    return rng.choice(
        (
            b"name = '\xe9t\xe9'\n",  # latin-1 without a cookie
            "x = 1\n".encode("utf-16"),
            "x = 1\n".encode("utf-16-le"),
            "x = 1\n".encode("utf-32"),
            b"\x00\x01\x02binary\xff",
            b"# -*- coding: bogus -*-\nx = 1\n",
            b"def f(:\n",
            b"x = '" + b"a" * 100_000 + b"'\n",
            bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))),
        )
    )


_GENERATED: Tuple[Callable[[random.Random], bytes], ...] = (_deep_brackets, _deep_indentation, _long_concatenation, _bad_bytes)

_ODD_NAMES: Tuple[bytes, ...] = (
    b"caf\xe9.py",  # not UTF-8
    b"with space.py",
    b"new\nline.py",
    "ünïcode.py".encode(),
    b"-dash.py",
    b"dots..py",
    b".hidden.py",
    b"__init__.py",
)
_DIRECTORIES = (b"shop", b"shop/domain", b"shop/infrastructure", b"shop/application", b"lib", b"odd dir", b"caf\xe9")


class HostileTree:
    """A tree under ``root/project`` and files outside it under
    ``root/outside`` that links inside point to."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.project = root / "project"
        self.outside = root / "outside"
        self.rng = random.Random(seed)
        self.seed = seed
        self.python_files: List[bytes] = []

    # Building ----------------------------------------------------------------
    def build(self, files: int = 25) -> "HostileTree":
        rng = self.rng
        self.project.mkdir(parents=True)
        self.outside.mkdir(parents=True)
        (self.outside / "victim.py").write_bytes(VALID_SOURCES[1])
        (self.outside / "victim_dir").mkdir()
        (self.outside / "victim_dir" / "module.py").write_bytes(VALID_SOURCES[3])
        layered = b'[tool.infralint.layers]\norder = ["infrastructure", "domain"]\n'
        config = b"[tool.infralint]\n" + rng.choice((b"", b'baseline = "b.json"\n', layered, b'baseline = "b.json"\n' + layered))
        self._write(b"pyproject.toml", config)
        if b"baseline" in config:
            self._write(b"b.json", b'{"version": 1, "findings": []}\n')
        for directory in _DIRECTORIES:
            os.makedirs(os.path.join(os.fsencode(self.project), directory), exist_ok=True)
            self._write(directory + b"/__init__.py", b"")
        # Every tree holds each generated kind and two odd names; the rest is drawn.
        for index in range(max(files, len(_GENERATED) + 2)):
            directory = rng.choice(_DIRECTORIES)
            odd = index in (0, 1) or rng.random() < 0.3
            name = rng.choice(_ODD_NAMES) if odd else f"m{rng.randrange(10_000)}.py".encode()
            if index < len(_GENERATED):
                content = _GENERATED[index](rng)
            elif rng.random() < 0.5:
                content = rng.choice(VALID_SOURCES)
            else:
                content = rng.choice(_GENERATED)(rng)
            self._write(directory + b"/" + name, content)
        self._add_specials()
        return self

    def _write(self, relative: bytes, content: bytes) -> None:
        path = os.path.join(os.fsencode(self.project), relative)
        with open(path, "wb") as stream:
            stream.write(content)
        if relative.endswith(b".py"):
            self.python_files.append(relative)

    def _link(self, relative: bytes, target: bytes) -> None:
        path = os.path.join(os.fsencode(self.project), relative)
        if not os.path.lexists(path):
            os.symlink(target, path)

    def _add_specials(self) -> None:
        rng = self.rng
        project = os.fsencode(self.project)
        outside = os.fsencode(self.outside)
        specials: List[Callable[[], None]] = [
            lambda: self._link(b"shop/loop.py", b"loop.py"),
            lambda: self._link(b"shop/a_loop.py", b"b_loop.py") or self._link(b"shop/b_loop.py", b"a_loop.py"),
            lambda: self._link(b"shop/dangling.py", b"nowhere/missing.py"),
            lambda: self._link(b"shop/outside.py", outside + b"/victim.py"),
            lambda: self._link(b"shop/outside_dir", outside + b"/victim_dir"),
            lambda: self._link(b"shop/dir_loop", b"."),
            lambda: self._link(b"shop/zero.py", b"/dev/zero"),
            lambda: self._link(b"lib/inside.py", b"../shop/domain/__init__.py"),
            lambda: os.mkdir(os.path.join(project, b"lib/package.py")),
            lambda: os.mkfifo(os.path.join(project, b"shop/fifo.py")),
            self._socket,
        ]
        for special in rng.sample(specials, rng.randrange(2, len(specials) + 1)):
            special()

    def _socket(self) -> None:
        path = os.path.join(os.fsencode(self.project), b"shop/sock.py")
        if len(path) >= 100:  # AF_UNIX path limit
            return
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(path)
        finally:
            server.close()

    # Snapshots ---------------------------------------------------------------
    def snapshot(self, directory: Path) -> Dict[bytes, Tuple[str, Optional[bytes], int]]:
        """Path -> (kind, content of a regular file, mtime_ns), links not followed."""
        found: Dict[bytes, Tuple[str, Optional[bytes], int]] = {}
        base = os.fsencode(directory)
        for current, directories, files in os.walk(base, followlinks=False):
            for name in directories + files:
                path = os.path.join(current, name)
                if b".infralint_cache" in path:
                    continue
                info = os.lstat(path)
                kind = _kind(info.st_mode)
                content = None
                if kind == "file":
                    with open(path, "rb") as stream:
                        content = stream.read()
                found[os.path.relpath(path, base)] = (kind, content, info.st_mtime_ns if kind != "dir" else 0)
        return found


def _kind(mode: int) -> str:
    import stat

    for test, name in ((stat.S_ISLNK, "link"), (stat.S_ISDIR, "dir"), (stat.S_ISREG, "file")):
        if test(mode):
            return name
    return "special"


# Runs and their checks ------------------------------------------------------
RUNS: Tuple[Tuple[str, ...], ...] = (
    ("check", "--no-cache", "-j", "1"),
    ("check", "-j", "2"),
    ("check", "--format", "sarif"),
    ("check", "--format", "gitlab", "--no-cache"),
    ("check", "--diff", "--no-cache"),
    ("check", "--fix", "--unsafe-fixes", "--no-cache"),
    ("check", "--update-baseline", "--baseline", "b.json", "--no-cache"),
    ("layers",),
)


def parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def run_once(tree: HostileTree, arguments: Sequence[str], stdin: bytes = b"", timeout: float = 120) -> List[str]:
    """Run ``infralint ARGUMENTS`` in the tree; the problems found."""
    before_inside = tree.snapshot(tree.project)
    before_outside = tree.snapshot(tree.outside)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "infralint", *arguments],
            cwd=tree.project,
            input=stdin,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return [f"{' '.join(arguments)}: no answer in {timeout:.0f} s (a hang)"]
    shown = f"seed {tree.seed}: infralint {' '.join(arguments)}"
    problems = []
    stderr = result.stderr.decode("utf-8", "replace")
    if "Traceback" in stderr:
        problems.append(f"{shown}: traceback: {stderr[-600:]}")
    if "internal error" in stderr:  # a crash, even one reported cleanly, is a bug
        problems.append(f"{shown}: {stderr[max(0, stderr.index('internal error') - 200) :][:600]}")
    if result.returncode not in (0, 1, 2):
        problems.append(f"{shown}: exit code {result.returncode}: {stderr[-300:]}")
    if result.returncode == 2 and "infralint: error:" not in stderr and "Error:" not in stderr:
        problems.append(f"{shown}: exit code 2 without an error line: {stderr[-300:]}")
    if tree.snapshot(tree.outside) != before_outside:
        problems.append(f"{shown}: changed a file outside the tree")
    problems.extend(_changes_inside(shown, before_inside, tree.snapshot(tree.project), "--fix" in arguments, arguments))
    if "--stdin-filename" in arguments and "--fix" in arguments:
        if result.stdout != stdin and not parses(result.stdout):
            problems.append(f"{shown}: stdout neither the input nor a file that parses")
    return problems


def _changes_inside(shown: str, before: Dict, after: Dict, fixing: bool, arguments: Sequence[str]) -> List[str]:
    allowed = {b"b.json"} if "--update-baseline" in arguments else set()
    problems = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) == after.get(path) or path in allowed:
            continue
        old, new = before.get(path), after.get(path)
        fixed = fixing and old is not None and new is not None and old[0] == new[0] == "file" and path.endswith(b".py")
        if not fixed:
            problems.append(f"{shown}: {os.fsdecode(path)} changed ({old and old[0]} -> {new and new[0]})")
        elif parses(old[1]) and not parses(new[1]):
            problems.append(f"{shown}: --fix wrote {os.fsdecode(path)}, which no longer parses")
    return problems


def fuzz(root: Path, seed: int, files: int = 25, runs: Sequence[Sequence[str]] = RUNS, stdin_runs: int = 2) -> List[str]:
    """Build one tree under ``root`` from ``seed`` and run each of ``runs``
    on it, then `--fix --stdin-filename` on ``stdin_runs`` of its files."""
    tree = HostileTree(root, seed).build(files)
    problems: List[str] = []
    for arguments in runs:
        problems.extend(run_once(tree, arguments))
    rng = random.Random(seed)
    for relative in rng.sample(tree.python_files, min(stdin_runs, len(tree.python_files))):
        path = os.path.join(os.fsencode(tree.project), relative)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        with open(path, "rb") as stream:
            data = stream.read()
        problems.extend(run_once(tree, ["check", "--fix", "--stdin-filename", os.fsdecode(relative)], stdin=data))
    return problems
