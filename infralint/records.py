"""Record classes without `dataclasses`' import-time cost.

A ``@dataclass`` writes the source of its methods and compiles it when its
module is imported (about 1 ms a class; a one-file check imported over 20);
a ``typing.NamedTuple`` still costs ~0.2 ms (it compiles each string
annotation, and ``collections.namedtuple`` evaluates a constructor). The
records subclass `Record` (mutable) or `FrozenRecord` instead: plain classes
with ``__slots__`` and a hand-written ``__init__``, whose equality, hash,
``repr`` and pickling come from here, answering as the dataclass did (no
tuple behaviour: a record equals only a record of its own class).

A subclass lists every attribute in ``__slots__``, in ``__init__``'s order of
parameters; the names without a leading underscore are ``__init__``'s
parameters (those with one are internal state, such as caches). ``_fields``,
by default those same names, are what equality, hash and ``repr`` read.
``_replace`` and ``_fields`` are named as on a ``NamedTuple``, so code that
copies or walks a record treats both kinds alike.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, ClassVar, Tuple, TypeVar

_R = TypeVar("_R", bound="Record")


class Record:
    """A mutable record: compared field by field with records of its own
    class only, and unhashable, as a mutable dataclass."""

    __slots__ = ()
    _fields: ClassVar[Tuple[str, ...]]
    _parameters: ClassVar[Tuple[str, ...]]
    # The `_fields` of a record (an attrgetter: called with the record, as it
    # is no method).
    _field_values: ClassVar[Callable[[Any], Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._parameters = tuple(name for name in cls.__slots__ if not name.startswith("_"))
        if "_fields" not in cls.__dict__:
            cls._fields = cls._parameters
        if cls._fields:  # not for an intermediate base such as FrozenRecord
            # attrgetter returns a bare value for one name: equality and hash
            # only need it to be the same for equal records.
            cls._field_values = attrgetter(*cls._fields)

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values(self) == other._field_values(other)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __reduce__(self) -> Tuple[type, Tuple[Any, ...]]:
        # Rebuilt through __init__: internal state (a cache) is recomputed.
        return (type(self), tuple(getattr(self, name) for name in self._parameters))

    def _replace(self: _R, **changes: Any) -> _R:
        """A copy with ``changes``, as ``dataclasses.replace`` made one."""
        arguments = {name: getattr(self, name) for name in self._parameters}
        arguments.update(changes)
        return type(self)(**arguments)


class FrozenRecord(Record):
    """An immutable, hashable record. ``__init__`` sets the slots with
    `_assign`; assigning an attribute afterwards raises
    ``dataclasses.FrozenInstanceError``, as a frozen dataclass does."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._field_values(self))

    def _assign(self, *values: Any) -> None:
        """Set the slots, in their order, to ``values``."""
        for name, value in zip(self.__slots__, values):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise _frozen(name)

    def __delattr__(self, name: str) -> None:
        raise _frozen(name)


def _frozen(name: str) -> AttributeError:
    # Imported only here: the error is what callers of the dataclass caught.
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(f"cannot assign to field {name!r}")
