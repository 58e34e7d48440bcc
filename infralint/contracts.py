"""IL105: a project's import-linter contracts, checked by import-linter.

The contracts are read with import-linter's public reader
(`importlinter.api.read_configuration`) and each is checked by its own
contract class, on a grimp graph of the contracts' root packages — the
graph IL103 built when it is the same one — so a contract is broken here
exactly when `lint-imports` says so. What comes back is plain data: one
`BrokenImport` per import that starts a broken chain, for the rule to turn
into findings.

import-linter and grimp are imported only when a project has contracts
and the cached verdict does not hold.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from infralint.errors import ConfigError, GraphError
from infralint.findings import ImportLink
from infralint.records import FrozenRecord

if TYPE_CHECKING:
    import grimp

# Contract types that are part of import-linter; others are plugins, which
# would import project code to run.
BUILT_IN_TYPES = ("layers", "forbidden", "independence", "protected", "acyclic_siblings", "private_modules")


class BrokenImport(FrozenRecord):
    """An import that starts a chain breaking a contract (``links``, the
    first import first), or a module a contract cannot place (no links).
    ``module``: the module the finding is about — the first importer, or
    the module an exhaustive layers contract does not list."""

    __slots__ = ("contract", "summary", "links", "module")

    contract: str
    summary: str
    links: Tuple[ImportLink, ...]
    module: str

    def __init__(self, contract: str, summary: str, links: Tuple[ImportLink, ...], module: str) -> None:
        self._assign(contract, summary, links, module)


class UnmatchedIgnore(FrozenRecord):
    """An `ignore_imports` entry that matched no import, in a contract whose
    `unmatched_ignore_imports_alerting` is `error` (lint-imports fails)."""

    __slots__ = ("contract", "message")

    contract: str
    message: str

    def __init__(self, contract: str, message: str) -> None:
        self._assign(contract, message)


class Contracts(FrozenRecord):
    """The contracts of one configuration file, as import-linter read them."""

    __slots__ = ("path", "session_options", "contracts_options")

    path: Path
    session_options: Mapping[str, Any]
    contracts_options: Sequence[Mapping[str, Any]]

    def __init__(self, path: Path, session_options: Mapping[str, Any], contracts_options: Sequence[Mapping[str, Any]]) -> None:
        self._assign(path, session_options, contracts_options)

    @classmethod
    def read(cls, path: Path, shown: str) -> "Contracts":
        """Read ``path`` (``shown`` names it in errors) with import-linter's reader."""
        try:
            from importlinter import api
        except ImportError as error:  # an install from before import-linter was a dependency
            raise GraphError("import-linter is not installed; reinstall infralint (or pip install import-linter)") from error
        try:
            options = api.read_configuration(str(path))
        except Exception as error:  # its readers raise what their parsers raise
            raise ConfigError(f"{shown}: import-linter configuration cannot be read: {_one_line(error)}") from error
        session = dict(options["session_options"])
        if "root_packages" not in session and "root_package" in session:
            session["root_packages"] = [session.pop("root_package")]
        if not session.get("root_packages"):
            raise ConfigError(f"{shown}: import-linter configuration names no root_packages (or root_package)")
        if isinstance(session["root_packages"], str):
            session["root_packages"] = [session["root_packages"]]
        return cls(path, session, list(options["contracts_options"]))

    @property
    def root_packages(self) -> List[str]:
        return sorted(self.session_options["root_packages"])

    @property
    def include_external_packages(self) -> bool:
        return _true(self.session_options.get("include_external_packages"))

    @property
    def exclude_type_checking_imports(self) -> bool:
        return _true(self.session_options.get("exclude_type_checking_imports"))


def _true(value: Any) -> bool:
    """import-linter's booleans: TOML booleans or INI strings."""
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"))


def check_contracts(
    contracts: Contracts, graph: "grimp.ImportGraph", shown: str
) -> Tuple[List[BrokenImport], List[UnmatchedIgnore], List[str]]:
    """Every contract checked on a copy of ``graph`` (a contract removes its
    ignored imports from the graph it is given): the broken imports, the
    `ignore_imports` entries that matched nothing where that is an error,
    and warnings (plugin contract types, which infralint does not run)."""
    from importlinter.application import use_cases
    from importlinter.domain.contract import InvalidContractOptions, registry
    from importlinter.domain.helpers import MissingImport

    use_cases._register_built_in_contract_types()  # what lint-imports does first; idempotent
    broken: List[BrokenImport] = []
    unmatched: List[UnmatchedIgnore] = []
    warnings: List[str] = []
    for options in contracts.contracts_options:
        name = str(options.get("name") or options.get("id") or "?")
        kind = options.get("type")
        if kind not in BUILT_IN_TYPES:
            warnings.append(f"{shown}: contract {name!r} of type {kind!r} is not checked (only import-linter's own types are)")
            continue
        contract_class = registry.get_contract_class(kind)
        try:
            contract = contract_class(
                name=name, session_options=dict(contracts.session_options), contract_options=dict(options)
            )
        except InvalidContractOptions as error:
            problems = "; ".join(f"{field}: {problem}" for field, problem in error.errors.items())
            raise ConfigError(f"{shown}: contract {name!r}: {problems}") from error
        try:
            check = contract.check(copy.deepcopy(graph), verbose=False)
        except MissingImport as error:
            unmatched.append(UnmatchedIgnore(name, _one_line(error)))
            continue
        except ValueError as error:  # a module the contract names is not in the graph, and the like
            raise ConfigError(f"{shown}: contract {name!r}: {_one_line(error)}") from error
        if not check.kept:
            broken.extend(_broken_imports(name, kind, check.metadata))
    return broken, unmatched, warnings


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


