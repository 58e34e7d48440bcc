"""`lazy_regex` compiles its pattern on first use, then behaves as it."""

from __future__ import annotations

import re

import pytest

from infralint.lazyregex import lazy_regex


def test_nothing_is_compiled_until_the_pattern_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *arguments: compiled.append(arguments) or real(*arguments))
    word = lazy_regex(r"[a-z]+", re.IGNORECASE)
    assert compiled == []
    assert word.findall("Ab, cd!") == ["Ab", "cd"]
    assert compiled == [("[a-z]+", re.IGNORECASE)]
    assert word.findall("ef") == ["ef"]  # the method is kept: not looked up again
    assert len(compiled) == 1
    assert word.match("1") is None and word.pattern == "[a-z]+" and word.flags & re.IGNORECASE


def test_an_invalid_pattern_fails_when_used() -> None:
    broken = lazy_regex("(")
    with pytest.raises(re.error):
        broken.search("(")
