"""`infralint server` from the command line, and pygls staying out of the
other commands."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from infralint.cli import main
from infralint.lsp.capabilities import MISSING_EXTRA


def test_without_the_extra_the_server_names_it(monkeypatch: pytest.MonkeyPatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name == "pygls" else real_find_spec(name, *args)
    )
    result = CliRunner().invoke(main, ["server"])
    assert result.exit_code == 2
    assert result.output == f"infralint: error: {MISSING_EXTRA}\n"
    assert "git+" in MISSING_EXTRA  # infralint is not on PyPI: a plain `pip install 'infralint[lsp]'` fails


def test_only_the_server_imports_pygls(tmp_path: Path):
    (tmp_path / "module.py").write_text("x = 1\n")
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from infralint.cli import main\n"
        "CliRunner().invoke(main, ['--version'])\n"
        f"CliRunner().invoke(main, ['check', {str(tmp_path)!r}])\n"
        "print(sorted(name for name in ('pygls', 'lsprotocol', 'infralint.lsp') if name in sys.modules))\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output == "[]\n"
