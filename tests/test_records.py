"""`infralint.records` answers as the dataclasses it replaced did: equality,
hash, repr, immutability, copies and pickling."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path
from typing import Any, List, Optional, Tuple

import pytest

from infralint.findings import Finding, ImportLink
from infralint.layers import LayerModel
from infralint.records import FrozenRecord, Record
from infralint.settings import Settings
from infralint.suppressions import SuppressedCode, Suppression


@dataclasses.dataclass(frozen=True)
class FrozenPoint:
    x: int
    y: Optional[int] = None
    label: str = dataclasses.field(default="", compare=False, repr=False)


class FrozenPointRecord(FrozenRecord):
    __slots__ = ("x", "y", "label")
    _fields = ("x", "y")

    def __init__(self, x: int, y: Optional[int] = None, label: str = "") -> None:
        self._assign(x, y, label)


@dataclasses.dataclass
class Bag:
    items: List[int]
    size: int = 0


class BagRecord(Record):
    __slots__ = ("items", "size", "_cache")

    def __init__(self, items: List[int], size: int = 0) -> None:
        self.items = items
        self.size = size
        self._cache: Any = None


def _shown(value: object) -> str:
    return repr(value).split("(", 1)[1]  # the class names differ


def test_frozen_record_compares_hashes_and_shows_its_fields_like_a_frozen_dataclass() -> None:
    pairs = [(FrozenPoint(1, 2, "a"), FrozenPointRecord(1, 2, "a")), (FrozenPoint(1), FrozenPointRecord(1))]
    for (dataclass_one, record_one) in pairs:
        for (dataclass_two, record_two) in pairs:
            assert (dataclass_one == dataclass_two) == (record_one == record_two)
            assert (dataclass_one != dataclass_two) == (record_one != record_two)
        assert _shown(dataclass_one) == _shown(record_one)
    # Fields left out of equality are left out of the hash too.
    assert FrozenPointRecord(1, 2, "a") == FrozenPointRecord(1, 2, "b")
    assert len({FrozenPointRecord(1, 2, "a"), FrozenPointRecord(1, 2, "b")}) == 1
    assert FrozenPointRecord(1, 2) != (1, 2) and FrozenPointRecord(1, 2) != FrozenPoint(1, 2)


def test_frozen_record_refuses_changes_as_a_frozen_dataclass() -> None:
    point = FrozenPointRecord(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x
    with pytest.raises(AttributeError):
        point.z = 3  # type: ignore[attr-defined]
    assert point.x == 1


def test_mutable_record_compares_its_fields_and_is_unhashable() -> None:
    assert BagRecord([1], 1) == BagRecord([1], 1) and BagRecord([1]) != BagRecord([2])
    assert _shown(Bag([1], 1)) == _shown(BagRecord([1], 1))
    record = BagRecord([1])
    record._cache = "internal state is not compared"
    assert record == BagRecord([1])
    with pytest.raises(TypeError):
        hash(record)


def test_replace_keeps_the_fields_not_named() -> None:
    point = FrozenPointRecord(1, 2, "a")
    moved = point._replace(y=5)
    assert (moved.x, moved.y, moved.label) == (1, 5, "a")
    assert (point.x, point.y) == (1, 2)
    with pytest.raises(TypeError):
        point._replace(z=1)


def test_records_survive_pickling_and_copies_with_uncompared_fields() -> None:
    chain = (ImportLink("a", "b", 3),)
    finding = Finding("IL103", "chain", "message", "a.py", 1, 1, 1, 5, statement_line=1, chain=chain)
    model = LayerModel.default()
    settings = Settings(Path("root"), layers=model, branch={"pattern": "x"})
    suppression = Suppression(1, "ignore", 0, 10, [SuppressedCode("IL101", 3, 8, used=True)])
    for record in (finding, model, settings, suppression, BagRecord([1], 2)):
        for twin in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
            assert twin == record and type(twin) is type(record)
    restored = pickle.loads(pickle.dumps(finding))
    assert (restored.statement_line, restored.chain) == (1, chain)
    assert pickle.loads(pickle.dumps(model)).is_layer_name("domain")


def test_a_finding_is_shown_and_compared_without_its_chain_and_statement_line() -> None:
    finding = Finding("IL101", "name", "message", "a.py", 2, 1, 2, 9, statement_line=2)
    same_place = Finding("IL101", "name", "message", "a.py", 2, 1, 2, 9, chain=(ImportLink("a", "b", None),))
    assert finding == same_place and hash(finding) == hash(same_place)
    assert repr(finding) == (
        "Finding(code='IL101', name='name', message='message', path='a.py', line=2, column=1, end_line=2,"
        " end_column=9, fix=None)"
    )


def test_settings_defaults_are_fresh_per_instance() -> None:
    one, two = Settings(Path(".")), Settings(Path("."))
    assert one == two
    assert one.branch is not two.branch and one.rule_options is not two.rule_options
    fields: Tuple[str, ...] = Settings._fields
    assert fields[0] == "root" and "rule_options" in fields
