"""The prefiltered pattern lists answer exactly as pathspec does."""

from __future__ import annotations

from typing import List

import pathspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infralint.pathspecs import KNOWN_REGEXES, PrefilteredSpec, gitignore_patterns
from infralint.settings import DEFAULT_EXCLUDE, DEFAULT_TEST_PATHS

PATTERNS = [
    [],
    ["tests/", "test_*.py", "*_test.py", "conftest.py"],
    ["build", "/dist/", "**/migrations/**", "!keep/migrations/**", "docs/*.py", "# a comment", ""],
    ["*.pyi", "[ab]?.py", r"\#literal.py", "deep/**/x.py"],
    ["Generated/*", "!Generated/keep.py"],
    [*DEFAULT_EXCLUDE, "docs/*.py", *DEFAULT_TEST_PATHS],
    [*DEFAULT_EXCLUDE, "!tests/keep.py", *DEFAULT_TEST_PATHS],
]

PATHS = [
    "app.py", "tests/", "tests/test_a.py", "pkg/test_b.py", "pkg/b_test.py", "conftest.py", "a/conftest.py",
    "build/", "src/build/x.py", "dist/", "src/dist/", "app/migrations/0001.py", "keep/migrations/0001.py",
    "docs/conf.py", "docs/sub/conf.py", "stubs/x.pyi", "a1.py", "c1.py", "#literal.py", "deep/x.py",
    "deep/a/b/x.py", "Generated/", "Generated/a.py", "Generated/keep.py", "generated/a.py",
]


@pytest.mark.parametrize("lines", PATTERNS)
def test_same_answers_as_pathspec(lines: List[str]) -> None:
    expected = pathspec.GitIgnoreSpec.from_lines(lines)
    spec = PrefilteredSpec(lines)
    assert [spec.match_file(path) for path in PATHS] == [expected.match_file(path) for path in PATHS]


# Path components near the default patterns' names, and some far from them.
COMPONENTS = [
    ".git", "git", "a.git", ".gitx", ".venv", "venv", "venvs", "build", "rebuild", "dist", "x.egg-info", ".egg-info",
    "egg-info", "tests", "test", "testsx", "test_a.py", "test_.py", "test_a.pyc", "a_test.py", "_test.py",
    "conftest.py", "node_modules", "__pycache__", ".tox", ".mypy_cache", ".infralint_cache", "a", "b.py", "", "\n",
]


@given(
    st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=5),
    st.booleans(),
    st.sampled_from(PATTERNS[-2:]),
)
def test_the_default_patterns_merged_answer_as_pathspec(components: List[str], directory: bool, lines: List[str]) -> None:
    path = "/".join(components) + ("/" if directory else "")
    assert PrefilteredSpec(lines).match_file(path) == pathspec.GitIgnoreSpec.from_lines(lines).match_file(path)


def test_most_paths_are_answered_without_pathspec(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = PrefilteredSpec(["tests/", "test_*.py", "!tests/keep.py"])
    asked: List[str] = []
    real = pathspec.GitIgnoreSpec.match_file
    monkeypatch.setattr(pathspec.GitIgnoreSpec, "match_file", lambda self, path: asked.append(path) or real(self, path))
    assert [spec.match_file(p) for p in ("app/models.py", "app/", "tests/test_a.py")] == [False, False, True]
    assert asked == ["tests/test_a.py"]


def test_without_negations_a_match_needs_no_pathspec(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = PrefilteredSpec(["tests/", "test_*.py"])
    monkeypatch.setattr(pathspec.GitIgnoreSpec, "match_file", lambda self, path: pytest.fail(f"pathspec asked for {path}"))
    assert [spec.match_file(p) for p in ("app/models.py", "tests/test_a.py", "pkg/test_b.py")] == [False, True, True]


def test_the_default_patterns_regexes_are_known() -> None:
    assert set(DEFAULT_EXCLUDE + DEFAULT_TEST_PATHS) <= set(KNOWN_REGEXES)


@pytest.mark.parametrize("line", sorted(KNOWN_REGEXES))
def test_known_regexes_are_those_of_pathspec(line: str) -> None:
    expected = [(p.include, p.regex.pattern, p.regex.flags) for p in pathspec.GitIgnoreSpec.from_lines([line]).patterns]
    assert [(p.include, p.regex, p.flags) for p in gitignore_patterns(line)] == expected


@pytest.mark.parametrize("line", ["docs/*.py", "!keep.py", "# a comment", "", "deep/**/x.py"])
def test_other_lines_are_read_by_pathspec(line: str) -> None:
    expected = [(p.include, p.regex.pattern) for p in pathspec.GitIgnoreSpec.from_lines([line]).patterns if p.include is not None]
    assert [(p.include, p.regex) for p in gitignore_patterns(line)] == expected
