"""One configuration, every entry point: `check` on the project and on a
named file, `--stdin-filename` with and without `--fix`, and `--fix` on
files all apply the configured baseline, ignores and per-file ignores
(through `infralint.run`); `--no-baseline` shows everything. The language
server's side is in tests/lsp/test_server_policy.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from infralint.cli import main
from tests.helpers import separate_stderr_runner, write_files

# IL302 (bare except, no safe fix) and IL304 (raise without cause, ignored).
SWALLOW = "try:\n    connect()\nexcept:\n    cleanup()\n    raise RuntimeError('x')\n"
# IL302 with a safe fix (except BaseException:).
RERAISE = "try:\n    connect()\nexcept:\n    raise\n"

CONFIG = """[tool.infralint]
baseline = "infralint-baseline.json"
ignore = ["IL304"]

[tool.infralint.per-file-ignores]
"app/ignored.py" = ["IL302"]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose one IL302 (app/old.py) is in the configured baseline."""
    write_files(tmp_path, {"pyproject.toml": CONFIG, "app/old.py": SWALLOW, "app/ignored.py": SWALLOW})
    monkeypatch.chdir(tmp_path)
    recorded = check("--update-baseline")
    assert "Recorded 1 finding" in recorded.output, recorded.output
    return tmp_path


def check(*args: str, stdin: "str | None" = None):
    return separate_stderr_runner().invoke(main, ["check", "--no-cache", *args], input=stdin)


def test_the_whole_project_and_a_named_file_honour_the_baseline(project: Path) -> None:
    assert check().exit_code == 0
    named = check("app/old.py", "app/ignored.py")
    assert named.exit_code == 0 and "IL3" not in named.stdout


def test_no_baseline_shows_the_recorded_finding_and_keeps_the_ignores(project: Path) -> None:
    result = check("--no-baseline")
    assert result.exit_code == 1
    assert "app/old.py:3:1: IL302" in result.stdout
    assert "IL304" not in result.stdout and "app/ignored.py" not in result.stdout


def test_stdin_honours_the_baseline_ignores_and_per_file_ignores(project: Path) -> None:
    for path in ("app/old.py", "app/ignored.py"):
        result = check("--stdin-filename", path, stdin=SWALLOW)
        assert result.exit_code == 0 and "IL3" not in result.stdout, path
    # A second copy in the same file is new: reported, once.
    grown = check("--stdin-filename", "app/old.py", stdin=SWALLOW + SWALLOW)
    assert grown.exit_code == 1
    assert grown.stdout.count("IL302") == 1 and "app/old.py:8:1: IL302" in grown.stdout
    assert "IL304" not in grown.stdout
    everything = check("--stdin-filename", "app/old.py", "--no-baseline", stdin=SWALLOW)
    assert everything.exit_code == 1 and "app/old.py:3:1: IL302" in everything.stdout


def test_stdin_fix_reports_only_what_the_baseline_does_not_hold(project: Path) -> None:
    result = check("--stdin-filename", "app/old.py", "--fix", stdin=SWALLOW + RERAISE)
    assert result.stdout == SWALLOW + RERAISE.replace("except:", "except BaseException:")
    assert result.exit_code == 0 and "IL302" not in result.stderr
    everything = check("--stdin-filename", "app/old.py", "--fix", "--no-baseline", stdin=SWALLOW + RERAISE)
    assert everything.exit_code == 1 and "app/old.py:3:1: IL302" in everything.stderr


def test_fix_on_files_honours_the_baseline(project: Path) -> None:
    write_files(project, {"app/new.py": RERAISE})
    result = check("--fix")
    assert (project / "app/new.py").read_text() == RERAISE.replace("except:", "except BaseException:")
    assert result.exit_code == 0, result.output
    assert "IL302" not in result.stdout
    assert check("--fix", "--no-baseline").exit_code == 1
