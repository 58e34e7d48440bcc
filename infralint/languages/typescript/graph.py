"""TypeScript's import graph, built by infralint (Python's is grimp's):
first-party files and the files they import, resolved as for IL101. It
gives IL103 its chains (within TypeScript: a chain never crosses into
Python) and `infralint layers` its TypeScript modules and edges.

A file's imports come from its lint when this run linted it
(`imports_of`, through the engine), else from a parse with the imports
query alone."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from infralint.findings import ImportLink
from infralint.graph import Chain, LayerEdge, count_layer_edges
from infralint.filetypes import is_typescript_name
from infralint.layers import Layer
from infralint.project import Project

if TYPE_CHECKING:
    from infralint.languages.typescript.parser import Tree


class Edge(NamedTuple):
    """One import of a file: the file it names (absolute) and its line."""

    target: str
    line: int


def imports_of(file: "object") -> List[Edge]:
    """The first-party imports of a linted `TsFile`, for the graph."""
    from infralint.languages.typescript.checks.base import TsFile

    assert isinstance(file, TsFile)
    edges = []
    for imported in file.module.imports:
        resolved = file.resolver.resolve(file.path, imported.specifier)
        if resolved is not None:
            edges.append(Edge(resolved, imported.node.start_point[0] + 1))
    return edges


def parse_imports(project: Project, path: str) -> List[Edge]:
    """A file's first-party imports, parsed with the imports query."""
    from infralint.languages.typescript import parser

    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError:
        return []  # reported by the per-file run
    tree, grammar = parser.parse(data, path)
    return tree_imports(project, path, tree, grammar)


def tree_imports(project: Project, path: str, tree: "Tree", grammar: str) -> List[Edge]:
    """The first-party imports the imports query finds in a parsed file
    (one that does not parse too: its lint records them, so the graph
    does not parse it again)."""
    from infralint.languages.typescript import parser
    from infralint.languages.typescript.checks.base import resolver_for
    from infralint.languages.typescript.front_end import string_value

    resolver = resolver_for(project)
    edges = []
    for _, captures in parser.matches(grammar, "imports", tree.root_node):
        source = captures.get("source")
        if source:
            resolved = resolver.resolve(path, string_value(source[0]))
            if resolved is not None:
                edges.append(Edge(resolved, source[0].start_point[0] + 1))
    return edges


class TsGraph:
    """The run's TypeScript files (tests aside) and their imports."""

    def __init__(self, project: Project, edges: Mapping[str, List[Edge]]) -> None:
        self.project = project
        self.edges = edges
        self.relative: Dict[str, str] = {path: project.relative(Path(path)) for path in edges}
        self._sorted: Dict[str, List[Edge]] = {}
        self._searched: Dict[Tuple[str, int], Dict[Layer, List[Tuple[str, Edge]]]] = {}
        self.layers: Dict[str, Layer] = {}
        for path in edges:
            layer = project.file_info(Path(path)).layer
            if layer is not None:
                self.layers[path] = layer

    @classmethod
    def build(cls, project: Project, files: Iterable[Path], known: Mapping[str, List[Edge]]) -> "TsGraph":
        """``known``: imports the run's lint recorded, by absolute path."""
        edges: Dict[str, List[Edge]] = {}
        for file in files:
            path = os.path.abspath(file)
            if not is_typescript_name(file.name) or project.is_test(project.relative(file)):
                continue
            recorded = known.get(path)
            edges[path] = list(recorded) if recorded is not None else parse_imports(project, path)
        return cls(project, edges)

    def modules_by_layer(self) -> Dict[Optional[Layer], List[str]]:
        grouped: Dict[Optional[Layer], List[str]] = {}
        for path in sorted(self.edges, key=self.relative.__getitem__):
            grouped.setdefault(self.layers.get(path), []).append(self.relative[path])
        return grouped

    def layer_edges(self, chains: Sequence[Chain] = ()) -> List[LayerEdge]:
        direct = (
            (importer_layer, self.layers.get(edge.target))
            for importer, importer_layer in self.layers.items()
            for edge in self.edges[importer]
        )
        return count_layer_edges(direct, chains)

    # IL103 ------------------------------------------------------------------
    def illegal_chains(self) -> List[Chain]:
        """Per import of a layered file into a file of no layer, per outer
        layer reached through files of no layer only: the shortest chain
        (the first in name order when several are as short)."""
        chains: List[Chain] = []
        for start in sorted(self.layers, key=self.relative.__getitem__):
            layer = self.layers[start]
            for edge in self.edges[start]:
                if edge.target in self.layers or edge.target not in self.edges:
                    continue  # direct imports are IL101's; files outside the run are not followed
                for outer, route in self._reached(edge.target, layer).items():
                    links = [ImportLink(self.relative[start], self.relative[edge.target], edge.line)]
                    links.extend(
                        ImportLink(self.relative[a], self.relative[b.target], b.line) for a, b in route
                    )
                    chains.append(Chain(layer, outer, tuple(links), Path(start)))
        return chains

    def _reached(self, first: str, inner: Layer) -> Dict[Layer, List[Tuple[str, Edge]]]:
        """The outer layers reachable from ``first`` (a file of no layer)
        through files of no layer, each with the shortest route; searched
        once per file and layer rank (many files import the same helpers)."""
        key = (first, inner.rank)
        found = self._searched.get(key)
        if found is None:
            found = self._searched[key] = self._search(first, inner)
        return found

    def _search(self, first: str, inner: Layer) -> Dict[Layer, List[Tuple[str, Edge]]]:
        routes: Dict[str, List[Tuple[str, Edge]]] = {first: []}
        found: Dict[Layer, List[Tuple[str, Edge]]] = {}
        queue = deque([first])
        while queue:
            current = queue.popleft()
            for edge in self._sorted_edges(current):
                target = edge.target
                layer = self.layers.get(target)
                if layer is not None:
                    if layer.is_outer_to(inner) and layer not in found:
                        found[layer] = routes[current] + [(current, edge)]
                    continue  # a chain through another layer is that layer's
                if target in self.edges and target not in routes:
                    routes[target] = routes[current] + [(current, edge)]
                    queue.append(target)
        return found

    def _sorted_edges(self, path: str) -> List[Edge]:
        """A file's imports in the order of their targets' names, sorted
        once a run (every chain search through the file reads them)."""
        found = self._sorted.get(path)
        if found is None:
            relative = self.relative
            found = self._sorted[path] = sorted(self.edges.get(path, ()), key=lambda e: relative.get(e.target, e.target))
        return found
