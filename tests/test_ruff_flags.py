"""ruff's spellings on `infralint check`: --output-format (and its names),
--add-noqa, --show-settings, --show-files, --exit-non-zero-on-fix and
--force-exclude; the installed command runs them as a new user would."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from infralint.cli import main
from infralint.settings import Settings
from tests.helpers import cli_runner, write_files

# IL302 with a safe fix (except BaseException:).
RERAISE = "def load(read):\n    try:\n        return read()\n    except:\n        raise\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.infralint]\nextend-exclude = ["generated"]\n',
            "app/load.py": RERAISE,
            "generated/client.py": RERAISE,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str, stdin: "str | None" = None):
    return cli_runner().invoke(main, ["check", "--no-cache", *args], input=stdin)


# --output-format ----------------------------------------------------------------


def test_output_format_takes_ruffs_names(project: Path) -> None:
    concise = check("--output-format", "concise")
    assert concise.stdout == check("--format", "text").stdout == check().stdout
    assert concise.stdout.startswith("app/load.py:4:5: IL302 [*] bare `except:`")
    assert check("--output-format", "pylint").stdout.startswith("app/load.py:4: [IL302] bare `except:`")
    (line,) = check("--output-format", "json-lines").stdout.splitlines()
    assert json.loads(line) == json.loads(check("--output-format", "json").stdout)[0]
    junit = check("--output-format", "junit").stdout
    assert 'tests="1" failures="1"' in junit and 'name="IL302 app/load.py:4:5"' in junit
    sarif = json.loads(check("--output-format", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "IL302"


def test_full_shows_the_source_with_a_caret_line(project: Path) -> None:
    result = check("--output-format", "full")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "app/load.py:4:5: IL302 [*] bare `except:` also catches KeyboardInterrupt and SystemExit: "
        "name the exception type\n"
        "  |\n"
        "3 |         return read()\n"
        "4 |     except:\n"
        "  |     ^^^^^^ IL302\n"
        "5 |         raise\n"
        "  |\n"
        "  = help: Replace with `except BaseException:`\n"
    )


def test_full_shows_the_text_read_from_stdin(project: Path) -> None:
    source = "\n\n" + RERAISE  # two lines more than the file on disk
    result = check("--output-format", "full", "--stdin-filename", "app/load.py", stdin=source)
    assert "6 |     except:\n  |     ^^^^^^ IL302\n" in result.stdout


def test_format_and_output_format_must_agree(project: Path) -> None:
    assert check("--format", "json", "--output-format", "json").exit_code == 1
    result = check("--format", "json", "--output-format", "sarif")
    assert result.exit_code == 2 and "disagree" in result.stderr


# --add-noqa -----------------------------------------------------------------------

# IL403 (no timeout) on requests calls in every place a comment can and
# cannot go. `# infralint: ignore` lines mark where each must be honoured.
FORMS = '''import requests


def single():
    return requests.get("https://a")


def existing():
    return requests.get("https://a")  # infralint: ignore[IL402]


def other_tool():
    return requests.get("https://a")  # noqa: E501


def multi_line_call():
    return requests.post(
        "https://a",
        json={"a": 1},
    )


def string_opens_on_the_line():
    calls = [
        requests.post("https://a", data="""
        body"""),
    ]
    return calls


def backslash():
    return None if False \\
        else requests.get("https://a")
'''
# A statement whose first line also ends inside a string, or continues with
# a backslash: no comment can go where the suppression is honoured.
IMPOSSIBLE = (
    'import requests\n\nresponse = requests.post("https://a", data="""\nbody""")\n'
    'other = requests.post("https://a") if True \\\n    else None\n'
)


def test_add_noqa_suppresses_every_finding_where_it_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"pyproject.toml": '[tool.infralint]\nselect = ["IL4"]\n', "app/calls.py": FORMS})
    monkeypatch.chdir(tmp_path)
    before = check()
    assert before.exit_code == 1 and before.stdout.count("IL403") == 6
    added = check("--add-noqa")
    assert added.exit_code == 0, added.output
    assert "Suppressed 11 findings with `# infralint: ignore` comments in 1 file." in added.stderr
    text = (tmp_path / "app/calls.py").read_text()
    ast.parse(text)
    assert '    return requests.get("https://a")  # infralint: ignore[IL402, IL403]\n' in text
    assert '    return requests.get("https://a")  # noqa: E501  # infralint: ignore[IL402, IL403]\n' in text
    assert "    return requests.post(  # infralint: ignore[IL402, IL403]\n" in text
    assert "    calls = [  # infralint: ignore[IL402, IL403]\n" in text
    # After a backslash continuation: its own line.
    assert '        else requests.get("https://a")  # infralint: ignore[IL402, IL403]\n' in text
    after = check("--select", "IL002,IL4")  # and no suppression is unused
    assert (after.exit_code, after.stdout.strip()) == (0, "All checks passed."), after.stdout
    again = check("--add-noqa")
    assert "Suppressed 0 findings" in again.stderr
    assert (tmp_path / "app/calls.py").read_text() == text


def test_add_noqa_leaves_what_it_cannot_suppress_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"pyproject.toml": '[tool.infralint]\nselect = ["IL403"]\n', "app/post.py": IMPOSSIBLE})
    monkeypatch.chdir(tmp_path)
    result = check("--add-noqa")
    assert result.exit_code == 0
    assert "app/post.py:3: no suppression comment can go on the line of IL403" in result.stderr
    assert "app/post.py:5: no suppression comment can go on the line of IL403" in result.stderr
    assert (tmp_path / "app/post.py").read_text() == IMPOSSIBLE


def test_add_noqa_conflicts_with_fix(project: Path) -> None:
    result = check("--add-noqa", "--fix")
    assert result.exit_code == 2 and "--add-noqa and --fix cannot be used together" in result.stderr


# --show-settings, --show-files ----------------------------------------------------------


def test_show_settings_prints_the_resolved_settings_and_lints_nothing(project: Path) -> None:
    result = check("--show-settings", "--ignore", "IL3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# Settings from pyproject.toml"
    values = dict(line.split(" = ", 1) for line in lines[1:])
    assert values["extend-exclude"] == '["generated"]'
    enabled = json.loads(values["enabled"])
    assert "IL101" in enabled and "IL302" not in enabled
    assert json.loads(values["rules"])["IL501"] == {"scope": "changes"}


def test_show_settings_shows_every_setting(project: Path) -> None:
    """A setting added later (composition roots, max-file-size had been
    left out) must show up too: each of Settings' fields, under the
    configuration's spelling (a table's keys under its name)."""
    write_files(
        project,
        {
            "pyproject.toml": "[tool.infralint]\nmax-file-size = 2048\n"
            '[tool.infralint.composition-roots]\nextend-modules = ["app_factory"]\n'
        },
    )
    result = check("--show-settings")
    assert result.exit_code == 0
    values = dict(line.split(" = ", 1) for line in result.stdout.splitlines()[1:])
    shown = {key.split(".")[0] for key in values} | {key.replace(".", "-") for key in values}
    assert {"rules" if field == "rule_options" else field.replace("_", "-") for field in Settings.__slots__} <= shown
    assert values["max-file-size"] == "2048"
    assert "app_factory" in json.loads(values["composition-roots.modules"])
    assert "ioc" in json.loads(values["composition-roots.packages"])


def test_show_files_lists_what_would_be_linted(project: Path) -> None:
    result = check("--show-files")
    assert (result.exit_code, result.stdout) == (0, "app/load.py\n")


# --exit-non-zero-on-fix ---------------------------------------------------------------


def test_exit_non_zero_on_fix(project: Path) -> None:
    write_files(project, {"app/other.py": RERAISE})
    assert check("--fix", "app/load.py").exit_code == 0
    flagged = check("--fix", "--exit-non-zero-on-fix", "app/other.py")
    assert flagged.exit_code == 1 and "Fixed 1 finding (0 remaining)." in flagged.stdout
    assert check("--fix", "--exit-non-zero-on-fix", "app/other.py").exit_code == 0  # nothing left to fix
    piped = check("--fix", "--exit-non-zero-on-fix", "--stdin-filename", "app/new.py", stdin=RERAISE)
    assert piped.exit_code == 1 and "except BaseException:" in piped.stdout


# --force-exclude ------------------------------------------------------------------


def test_force_exclude_keeps_excluded_files_out_even_when_named(project: Path) -> None:
    assert "generated/client.py" in check("generated/client.py").stdout
    forced = check("--force-exclude", "generated/client.py", "app/load.py")
    assert forced.exit_code == 1
    assert "generated/client.py" not in forced.stdout and "app/load.py:4:5" in forced.stdout
    assert check("--force-exclude", "generated/client.py").exit_code == 0
    piped = check("--force-exclude", "--stdin-filename", "generated/client.py", stdin=RERAISE)
    assert (piped.exit_code, piped.stdout) == (0, "")
    fixed = check("--force-exclude", "--fix", "--stdin-filename", "generated/client.py", stdin=RERAISE)
    assert (fixed.exit_code, fixed.stdout) == (0, RERAISE)


# The installed command ----------------------------------------------------------------


def test_the_installed_command_takes_the_flags(project: Path) -> None:
    command = Path(sys.executable).parent / "infralint"
    if not command.is_file():
        pytest.skip("infralint is not installed next to this interpreter")

    def run(*args: str) -> "subprocess.CompletedProcess[str]":
        return subprocess.run([str(command), "check", "--no-cache", *args], capture_output=True, text=True, timeout=120)

    full = run("--output-format", "full", "--force-exclude", "generated/client.py", "app/load.py")
    assert full.returncode == 1 and "  |     ^^^^^^ IL302\n" in full.stdout
    assert run("--show-files").stdout == "app/load.py\n"
    added = run("--add-noqa")
    assert added.returncode == 0 and "Suppressed 1 finding with" in added.stderr
    assert run().returncode == 0


def test_add_noqa_leaves_typescript_files_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tree_sitter")
    importer = 'import { Db } from "../infrastructure/db";\nexport const x = Db;\n'
    write_files(
        tmp_path,
        {"pyproject.toml": "[tool.infralint]\n", "src/domain/order.ts": importer, "src/infrastructure/db.ts": "export const Db = 1;\n"},
    )
    monkeypatch.chdir(tmp_path)
    assert "src/domain/order.ts:1:1: IL101" in check().stdout
    result = check("--add-noqa")
    assert "src/domain/order.ts: --add-noqa edits Python files only for now; 1 finding(s) left" in result.stderr
    assert (tmp_path / "src/domain/order.ts").read_text() == importer
