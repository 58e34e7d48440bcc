"""Baselines (infralint.baseline): real files in temporary directories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import pytest

from infralint.baseline import (
    BASELINE_VERSION,
    Baseline,
    file_line_reader,
    load_baseline,
    write_baseline,
)
from infralint.errors import ConfigError
from infralint.findings import Finding

SOURCE = """\
import os
from app.infra import db
from app.infra import cache

def handler():
    db.query()
"""


def finding(path: str, line: int, code: str = "IL001", column: int = 1, message: str = "") -> Finding:
    return Finding(
        code=code,
        name="some-rule",
        message=message or f"{code} at {path}:{line}",
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 1,
    )


def lines_with(text: str, needle: str) -> List[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if needle in line]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "app" / "domain.py", SOURCE)
    return tmp_path


def initial_findings() -> List[Finding]:
    return [
        finding("app/domain.py", 2, "IL001"),
        finding("app/domain.py", 3, "IL001"),
        finding("app/domain.py", 6, "IL002", column=5),
    ]


def test_round_trip(project: Path) -> None:
    baseline_file = project / "infralint-baseline.json"
    findings = initial_findings()
    write_baseline(baseline_file, findings, file_line_reader(project))

    document = json.loads(baseline_file.read_text(encoding="utf-8"))
    assert document["version"] == BASELINE_VERSION
    assert document["findings"][0] == {
        "path": "app/domain.py",
        "code": "IL001",
        "content": "from app.infra import cache",
        "occurrence": 0,
        "message": "IL001 at app/domain.py:3",
    }
    assert {entry["content"] for entry in document["findings"]} == {
        "from app.infra import db",
        "from app.infra import cache",
        "db.query()",
    }

    baseline = load_baseline(baseline_file)
    assert isinstance(baseline, Baseline)
    assert len(baseline) == 3
    assert baseline.filter(findings, file_line_reader(project)) == []
    assert sorted(p.name for p in project.iterdir()) == ["app", "infralint-baseline.json"]


def test_output_is_stable_and_sorted(project: Path) -> None:
    reader = file_line_reader(project)
    findings = initial_findings()
    first = project / "a.json"
    second = project / "b.json"
    write_baseline(first, findings, reader)
    write_baseline(second, list(reversed(findings)), reader)
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    entries = json.loads(text)["findings"]
    keys = [(e["path"], e["code"], e["content"], e["occurrence"]) for e in entries]
    assert keys == sorted(keys)
    # Rewriting replaces the file in place and leaves no temporary files.
    write_baseline(first, findings, reader)
    assert first.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in project.iterdir()) == ["a.json", "app", "b.json"]


def test_shifted_lines_and_new_violation_with_other_content(project: Path) -> None:
    baseline_file = project / "baseline.json"
    write_baseline(baseline_file, initial_findings(), file_line_reader(project))

    changed = '"""Docstring."""\n# comment\n\n' + SOURCE.replace(
        "def handler():", "from app.infra import queue\n\ndef handler():"
    ).replace("import os", "import sys")
    source = write(project / "app" / "domain.py", changed)
    text = source.read_text(encoding="utf-8")
    (db_line,) = lines_with(text, "import db")
    (cache_line,) = lines_with(text, "import cache")
    (queue_line,) = lines_with(text, "import queue")
    (query_line,) = lines_with(text, "db.query()")
    assert db_line == 5  # moved down by the three prepended lines
    new = finding("app/domain.py", queue_line, "IL001")
    current = [
        finding("app/domain.py", db_line, "IL001"),
        finding("app/domain.py", cache_line, "IL001"),
        new,
        finding("app/domain.py", query_line, "IL002", column=5),
    ]
    assert load_baseline(baseline_file).filter(current, file_line_reader(project)) == [new]


def test_identical_new_violation_is_reported_by_occurrence(project: Path) -> None:
    baseline_file = project / "baseline.json"
    write_baseline(baseline_file, initial_findings(), file_line_reader(project))

    changed = "# one\n# two\n# three\n" + SOURCE + "\ndef other():\n    db.query()\n"
    write(project / "app" / "domain.py", changed)
    query_lines = lines_with(changed, "db.query()")
    assert len(query_lines) == 2
    current = [
        finding("app/domain.py", 5, "IL001"),
        finding("app/domain.py", 6, "IL001"),
        finding("app/domain.py", query_lines[0], "IL002", column=5),
        finding("app/domain.py", query_lines[1], "IL002", column=5),
    ]
    reported = load_baseline(baseline_file).filter(current, file_line_reader(project))
    assert reported == [current[3]]


def test_same_content_in_another_file_or_code_is_new(project: Path) -> None:
    write(project / "app" / "other.py", SOURCE)
    baseline_file = project / "baseline.json"
    write_baseline(baseline_file, initial_findings(), file_line_reader(project))
    current = initial_findings() + [
        finding("app/other.py", 2, "IL001"),
        finding("app/domain.py", 2, "IL003"),
    ]
    reported = load_baseline(baseline_file).filter(current, file_line_reader(project))
    assert reported == current[3:]


def test_empty_baseline(tmp_path: Path) -> None:
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [], file_line_reader(tmp_path))
    assert baseline_file.read_text(encoding="utf-8") == '{\n  "findings": [],\n  "version": 1\n}\n'
    assert len(load_baseline(baseline_file)) == 0


def test_file_line_reader(tmp_path: Path) -> None:
    (tmp_path / "crlf.py").write_bytes(b"\xef\xbb\xbfa = 1\r\nb = '\xff'\rc = 3\x0cx\n")
    read_line = file_line_reader(tmp_path)
    assert read_line("crlf.py", 1) == "a = 1"
    assert read_line("crlf.py", 2) == "b = '\ufffd'"
    assert read_line("crlf.py", 3) == "c = 3\x0cx"
    assert read_line("crlf.py", 4) == ""
    assert read_line("crlf.py", 0) == ""
    assert read_line("missing.py", 1) == ""
    # Cached: later changes to the file are not seen.
    (tmp_path / "crlf.py").write_text("changed\n", encoding="utf-8")
    assert read_line("crlf.py", 1) == "a = 1"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{not json", "invalid JSON"),
        ("[]", "expected a JSON object"),
        ('{"findings": []}', "unsupported baseline version"),
        ('{"version": 99, "findings": []}', "unsupported baseline version"),
        ('{"version": 1}', "'findings' must be a list"),
        ('{"version": 1, "findings": {}}', "'findings' must be a list"),
        ('{"version": 1, "findings": [1]}', "findings[0]: expected an object"),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "IL001", "content": "x", "message": "m"}]}',
            "'occurrence' must be a non-negative integer",
        ),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "IL001", "content": "x",'
            ' "message": "m", "occurrence": true}]}',
            "'occurrence' must be a non-negative integer",
        ),
        (
            '{"version": 1, "findings": [{"path": 1, "code": "IL001", "content": "x",'
            ' "message": "m", "occurrence": 0}]}',
            "'path' must be a string",
        ),
    ],
)
def test_load_errors(tmp_path: Path, text: str, problem: str) -> None:
    baseline_file = write(tmp_path / "baseline.json", text)
    with pytest.raises(ConfigError) as caught:
        load_baseline(baseline_file)
    message = str(caught.value)
    assert message.startswith(f"{baseline_file}: ")
    assert problem in message
    assert "\n" not in message


def test_load_missing_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such baseline file") as caught:
        load_baseline(tmp_path / "nope.json")
    assert str(caught.value).startswith(str(tmp_path / "nope.json"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"version": 1, "findings": ["\xff"]}')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_baseline(bad)


def test_write_error_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "baseline.json"
    with pytest.raises(ConfigError, match="cannot write the baseline") as caught:
        write_baseline(target, [], file_line_reader(tmp_path))
    assert str(caught.value).startswith(str(target))