# Reading the metadata of each contract type ------------------------------------
def _broken_imports(contract: str, kind: str, metadata: Mapping[str, Any]) -> Iterator[BrokenImport]:
    if kind == "layers":
        for dependency in metadata["invalid_dependencies"]:
            summary = f"{dependency['importer']} is not allowed to import {dependency['imported']}"
            for route in dependency["routes"]:
                yield from _route(contract, summary, route)
        for module in sorted(metadata.get("undeclared_modules") or ()):
            yield BrokenImport(contract, f"{module} is not listed as a layer (the contract is exhaustive)", (), module)
    elif kind in ("forbidden", "independence"):
        for chains in metadata["invalid_chains"]:
            summary = f"{chains['downstream_module']} is not allowed to import {chains['upstream_module']}"
            for chain in chains["chains"]:
                # forbidden: plain chains; independence: routes with fan-in and fan-out.
                yield from _route(contract, summary, chain) if isinstance(chain, dict) else _chain(contract, summary, chain)
    elif kind == "protected":
        for protected in metadata["illegal_imports"]:
            summary = f"{protected.top_level_module} is protected"
            for link in protected.illegal_links:
                yield from _chain(contract, f"{link['importer']} is not allowed to import {link['imported']}: {summary}", [link])
    elif kind == "private_modules":
        for link in metadata["illegal_imports"]:
            yield from _chain(contract, f"{link['importer']} is not allowed to import private module {link['imported']}", [link])
    elif kind == "acyclic_siblings":
        for package, imports in sorted(metadata["cycle_breakers_by_package"].items()):
            for importer, imported in sorted(imports):
                summary = f"no cycles are allowed in {package}; removing {importer} -> {imported} would break one"
                yield BrokenImport(contract, summary, (ImportLink(importer, imported, None),), importer)


def _route(contract: str, summary: str, route: Mapping[str, Any]) -> Iterator[BrokenImport]:
    """One finding per first import of a route: its chain's, and each of
    the other modules that import the chain's second module (import-linter
    prints them with `&`)."""
    chain = list(route["chain"])
    for first in [chain[0], *route.get("extra_firsts", ())]:
        yield from _chain(contract, summary, [first, *chain[1:]])


def _chain(contract: str, summary: str, chain: Sequence[Mapping[str, Any]]) -> Iterator[BrokenImport]:
    links = tuple(ImportLink(link["importer"], link["imported"], _first_line(link.get("line_numbers"))) for link in chain)
    yield BrokenImport(contract, summary, links, links[0].importer)


def _first_line(lines: Optional[Iterable[Optional[int]]]) -> Optional[int]:
    known = [line for line in lines or () if line is not None and line > 0]
    return min(known) if known else None


# The graph ---------------------------------------------------------------------
def build_graph(contracts: Contracts, root: Path, directories: Sequence[Path], cache_dir: Optional[Path]) -> "grimp.ImportGraph":
    """grimp's graph of the contracts' root packages, found in
    ``directories`` (the project's source roots), with the contracts'
    graph options, as lint-imports builds it — seeing only the files
    discovery would under the project ``root`` (`grimp_files`)."""
    import grimp
    from grimp.exceptions import SourceSyntaxError

    from infralint.graph import importable


    with importable(directories, contracts.root_packages):
        for package in contracts.root_packages:
            if not _findable(package):
                raise ConfigError(f"{contracts.path.name}: root package {package!r} is not found in the project's source roots")
        try:
            return grimp.build_graph(
                *contracts.root_packages,
                include_external_packages=contracts.include_external_packages,
                exclude_type_checking_imports=contracts.exclude_type_checking_imports,
                cache_dir=str(cache_dir) if cache_dir is not None else None,
            )
        except SourceSyntaxError as error:
            raise GraphError(f"{error.filename}:{error.lineno or 1}: syntax error, the import graph cannot be built") from error


def _findable(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def same_graph(contracts: Contracts, packages: Iterable[str]) -> bool:
    """Whether IL103's graph (of ``packages``, without external packages,
    with TYPE_CHECKING imports) is the one the contracts need."""
    return (
        contracts.root_packages == sorted(packages)
        and not contracts.include_external_packages
        and not contracts.exclude_type_checking_imports
    )


def module_files(modules: Iterable[str], package_directories: Mapping[str, Sequence[Path]]) -> Dict[str, Path]:
    """The file of each first-party module that has one."""
    from infralint.graph import module_file

    files = {module: module_file(module, package_directories) for module in modules}
    return {module: path for module, path in files.items() if path is not None}
