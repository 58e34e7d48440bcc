"""The layer model: which layers exist, in which order, and how a module
is assigned to one (STANDARD.md, "Layers")."""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, Mapping, Optional, Sequence, Tuple

from infralint.records import FrozenRecord

# The layer kinds rules are scoped to. A configured layer may have no kind.
INTERFACE = "interface"
INFRASTRUCTURE = "infrastructure"
APPLICATION = "application"
DOMAIN = "domain"
STANDARD_KINDS = (INTERFACE, INFRASTRUCTURE, APPLICATION, DOMAIN)
# Scopes besides the kinds: no layer (or a layer without a kind), and tests.
OTHER = "other"
TESTS = "tests"

DEFAULT_LAYER_NAMES: Dict[str, Tuple[str, ...]] = {
    INTERFACE: ("entrypoints", "presentation", "interfaces"),
    INFRASTRUCTURE: ("infrastructure", "infra", "adapters", "adapter"),
    APPLICATION: (
        "application",
        "service_layer",
        "use_cases",
        "usecases",
        "usecase",
        "use_case",
    ),
    DOMAIN: ("domain", "domains", "entities"),
}


class Layer(FrozenRecord):
    __slots__ = ("name", "kind", "names", "rank")

    name: str
    kind: Optional[str]
    names: Tuple[str, ...]
    # Position in the order, 0 = outermost.
    rank: int

    def __init__(self, name: str, kind: Optional[str], names: Tuple[str, ...], rank: int) -> None:
        self._assign(name, kind, names, rank)

    def is_outer_to(self, other: "Layer") -> bool:
        return self.rank < other.rank


class LayerModel(FrozenRecord):
    __slots__ = ("layers", "_index")

    layers: Tuple[Layer, ...]
    _index: Dict[str, Layer]

    def __init__(self, layers: Tuple[Layer, ...]) -> None:
        self._assign(layers, {name: layer for layer in layers for name in layer.names})

    @classmethod
    def default(cls) -> "LayerModel":
        return cls.build(STANDARD_KINDS, {}, {})

    @classmethod
    def empty(cls) -> "LayerModel":
        return cls(())

    @classmethod
    def build(
        cls,
        order: Sequence[str],
        names: Mapping[str, Sequence[str]],
        kinds: Mapping[str, str],
    ) -> "LayerModel":
        layers = []
        for rank, layer_name in enumerate(order):
            default_names = DEFAULT_LAYER_NAMES.get(layer_name, (layer_name,))
            layer_names = tuple(n.lower() for n in names.get(layer_name, default_names))
            kind = kinds.get(layer_name, layer_name if layer_name in STANDARD_KINDS else None)
            layers.append(Layer(layer_name, kind, layer_names, rank))
        return cls(tuple(layers))

    def deciding_part(self, parts: Sequence[str], top_level_is_layer: bool = False) -> Optional[int]:
        """The index of the part that decides the layer of a module with
        these parts (dotted name, or directories), if any: the outermost
        part that is a layer name, except that the first part (the
        top-level package) counts only when nothing below it matches, so
        a project whose package is called `infra` keeps `infra/domain/` as
        domain. ``top_level_is_layer``: the project's layers are top-level
        packages (`domain/`, `infrastructure/` side by side), so the first
        part is a layer like any other."""
        by_name = self._index
        if not by_name or not parts:
            return None
        for position in range(0 if top_level_is_layer else 1, len(parts)):
            if parts[position].lower() in by_name:
                return position
        return 0 if parts[0].lower() in by_name else None

    def layer_of_parts(self, parts: Sequence[str], top_level_is_layer: bool = False) -> Optional[Layer]:
        """The layer of the part `deciding_part` chooses (outermost wins)."""
        position = self.deciding_part(parts, top_level_is_layer)
        return None if position is None else self._index[parts[position].lower()]

    def layer_of_module(self, dotted: str, top_level_is_layer: bool = False) -> Optional[Layer]:
        return self.layer_of_parts(dotted.split("."), top_level_is_layer)

    def named(self, lowered: str) -> Optional[Layer]:
        """The layer one of whose names is ``lowered`` (already lower case)."""
        return self._index.get(lowered)

    def is_layer_name(self, part: str) -> bool:
        return part.lower() in self._index

    def by_kind(self, kind: str) -> Optional[Layer]:
        return next((layer for layer in self.layers if layer.kind == kind), None)


class CompositionRoots(FrozenRecord):
    """The modules that wire the layers together and belong to no layer
    (STANDARD.md, "Layers"): modules with one of ``modules``' names (a
    package's `__init__` by its package's name), and every module inside a
    package with one of ``packages``' names; names in lower case. The
    project applies them (`Project.is_composition_root`)."""

    __slots__ = ("modules", "packages")

    modules: FrozenSet[str]
    packages: FrozenSet[str]

    def __init__(self, modules: Iterable[str], packages: Iterable[str]) -> None:
        self._assign(frozenset(name.lower() for name in modules), frozenset(name.lower() for name in packages))

    def without_packages(self, names: Iterable[str]) -> "CompositionRoots":
        excluded = {name.lower() for name in names}
        if not excluded & self.packages:
            return self
        return CompositionRoots(self.modules, self.packages - excluded)
