"""The project's first-party import graph (built by grimp) seen through the
layer model: which module is in which layer, which chains of imports break
the layer order (IL103), and how many imports go from layer to layer
(`infralint layers`).

grimp is imported only when a graph is built: single-file runs and
``infralint --version`` never pay for it.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from infralint.errors import GraphError, InfralintError
from infralint.findings import ImportLink
from infralint.interrupts import interruption_behind
from infralint.layers import Layer
from infralint.project import Project

if TYPE_CHECKING:
    import grimp


@dataclass(frozen=True)
class Chain:
    """Imports that lead from a module of one layer, through modules of no
    layer, to a module of a layer outer to it."""

    importer_layer: Layer
    imported_layer: Layer
    links: Tuple[ImportLink, ...]
    # The file of the first module of the chain, where it is reported.
    path: Path

    @property
    def modules(self) -> Tuple[str, ...]:
        return (self.links[0].importer, *(link.imported for link in self.links))

    def render(self) -> str:
        return " -> ".join(self.modules)


@dataclass(frozen=True)
class LayerEdge:
    """Dependencies of one layer on another: direct imports between their
    modules, and IL103 chains."""

    importer: Layer
    imported: Layer
    imports: int
    chains: int

    @property
    def violating(self) -> bool:
        return self.imported.is_outer_to(self.importer)


class ProjectGraph:
    """The import graph of a project's first-party packages, with the layer
    of every module that is linted (tests and excluded files have none)."""

    def __init__(self, graph: "grimp.ImportGraph", project: Project, files: Dict[str, Path]) -> None:
        self.graph = graph
        self.project = project
        # Module -> file, for the modules that are linted and not tests.
        self.files = files
        self.layers: Dict[str, Layer] = {}
        for module, path in files.items():
            # As the file's own lint assigns it: composition roots and
            # Alembic's env.py are in no layer.
            layer = project.file_info(path).layer
            if layer is not None:
                self.layers[module] = layer

    @classmethod
    def build(
        cls,
        project: Project,
        linted: Collection[Path],
        cache_dir: Optional[Path],
        packages: Optional[Mapping[str, Sequence[Path]]] = None,
    ) -> "ProjectGraph":
        """The graph of the first-party packages that hold ``linted`` files
        (the run's discovered files); only those files, tests aside, get a
        layer. ``packages``: those packages' `graph_packages`, when the
        caller found them already."""
        try:
            import grimp
            from grimp.exceptions import SourceSyntaxError
        except ImportError as error:  # an install from before grimp was a dependency
            raise GraphError("grimp is not installed; reinstall infralint (or pip install 'grimp>=3.2')") from error

        sources = graph_sources(project, linted)
        package_directories = graph_packages(project, sources) if packages is None else packages
        if not package_directories:
            return cls(grimp.ImportGraph(), project, {})
        from infralint.grimp_files import confined_to

        directories = (directory.parent for directories in package_directories.values() for directory in directories)
        with importable(directories), confined_to(str(project.root), project.settings.max_file_size):
            try:
                graph = _build_graph(sorted(package_directories), cache_dir)
            except SourceSyntaxError as error:
                where = f"{project.relative(Path(error.filename))}:{error.lineno or 1}"
                raise GraphError(f"{where}: syntax error, the import graph cannot be built") from error
            except UnicodeError as error:
                # grimp reads every module as UTF-8 (the file's own IL001 says more).
                reason = " ".join(str(error).split())[:300]
                raise GraphError(f"grimp cannot read a module ({reason}); the import graph cannot be built") from error
            except BaseException as error:
                # grimp's Rust core reports what it cannot handle by a panic
                # (a BaseException): the graph's checks are skipped, the run goes on.
                if type(error).__name__ != "PanicException":
                    raise
                interruption = interruption_behind(error)
                if interruption is not None:  # Ctrl-C or SIGTERM during the scan stops the run
                    raise interruption from error
                reason = " ".join(str(error).split())[:200]
                raise GraphError(f"grimp failed on the project ({reason}); the import graph cannot be built") from error
        files: Dict[str, Path] = {}
        for module in graph.modules:
            path = module_file(module, package_directories)
            if path is not None and path in sources:
                files[module] = path
        return cls(graph, project, files)

    # Layers ---------------------------------------------------------------
    def modules_by_layer(self) -> Dict[Optional[Layer], List[str]]:
        """Linted modules grouped by layer (None: no layer), sorted."""
        grouped: Dict[Optional[Layer], List[str]] = {}
        for module in sorted(self.files):
            grouped.setdefault(self.layers.get(module), []).append(module)
        return grouped

    def _layer_roots(self) -> Tuple[Dict[Layer, List[str]], bool]:
        """The packages (or modules) that make up each layer for grimp (the
        module name up to its deepest layer name), and whether a layer
        package is nested in another one's (``shop.domain.adapters``):
        grimp then sees it as part of the outer one, so its answer about
        which layer pairs are broken is not exact."""
        project = self.project
        roots: Dict[str, Layer] = {}
        for module, layer in self.layers.items():
            parts = module.split(".")
            depth = project.layers.deciding_part(parts, project.layers_at_top)
            if depth is None:  # the layer came from a directory above the package
                depth = len(parts) - 1
            roots[".".join(parts[: depth + 1])] = layer
        outermost = {root: layer for root, layer in roots.items() if not _has_ancestor_in(root, roots)}
        by_layer: Dict[Layer, List[str]] = {}
        for root, layer in sorted(outermost.items()):
            by_layer.setdefault(layer, []).append(root)
        # A module of no layer (a composition root) inside a layer's package
        # would count as that layer for grimp, as a nested layer package would.
        inexact = len(outermost) < len(roots) or any(
            module not in self.layers and _has_ancestor_in(module, outermost) for module in self.files
        )
        return by_layer, inexact

    # IL103 ------------------------------------------------------------------
    def illegal_chains(self) -> List[Chain]:
        """One chain per import statement that starts a chain of two imports
        or more into an outer layer through modules of no layer. Direct
        imports are IL101's; a chain through another layer is not one:
        that layer's own imports are the violations.

        grimp's layers algorithm (import-linter's) says which layer pairs
        are broken. The routes it returns vary between runs when several are
        equally short, so the chains reported are found again per import on
        the graph without the other layers, and the first shortest one in
        name order is kept: the same project always gives the same findings."""
        import grimp

        roots, nested = self._layer_roots()
        ordered = [layer for layer in self.project.layers.layers if layer in roots]
        if nested:
            # Every pair of layers present may be broken: search them all.
            present = sorted(set(self.layers.values()), key=lambda layer: layer.rank)
            broken = {(inner, outer) for inner in present for outer in present if outer.is_outer_to(inner)}
        elif len(ordered) < 2:
            return []
        else:
            layer_of_root = {root: layer for layer in ordered for root in roots[layer]}
            broken = {
                (layer_of_root[dependency.importer], layer_of_root[dependency.imported])
                for dependency in self.graph.find_illegal_dependencies_for_layers(
                    [grimp.Layer(*roots[layer], independent=False) for layer in ordered]
                )
            }
        chains: List[Chain] = []
        for outer in sorted({outer for _, outer in broken}, key=lambda layer: layer.rank):
            search = _ChainsInto(self.graph, self.layers, outer)
            for head, layer in sorted(self.layers.items()):
                if (layer, outer) in broken:
                    chains.extend(self._chains_from(head, search))
        return sorted(chains, key=lambda chain: (chain.path, chain.links[0].line or 0, chain.modules))

    def _chains_from(self, head: str, search: "_ChainsInto") -> Iterator[Chain]:
        first_by_line: Dict[Optional[int], str] = {}
        for imported in sorted(self.graph.find_modules_directly_imported_by(head)):
            if imported not in self.layers and search.reaches(imported):
                first_by_line.setdefault(self._link(head, imported).line, imported)
        for imported in first_by_line.values():
            modules = (head, *search.chain(imported))
            links = tuple(self._link(a, b) for a, b in zip(modules, modules[1:]))
            yield Chain(self.layers[head], search.outer, links, self.files[head])

    def _link(self, importer: str, imported: str) -> ImportLink:
        lines = [detail["line_number"] for detail in self.graph.get_import_details(importer=importer, imported=imported)]
        return ImportLink(importer, imported, min(lines) if lines else None)

    # `infralint layers` -----------------------------------------------------
    def layer_edges(self, chains: Sequence[Chain] = ()) -> List[LayerEdge]:
        """Layer -> layer dependencies: direct imports between linted
        modules of two different layers, and ``chains`` (IL103)."""
        direct = (
            (importer_layer, self.layers.get(imported))
            for importer, importer_layer in self.layers.items()
            for imported in self.graph.find_modules_directly_imported_by(importer)
        )
        return count_layer_edges(direct, chains)


def count_layer_edges(direct: Iterable[Tuple[Layer, Optional[Layer]]], chains: Sequence[Chain]) -> List[LayerEdge]:
    """Layer -> layer edges from the (importer's, imported's) layers of each
    direct import (imports within a layer or of no layer do not count) and
    the chains, outer layers first."""
    imports: Counter = Counter(pair for pair in direct if pair[1] is not None and pair[0] != pair[1])
    chain_counts = Counter((chain.importer_layer, chain.imported_layer) for chain in chains)
    pairs = sorted(set(imports) | set(chain_counts), key=lambda pair: (pair[0].rank, pair[1].rank))
    return [LayerEdge(a, b, imports[(a, b)], chain_counts[(a, b)]) for a, b in pairs]


class _ChainsInto:
    """Chains into the ``outer`` layer that pass through no other layer:
    grimp's shortest chains on a copy of the graph where the modules of the
    other layers import nothing and every module of ``outer`` imports one
    sink. (Removing a module would remove its submodules too, and a
    package of one layer may hold a package of another.)"""

    SINK = "<outer layer>"

    def __init__(self, graph: "grimp.ImportGraph", layers: Dict[str, Layer], outer: Layer) -> None:
        self.outer = outer
        self.graph = copy.deepcopy(graph)
        self.graph.add_module(self.SINK)
        for module, layer in layers.items():
            if layer == outer:
                self.graph.add_import(importer=module, imported=self.SINK)
                continue
            for imported in self.graph.find_modules_directly_imported_by(module):
                self.graph.remove_import(importer=module, imported=imported)
        self._distances: Dict[str, Optional[int]] = {}

    def distance(self, module: str) -> Optional[int]:
        """Imports from ``module`` to the outer layer (0: it is in it)."""
        if module not in self._distances:
            chain = self.graph.find_shortest_chain(importer=module, imported=self.SINK)
            self._distances[module] = len(chain) - 2 if chain else None
        return self._distances[module]

    def reaches(self, module: str) -> bool:
        return self.distance(module) is not None

    def chain(self, module: str) -> Tuple[str, ...]:
        """The first shortest chain in name order from ``module`` to a module
        of the outer layer."""
        chain = [module]
        remaining = self.distance(module)
        while remaining:
            chain.append(
                next(
                    step
                    for step in sorted(self.graph.find_modules_directly_imported_by(chain[-1]))
                    if self.distance(step) == remaining - 1
                )
            )
            remaining -= 1
        return tuple(chain)


def _build_graph(packages: Sequence[str], cache_dir: Optional[Path]) -> "grimp.ImportGraph":
    import grimp

    if cache_dir is not None:
        try:
            graph = grimp.build_graph(*packages, cache_dir=str(cache_dir))
        except OSError:
            pass  # an unwritable cache directory: the content cache warns about it
        else:
            _forget_racy_modules(cache_dir)
            return graph
    return grimp.build_graph(*packages, cache_dir=None)


def _forget_racy_modules(cache_dir: Path) -> None:
    """grimp's cache tells a changed module by its mtime alone (its
    ``*.meta.json`` maps module -> mtime), so a module written again within
    the same clock tick as the cache would look unchanged. As git does with
    racily clean index entries, modules modified less than 2 s before their
    meta file was written are dropped from it: the next build parses them
    again. A meta file that is not such a map is deleted (a full rebuild)."""
    from infralint.cache import RACY_NS
    from infralint.writes import write_atomically

    for meta in cache_dir.glob("*.meta.json"):
        try:
            written = meta.stat().st_mtime
            mtimes = json.loads(meta.read_bytes())
            settled = {module: mtime for module, mtime in mtimes.items() if mtime < written - RACY_NS / 1e9}
            if len(settled) < len(mtimes):
                write_atomically(meta, json.dumps(settled).encode())
        except (OSError, InfralintError, ValueError, AttributeError, TypeError, RecursionError):
            with contextlib.suppress(OSError):
                meta.unlink()


def _has_ancestor_in(module: str, modules: Collection[str]) -> bool:
    parts = module.split(".")
    return any(".".join(parts[:i]) in modules for i in range(1, len(parts)))


def graph_sources(project: Project, linted: Collection[Path]) -> Set[Path]:
    """The linted files that may get a layer in the graph (tests aside);
    discovery gives resolved paths."""
    return {path for path in linted if path.suffix == ".py" and not project.is_test(project.relative(path))}


def graph_packages(project: Project, sources: Collection[Path]) -> Dict[str, List[Path]]:
    """Top-level package -> its directories, for the packages grimp builds
    the graph of: those holding ``sources`` that importlib finds there (not
    a same-named package it finds first elsewhere)."""
    candidates = _package_directories(project, sources)
    with importable(directory.parent for directories in candidates.values() for directory in directories):
        return {name: dirs for name, dirs in candidates.items() if _found_in(name, dirs)}


def _package_directories(project: Project, sources: Collection[Path]) -> Dict[str, List[Path]]:
    """Top-level package -> its directories (several for a namespace
    package spread over source roots), for the packages that hold linted
    source files. Files directly in a source root are modules, not packages
    grimp builds a graph of."""
    candidates: Dict[str, Set[Path]] = {}
    for parent in {source.parent for source in sources}:
        directory = _top_level_directory(project, parent)
        if directory is not None and directory.name.isidentifier():
            candidates.setdefault(directory.name, set()).add(directory)
    return {name: sorted(directories) for name, directories in sorted(candidates.items())}


def _top_level_directory(project: Project, directory: Path) -> Optional[Path]:
    """The top-level package directory of the files in ``directory``: the
    directory below the source root it is in (a namespace package when it
    has no ``__init__.py``), or the outermost package holding it when the
    source root is itself a package (``src/__init__.py``, imported as
    ``src.domain...``), as `Project.module_name` names it. None for a
    source root itself: its files are top-level modules."""
    # The deepest source root holding it: "lib" rather than "." for lib/pkg.
    holding = [src for src in project.src_roots if directory == src or src in directory.parents]
    root = max(holding, key=lambda src: len(src.parts), default=None)
    if root is None:
        return None
    if (root / "__init__.py").is_file():
        package = directory
        while (package.parent / "__init__.py").is_file() and package.parent != package.parent.parent:
            package = package.parent
        return package
    if directory == root:
        return None
    return root / directory.relative_to(root).parts[0]


def _found_in(package: str, directories: Collection[Path]) -> bool:
    """Whether importlib (and so grimp) finds ``package`` in one of
    ``directories``."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return False
    locations = spec.submodule_search_locations if spec is not None else None
    return any(Path(location).resolve() in directories for location in locations or ())


def module_file(module: str, package_directories: Mapping[str, Sequence[Path]]) -> Optional[Path]:
    top, _, rest = module.partition(".")
    relative = Path(*rest.split(".")) if rest else Path()
    for directory in package_directories.get(top, ()):
        base = directory / relative
        for candidate in (base.with_suffix(".py") if rest else None, base / "__init__.py"):
            if candidate is not None and candidate.is_file():
                return candidate
    return None


@contextlib.contextmanager
def importable(directories: Iterable[Path], packages: Iterable[str] = ()) -> Iterator[None]:
    """grimp finds packages with importlib: put the directories that hold
    the project's top-level packages first on ``sys.path`` while it does.
    ``packages`` that this process has imported from elsewhere (a project
    named like a module infralint uses, or a copy of infralint itself) are
    hidden from ``sys.modules`` meanwhile, where importlib would look first."""
    saved = list(sys.path)
    hidden = {name: sys.modules.pop(name) for name in packages if name in sys.modules}
    sys.path[:0] = sorted({str(directory) for directory in directories})
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved
        sys.modules.update(hidden)
