"""The baseline is committed: a credential's line (IL701) is kept as a hash,
never as text; baselines written before still match, with a warning; a
baseline nested too deeply to read is a one-line error. Through the command
in a subprocess, on real files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.helpers import write_files
from tests.test_robustness import run_infralint

SECRET = "tok_live_8f3a9c71d2e4b6a0"
CREDENTIAL_LINE = f'API_TOKEN = "{SECRET}"'


def _project(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.infralint]\nselect = ["IL701", "IL302"]\nbaseline = "infralint-baseline.json"\n',
            "shop/settings.py": CREDENTIAL_LINE + "\n",
            "shop/worker.py": "try:\n    connect()\nexcept:\n    raise\n",
        },
    )
    return tmp_path


def test_update_baseline_stores_a_hash_of_a_credential_line_never_its_text(tmp_path: Path) -> None:
    root = _project(tmp_path)
    recorded = run_infralint(root, "check", "--no-cache", "--update-baseline")
    assert recorded.returncode == 0, recorded.stderr
    text = (root / "infralint-baseline.json").read_text()
    assert SECRET not in text
    assert SECRET[2:-2] not in text
    entries = {entry["code"]: entry for entry in json.loads(text)["findings"]}
    assert "content" not in entries["IL701"]
    assert entries["IL701"]["content_sha256"] == hashlib.sha256(CREDENTIAL_LINE.encode()).hexdigest()
    assert entries["IL302"]["content"] == "except:"  # other rules keep the readable line
    assert run_infralint(root, "check", "--no-cache").returncode == 0
    # The same credential copied is a new finding; so is a changed one.
    (root / "shop/settings.py").write_text(CREDENTIAL_LINE + "\n" + CREDENTIAL_LINE + "\n")
    again = run_infralint(root, "check", "--no-cache")
    assert again.returncode == 1
    assert "shop/settings.py:2:" in again.stdout.decode()


def test_an_older_baseline_with_the_line_in_clear_still_matches_and_says_so(tmp_path: Path) -> None:
    root = _project(tmp_path)
    old = {
        "version": 1,
        "findings": [
            {"path": "shop/settings.py", "code": "IL701", "content": CREDENTIAL_LINE, "occurrence": 0, "message": "m"},
            {"path": "shop/worker.py", "code": "IL302", "content": "except:", "occurrence": 0, "message": "m"},
        ],
    }
    (root / "infralint-baseline.json").write_text(json.dumps(old))
    result = run_infralint(root, "check", "--no-cache")
    assert result.returncode == 0, result.stdout
    assert "1 IL701 entries hold the credential's line in clear" in result.stderr.decode()
    assert "run --update-baseline to store hashes instead" in result.stderr.decode()


def test_a_baseline_nested_too_deeply_is_a_one_line_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "infralint-baseline.json").write_text("[" * 100_000 + "]" * 100_000)
    result = run_infralint(root, "check", "--no-cache")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"infralint: error: {root / 'infralint-baseline.json'}: invalid baseline: JSON nested too deeply to read"
    )


def test_a_file_name_that_is_not_utf_8_round_trips_through_the_baseline(tmp_path: Path) -> None:
    import os

    root = _project(tmp_path)
    (root / "shop").joinpath(os.fsdecode(b"caf\xe9.py")).write_text("try:\n    x()\nexcept:\n    raise\n")
    recorded = run_infralint(root, "check", "--no-cache", "--update-baseline")
    assert recorded.returncode == 0, recorded.stderr
    (root / "infralint-baseline.json").read_text(encoding="utf-8")  # strict UTF-8
    again = run_infralint(root, "check", "--no-cache")
    assert (again.returncode, again.stderr) == (0, b"")
