"""The bounded fuzz job: a few hostile trees (tests/hostile_trees.py), a few
runs on each, every check of hostile_trees asserted. The long job is
benchmarks/fuzz_trees.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.hostile_trees import fuzz

# Few and cheap: each run is a subprocess (~1 s); the long job runs them all.
RUNS = (
    ("check", "--no-cache", "-j", "1"),
    ("check", "--format", "sarif"),
    ("check", "--diff", "--no-cache"),
    ("check", "--fix", "--unsafe-fixes", "--no-cache"),
)


@pytest.mark.skipif(sys.platform == "win32", reason="links, FIFOs and sockets as POSIX has them")
@pytest.mark.parametrize("seed", [1, 2])
def test_hostile_trees(tmp_path: Path, seed: int) -> None:
    problems = fuzz(tmp_path, seed, files=12, runs=RUNS, stdin_runs=1)
    assert not problems, "\n".join(problems)
