"""Ctrl-C while grimp scans the imports: its Rust core turns the
KeyboardInterrupt raised in a Python callback into a PanicException that
only names it, which had passed for grimp failing ("IL103 skipped") and the
run went on to exit 1. The panics below carry the message pyo3 gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from infralint import entry, graph
from infralint.cli import main
from infralint.interrupts import Terminated, interruption_behind
from tests.helpers import write_files

TEMPLATE = (
    "called `Result::unwrap()` on an `Err` value: PyErr {{ type: <class '{name}'>, value: {short}(), "
    'traceback: Some("Traceback (most recent call last):\\n  File \\"<string>\\", line 2, in __init__\\n") }}'
)


class PanicException(BaseException):
    """Named as pyo3's is; like it, not an Exception."""


def _panic(name: str) -> PanicException:
    return PanicException(TEMPLATE.format(name=name, short=name.rsplit(".", 1)[-1]))


def test_the_interruption_a_panic_stands_for() -> None:
    assert isinstance(interruption_behind(_panic("KeyboardInterrupt")), KeyboardInterrupt)
    assert isinstance(interruption_behind(_panic("infralint.interrupts.Terminated")), Terminated)
    assert interruption_behind(_panic("UnicodeDecodeError")) is None
    assert interruption_behind(PanicException("index out of bounds")) is None
    assert interruption_behind(KeyboardInterrupt()) is None  # not a panic: nothing to translate


def _project(root: Path) -> Path:
    write_files(
        root,
        {
            "pyproject.toml": "[tool.infralint]\n",
            "shop/__init__.py": "",
            "shop/domain/__init__.py": "",
            "shop/domain/order.py": "from shop.infrastructure.db import Database\n",
            "shop/infrastructure/__init__.py": "",
            "shop/infrastructure/db.py": "class Database: ...\n",
        },
    )
    return root


def _run_check(root: Path, monkeypatch: pytest.MonkeyPatch, panic: PanicException) -> int:
    def scan_interrupted(*args: object, **kwargs: object) -> None:
        raise panic

    monkeypatch.setattr(graph, "_build_graph", scan_interrupted)
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["infralint", "check", "--no-cache", "-j", "1"])
    return entry._run(main)


def test_ctrl_c_during_the_import_scan_aborts_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run_check(_project(tmp_path), monkeypatch, _panic("KeyboardInterrupt"))
    captured = capsys.readouterr()
    assert code == entry.EXIT_INTERRUPTED
    assert captured.err.strip().endswith("Aborted!")
    assert "IL103 skipped" not in captured.err
    assert "IL101" not in captured.out  # no report of a run that was stopped


def test_another_panic_still_skips_the_graph_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run_check(_project(tmp_path), monkeypatch, PanicException("index out of bounds"))
    captured = capsys.readouterr()
    assert code == 1  # the file's own IL101 is still reported
    assert "IL103 skipped: grimp failed on the project (index out of bounds)" in captured.err
    assert "shop/domain/order.py:1:1: IL101" in captured.out


def test_a_panic_for_ctrl_c_outside_the_graph_exits_130(capsys: pytest.CaptureFixture[str]) -> None:
    def command_line(standalone_mode: bool) -> int:
        raise _panic("KeyboardInterrupt")

    assert entry._run(command_line) == entry.EXIT_INTERRUPTED
    assert capsys.readouterr().err.strip() == "Aborted!"
