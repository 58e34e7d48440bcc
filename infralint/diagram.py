"""`infralint layers`: the layers of a project with their modules, and the
dependencies between layers, as text, a Mermaid flowchart or Graphviz DOT.

The report is plain data built from the import graph; each renderer only
formats it. The diagrams draw the layers top down, outer to inner, so that
allowed edges point down; violating edges are red: solid for direct
imports (IL101), dashed for chains through modules of no layer (IL103).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from infralint.graph import Chain, LayerEdge, ProjectGraph
from infralint.layers import Layer, LayerModel

try:
    from typing import Protocol
except ImportError:  # Python 3.7 only; infralint needs 3.9
    Protocol = object  # type: ignore[assignment,misc]


class LayerGraph(Protocol):
    """What a report reads of an import graph (grimp's or TypeScript's)."""

    def modules_by_layer(self) -> Dict[Optional[Layer], List[str]]: ...

    def illegal_chains(self) -> List[Chain]: ...

    def layer_edges(self, chains: Sequence[Chain] = ()) -> List[LayerEdge]: ...

FORMATS = ("text", "mermaid", "dot")
VIOLATION_COLOUR = "red"


@dataclass(frozen=True)
class LayerReport:
    # Every layer of the model, outer to inner, with its modules (sorted).
    layers: Tuple[Tuple[Layer, Tuple[str, ...]], ...]
    unlayered: Tuple[str, ...]
    edges: Tuple[LayerEdge, ...]

    @classmethod
    def from_graph(cls, graph: ProjectGraph) -> "LayerReport":
        return cls.from_graphs(graph.project.layers, [graph])

    @classmethod
    def from_graphs(cls, model: LayerModel, graphs: Sequence["LayerGraph"]) -> "LayerReport":
        """One report over several graphs (Python's and TypeScript's): their
        modules side by side, their layer-to-layer counts added."""
        grouped: Dict[Optional[Layer], List[str]] = {}
        counts: Dict[Tuple[Layer, Layer], List[int]] = {}
        for graph in graphs:
            for layer, modules in graph.modules_by_layer().items():
                grouped.setdefault(layer, []).extend(modules)
            for edge in graph.layer_edges(graph.illegal_chains()):
                total = counts.setdefault((edge.importer, edge.imported), [0, 0])
                total[0] += edge.imports
                total[1] += edge.chains
        layers = tuple((layer, tuple(sorted(grouped.get(layer, ())))) for layer in model.layers)
        pairs = sorted(counts, key=lambda pair: (pair[0].rank, pair[1].rank))
        edges = tuple(LayerEdge(a, b, *counts[(a, b)]) for a, b in pairs)
        return cls(layers, tuple(sorted(grouped.get(None, ()))), edges)


def render(report: LayerReport, output_format: str) -> str:
    renderers: Dict[str, Callable[[LayerReport], str]] = {
        "text": render_text,
        "mermaid": render_mermaid,
        "dot": render_dot,
    }
    return renderers[output_format](report)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _edge_labels(edge: LayerEdge) -> List[Tuple[str, bool]]:
    """(label, dashed) for each line drawn for an edge: one for direct
    imports, one for IL103 chains."""
    labels = []
    if edge.imports:
        labels.append((_count(edge.imports, "import"), False))
    if edge.chains:
        labels.append((_count(edge.chains, "chain"), True))
    return labels


# Text -------------------------------------------------------------------------
def render_text(report: LayerReport) -> str:
    lines = ["Layers, outer to inner:"]
    for layer, modules in report.layers:
        kind = f" ({layer.kind})" if layer.kind and layer.kind != layer.name else ""
        lines.append(f"  {layer.name}{kind}: {_count(len(modules), 'module')}")
        lines.extend(f"    {module}" for module in modules)
    lines.append(f"  no layer: {_count(len(report.unlayered), 'module')}")
    lines.extend(f"    {module}" for module in report.unlayered)
    lines.append("")
    if not report.edges:
        lines.append("Dependencies between layers: none.")
        return "\n".join(lines)
    lines.append("Dependencies between layers:")
    for edge in report.edges:
        for label, dashed in _edge_labels(edge):
            verdict = f"  violation ({'IL103' if dashed else 'IL101'})" if edge.violating else ""
            lines.append(f"  {edge.importer.name} -> {edge.imported.name}: {label}{verdict}")
    return "\n".join(lines)


# Mermaid ----------------------------------------------------------------------
def _node_ids(report: LayerReport) -> Dict[Layer, str]:
    """Layer names may hold any character; node ids are ``layer<rank>``."""
    return {layer: f"layer{layer.rank}" for layer, _ in report.layers}


def render_mermaid(report: LayerReport) -> str:
    ids = _node_ids(report)
    lines = ["flowchart TB"]
    for layer, modules in report.layers:
        lines.append(f'    {ids[layer]}["{_mermaid_text(layer.name)}<br/>{_count(len(modules), "module")}"]')
    # Invisible links, outer to inner, keep the layers in order top down
    # whatever the violating edges point at; they count as links for linkStyle.
    order = [ids[layer] for layer, _ in report.layers]
    lines.extend(f"    {outer} ~~~ {inner}" for outer, inner in zip(order, order[1:]))
    violating: List[int] = []
    index = max(len(order) - 1, 0)
    for edge in report.edges:
        for label, dashed in _edge_labels(edge):
            arrow = "-.->" if dashed else "-->"
            lines.append(f'    {ids[edge.importer]} {arrow}|"{label}"| {ids[edge.imported]}')
            if edge.violating:
                violating.append(index)
            index += 1
    if violating:
        lines.append(
            f"    linkStyle {','.join(map(str, violating))} stroke:{VIOLATION_COLOUR},color:{VIOLATION_COLOUR}"
        )
    return "\n".join(lines)


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes become entity codes."""
    return text.replace('"', "#quot;")


# Graphviz DOT -----------------------------------------------------------------
def render_dot(report: LayerReport) -> str:
    ids = _node_ids(report)
    lines = ["digraph layers {", "    rankdir=TB;", "    node [shape=box];"]
    for layer, modules in report.layers:
        lines.append(f'    {ids[layer]} [label="{_dot_text(layer.name)}\\n{_count(len(modules), "module")}"];')
    # Invisible edges keep the layers in order, outer on top; violating
    # edges point upwards and do not move them (constraint=false).
    order = [ids[layer] for layer, _ in report.layers]
    lines.extend(f"    {outer} -> {inner} [style=invis];" for outer, inner in zip(order, order[1:]))
    for edge in report.edges:
        for label, dashed in _edge_labels(edge):
            attributes = [f'label="{label}"']
            if edge.violating:
                attributes += [f"color={VIOLATION_COLOUR}", f"fontcolor={VIOLATION_COLOUR}", "constraint=false"]
            if dashed:
                attributes.append("style=dashed")
            lines.append(f"    {ids[edge.importer]} -> {ids[edge.imported]} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def no_layers_message(model: LayerModel, configured: bool) -> str:
    """What `infralint layers` says about a project with fewer than two
    layers, where the layer rules have nothing to check."""
    if configured and len(model.layers) == 1:
        # Its rules still run in `check`: only the picture needs two.
        return (
            f"One layer, {model.layers[0].name}: its rules apply, but imports between layers need two or more "
            "in the configured [tool.infralint.layers] order."
        )
    if configured:
        return "No layers: the configured [tool.infralint.layers] order names none."
    names = "; ".join(f"{layer.name}: {', '.join(layer.names)}" for layer in model.layers)
    return (
        "No layers detected: packages named after at least two layers are needed "
        f"({names}). Name yours under [tool.infralint.layers]."
    )
