"""Property test: for generated modules (hypothesmith), with and without a
fixable snippet mixed in, ``--fix --unsafe-fixes`` output always parses and
fixing it again changes nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from infralint.engine import Engine
from infralint.findings import Applicability
from infralint.fixes import fix_file
from infralint.project import Project
from infralint.settings import Settings
from tests.test_fix_pairs import PAIRS

SNIPPETS = [before for before, _ in PAIRS.values()]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("generated")
    (root / "shop" / "infrastructure").mkdir(parents=True)
    settings = Settings.default(root).with_changes(layers_configured=True)
    return Engine(Project(settings), cwd=root)


def _mixed(generated: str, snippet: str, snippet_first: bool) -> str:
    if snippet_first:
        return snippet + generated
    separator = "" if not generated or generated.endswith(("\n", "\r")) else "\n"
    return generated + separator + snippet


# Generated code is often odd (`True()`): the compiler's warnings say so.
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated=hypothesmith.from_grammar(), snippet=st.sampled_from(["", *SNIPPETS]), snippet_first=st.booleans())
def test_fixed_output_parses_and_a_second_fix_is_a_no_op(
    engine: Engine, generated: str, snippet: str, snippet_first: bool
) -> None:
    source = _mixed(generated, snippet, snippet_first)
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):  # the grammar allows a few things the compiler rejects
        return
    path = engine.project.root / "shop" / "infrastructure" / "generated.py"
    first = fix_file(engine, path, Applicability.UNSAFE, source.encode("utf-8"))
    assert first.fixed_text is not None
    ast.parse(first.fixed_text)
    event(f"fixes applied: {sum(first.applied.values()) > 0}")
    second = fix_file(engine, path, Applicability.UNSAFE, first.fixed_text.encode("utf-8"))
    assert second.fixed_text == first.fixed_text
    assert not second.applied and not second.warnings
