"""The TypeScript example service (examples/shop-ts) reports exactly its
seeded findings: each `// seeded: ILnnn` comment names a finding on the
next line; the near misses beside them stay silent."""

from __future__ import annotations

import json
from pathlib import Path
from click.testing import CliRunner

from infralint.cli import main
from infralint.filetypes import is_typescript_name
from tests.test_self_and_example import seeded

SHOP_TS = Path(__file__).resolve().parent.parent.parent / "examples" / "shop-ts"


def test_example_reports_exactly_the_seeded_findings(monkeypatch) -> None:
    monkeypatch.chdir(SHOP_TS)
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", "--ignore", "IL501", "."])
    assert result.exit_code == 1, result.output
    found = {(f["path"], f["line"], f["code"]) for f in json.loads(result.output)}
    assert found == seeded(SHOP_TS, [p for p in SHOP_TS.rglob("*") if is_typescript_name(p.name)], "//")
    # Every form the standard names: relative, aliased, type-only, dynamic
    # and require imports; axios instances, fetch, promise .catch; TypeORM
    # and knex migrations; camelCase and SCREAMING_CASE secrets.
    assert len(found) == 21
