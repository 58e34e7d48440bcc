"""The layer model: which layers exist, in which order, and how a module
is assigned to one (STANDARD.md, "Layers")."""

from __future__ import annotations

from typing import Dict, Iterable, Mapping, Optional, Sequence, Tuple

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

    def layer_of_parts(self, parts: Iterable[str]) -> Optional[Layer]:
        """The layer of the deepest part that is a layer name, if any."""
        by_name = self._index
        found = None
        for part in parts:
            layer = by_name.get(part.lower())
            if layer is not None:
                found = layer
        return found

    def layer_of_module(self, dotted: str) -> Optional[Layer]:
        return self.layer_of_parts(dotted.split("."))

    def is_layer_name(self, part: str) -> bool:
        return part.lower() in self._index

    def by_kind(self, kind: str) -> Optional[Layer]:
        return next((layer for layer in self.layers if layer.kind == kind), None)
