"""infralint on real trees: its own source (zero findings) and the bundled
example project (exactly the seeded findings)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from click.testing import CliRunner

from infralint.cli import main

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "examples" / "shop"


def test_infralint_lints_itself_with_zero_findings() -> None:
    result = CliRunner().invoke(main, ["check", str(REPO / "infralint")])
    assert result.exit_code == 0, result.output
    assert "All checks passed." in result.output


def seeded(root: Path = SHOP, paths: Iterable[Path] = (), comment: str = "#") -> set:
    """(relative path, line, code) for each `# seeded: ILnnn` comment (or
    ``comment`` for another language) in ``paths`` (default: the Python
    files under ``root``): the finding is on the line after it."""
    expected = set()
    marker = re.compile(re.escape(comment) + r" seeded: (IL\d{3})")
    for path in paths or root.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            for code in marker.findall(line):
                expected.add((path.relative_to(root).as_posix(), number + 1, code))
    return expected


def test_example_reports_exactly_the_seeded_findings(monkeypatch) -> None:
    import json

    monkeypatch.chdir(SHOP)
    result = CliRunner().invoke(main, ["check", "--format", "json", "--ignore", "IL501", "."])
    assert result.exit_code == 1, result.output
    found = {(f["path"], f["line"], f["code"]) for f in json.loads(result.output)}
    assert found == seeded()
    assert len(found) == 11
