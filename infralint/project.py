"""What infralint knows about the project as a whole: its root, its source
roots, which top-level packages are first-party, each file's dotted module
name, layer and whether it is test code."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, Iterator, Optional, Set, Tuple

from infralint import catalog
from infralint.layers import OTHER, TESTS, Layer, LayerModel
from infralint.listings import DirectoryListings, directory_prefix, entry_is_dir, entry_is_file
from infralint.pathspecs import PrefilteredSpec
from infralint.records import FrozenRecord
from infralint.settings import Settings

if TYPE_CHECKING:
    from infralint.names import ProjectNames

PYTHON_SUFFIXES = (".py", ".pyi")
# `is_module` answers, as the cache keeps them, about files rather than
# modules (TypeScript's resolution): "file:" and the absolute path.
FILE_LOOKUP = "file:"
# ... and whether a file still has the size and mtime it was read with
# (a tsconfig.json): "stat:SIZE:MTIME_NS:" and the absolute path.
STAT_LOOKUP = "stat:"


def _is_module_file(entry: os.DirEntry) -> bool:
    return entry.name.endswith(".py") and entry_is_file(entry)


def _is_package_dir(entry: os.DirEntry) -> bool:
    if not entry.name.isidentifier() or not entry_is_dir(entry):
        return False
    try:
        return any(name.endswith(".py") or (Path(entry.path, name).is_dir()) for name in os.listdir(entry.path))
    except OSError:
        return False


def posix_relative(path: Path, base: str) -> str:
    """``path`` relative to the absolute directory ``base``, with ``/``
    separators; as given when there is no relative path (another drive)."""
    return _posix_relative(os.path.abspath(path), base, path)


def _posix_relative(absolute: str, base: str, path: Path) -> str:
    """``posix_relative`` of ``path``, whose absolute path is ``absolute``."""
    prefix = os.path.join(base, "")
    if absolute.startswith(prefix):  # the usual case, without relpath's cost
        return absolute[len(prefix) :].replace(os.sep, "/")
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


class FileInfo(FrozenRecord):
    __slots__ = ("path", "relative", "module", "layer", "is_test")

    path: Path
    relative: str  # to the project root, "/" separators
    module: Optional[str]
    layer: Optional[Layer]
    is_test: bool

    def __init__(
        self,
        path: Path,
        relative: str,
        module: Optional[str],
        layer: Optional[Layer],
        is_test: bool,
    ) -> None:
        self._assign(path, relative, module, layer, is_test)

    @property
    def scope(self) -> str:
        """The layer kind rules are scoped by, OTHER or TESTS."""
        if self.is_test:
            return TESTS
        if self.layer is None or self.layer.kind is None:
            return OTHER
        return self.layer.kind

    @property
    def package(self) -> Optional[str]:
        """What relative imports in this file resolve against."""
        if self.module is None:
            return None
        if self.path.stem == "__init__":
            return self.module
        return self.module.rpartition(".")[0] or None


class Project:
    def __init__(
        self, settings: Settings, extra_files: Iterable[Path] = (), listings: Optional[DirectoryListings] = None
    ) -> None:
        self.settings = settings
        self.root = Path(os.path.abspath(settings.root))
        self._root_text = str(self.root)
        self.src_roots: Tuple[Path, ...] = tuple(
            sorted({(self.root / s).resolve() for s in settings.src}, key=lambda p: len(p.parts), reverse=True)
        )
        self._tests = PrefilteredSpec(settings.test_paths)
        self._init_chains: Dict[str, Tuple[str, ...]] = {}
        self._package_parts_by_directory: Dict[str, Optional[Tuple[str, ...]]] = {}
        first_party = set(self._scan_top_level())
        for path in extra_files:
            module = self.module_name(path)
            if module:
                first_party.add(module.split(".", 1)[0])
        self.first_party: FrozenSet[str] = frozenset(first_party)
        # Per project, not a process-wide cache: a long-lived editor session
        # sees files come and go between projects.
        self._modules: Dict[str, bool] = {}
        # The answers is_module gave while one file was linted: they are
        # that file's findings' dependencies on other files (the cache).
        self._lookups: Optional[Dict[str, bool]] = None
        self._names: Optional["ProjectNames"] = None
        self.layers: LayerModel = settings.layers
        if not settings.layers_configured and len(self.detected_layers(listings)) < 2:
            # One `adapters/` package, or modules named `interfaces.py` and
            # `entities.py`, do not make a project layered.
            self.layers = LayerModel.empty()
        # A package name the user made a layer name stays that layer's.
        layer_names = {name for layer in self.layers.layers for name in layer.names}
        self.composition_roots = settings.composition_roots.without_packages(layer_names)
        self._package_answers: Dict[Tuple[str, str], Tuple[bool, Optional[Layer], Optional[Layer]]] = {}
        # Layers that are the project's top-level packages (`domain/`,
        # `infrastructure/` side by side, no package around them) are
        # layers like any other part: the top-level exception is for a
        # project whose one package is named like a layer.
        self.layers_at_top = len({self.layers.layer_of_parts((top,)) for top in self.first_party} - {None}) >= 2

    @property
    def names(self) -> "ProjectNames":
        """What first-party modules' names refer to (built on first use)."""
        if self._names is None:
            from infralint.names import ProjectNames

            self._names = ProjectNames(self)
        return self._names

    def layout_exclusions(self) -> PrefilteredSpec:
        """What a scan of the project's layout for layer names passes over:
        excluded paths and tests."""
        settings = self.settings
        return PrefilteredSpec([*settings.exclude, *settings.extend_exclude, *settings.test_paths])

    def detected_layers(self, listings: Optional[DirectoryListings] = None) -> FrozenSet[str]:
        """The configured layers whose names occur among the first-party
        packages (tests and excluded directories aside): a module file
        named like a layer (`interfaces.py`, `entities.py`, `adapter.py`)
        is common in code that is not layered at all. The
        directories are listed through ``listings`` when given: discovery
        has listed most of them already."""
        settings = self.settings
        skip = self.layout_exclusions()
        entries_of = (listings or DirectoryListings()).entries
        layer_by_name = {name: layer.name for layer in settings.layers.layers for name in layer.names}
        found: Set[str] = set()

        def note(name: str) -> None:
            layer = layer_by_name.get(name.lower())
            if layer is not None:
                found.add(layer)

        for src in self.src_roots:
            for top in self.first_party:
                base = src / top
                relative = self.relative(base)
                if not base.is_dir() or skip.match_file(relative + "/"):
                    continue
                note(top)
                # Paths as discovery lists them ("/" separators and a trailing
                # "/"), relative ones built as we go (no relpath per directory);
                # done as soon as every layer is found.
                stack = [(directory_prefix(base), relative)]
                while stack and len(found) < len(settings.layers.layers):
                    directory, relative = stack.pop()
                    try:
                        entries = entries_of(directory)
                    except OSError:
                        continue
                    for entry in entries:
                        if entry_is_dir(entry):
                            child = f"{relative}/{entry.name}"
                            if not skip.match_file(child + "/"):
                                note(entry.name)
                                if not entry.is_symlink():
                                    stack.append((f"{directory}{entry.name}/", child))
        return frozenset(found)

    def _scan_top_level(self) -> Iterable[str]:
        for src in self.src_roots:
            try:
                entries = list(os.scandir(src))
            except OSError:
                continue
            for entry in entries:
                if _is_module_file(entry):
                    yield entry.name[:-3]
                elif _is_package_dir(entry):
                    yield entry.name

    # Module names ------------------------------------------------------
    def module_name(self, path: Path) -> Optional[str]:
        """Dotted name: from the outermost package with ``__init__.py``
        files above it, else from the deepest source root containing it."""
        return self._module_name(os.path.abspath(path))

    def _module_name(self, absolute: str) -> Optional[str]:
        # String operations, not Paths: this runs for every file of a run.
        directory, file_name = os.path.split(absolute)
        stem, suffix = os.path.splitext(file_name)
        name = stem if suffix in PYTHON_SUFFIXES else file_name.split(".", 1)[0]
        package = self._package_parts_of(directory)
        if package is None:
            return name or None
        return ".".join(package if name == "__init__" else (*package, name)) or None

    def _package_parts_of(self, directory: str) -> Optional[Tuple[str, ...]]:
        # Memoised per directory, like the chains: its files all ask.
        try:
            return self._package_parts_by_directory[directory]
        except KeyError:
            parts = self._package_parts_by_directory[directory] = self._package_parts(Path(directory))
            return parts

    def _package_parts(self, directory: Path) -> Optional[Tuple[str, ...]]:
        """The names ``directory`` has as a package, outermost first: its
        chain of ``__init__.py`` directories, else its path below the
        deepest source root holding it; None outside both."""
        parts = self._init_chain(directory)
        if parts:
            return parts
        for src in self.src_roots:
            try:
                return directory.relative_to(src).parts
            except ValueError:
                continue
        return None

    def _init_chain(self, directory: Path) -> Tuple[str, ...]:
        # Memoised per directory: every file of a package asks the same.
        key = str(directory)
        chain = self._init_chains.get(key)
        if chain is None:
            chain = ()
            if (directory / "__init__.py").is_file() and directory != directory.parent:
                chain = (*self._init_chain(directory.parent), directory.name)
            self._init_chains[key] = chain
        return chain

    def is_module(self, dotted: str) -> bool:
        """Whether a first-party module (or package) of that name exists."""
        known = self._modules.get(dotted)
        if known is None:
            if dotted.startswith(FILE_LOOKUP):
                known = self._modules[dotted] = os.path.isfile(dotted[len(FILE_LOOKUP) :])
            elif dotted.startswith(STAT_LOOKUP):
                known = self._modules[dotted] = _same_stat(dotted)
            else:
                known = self._modules[dotted] = self._module_exists(dotted)
        if self._lookups is not None:
            self._lookups[dotted] = known
        return known

    def file_exists(self, absolute: str) -> bool:
        """Whether a file exists, recorded like `is_module`'s answers (the
        cache re-lints a module when a file it resolved through appears
        or goes)."""
        return self.is_module(FILE_LOOKUP + absolute)

    def file_unchanged(self, absolute: str, stat: os.stat_result) -> bool:
        """Record that what was read depends on ``absolute`` as it was
        (``stat`` from when it was read): the cache re-lints when it changes."""
        return self.is_module(f"{STAT_LOOKUP}{stat.st_size}:{stat.st_mtime_ns}:{absolute}")

    @contextlib.contextmanager
    def recording_module_lookups(self) -> Iterator[Dict[str, bool]]:
        """Collect every ``is_module`` answer given inside the block."""
        self._lookups = lookups = {}
        try:
            yield lookups
        finally:
            self._lookups = None

    def _module_exists(self, dotted: str) -> bool:
        relative = Path(*dotted.split("."))
        for src in self.src_roots:
            base = src / relative
            if base.with_suffix(".py").is_file() or base.is_dir():
                return True
        return False

    def is_first_party(self, module: str) -> bool:
        return module.split(".", 1)[0] in self.first_party

    # Files ----------------------------------------------------------------
    def relative(self, path: Path) -> str:
        return posix_relative(path, self._root_text)

    def is_test(self, relative: str) -> bool:
        return self._tests.match_file(relative)

    def file_info(self, path: Path) -> FileInfo:
        # Strings, not Paths, and one abspath: this runs for every file of a
        # run, cached or not.
        absolute = os.path.abspath(path)
        relative = _posix_relative(absolute, self._root_text, path)
        module = self._module_name(absolute) if os.path.splitext(absolute)[1] in PYTHON_SUFFIXES else None
        is_test = self.is_test(relative)
        layer = None if is_test else self._layer_of_file(absolute, relative, module)
        return FileInfo(path, relative, module, layer, is_test)

    def layer_of_import(self, module: str) -> Optional[Layer]:
        if not self.is_first_party(module):
            return None
        return self.layer_of_module(module)

    # Layers ---------------------------------------------------------------
    def layer_of_module(self, module: str) -> Optional[Layer]:
        """The layer of a first-party module named in an import (a package
        or a module: an imported name does not say which)."""
        package, _, name = module.rpartition(".")
        return self._placed(package, ".", name)[1]

    def _layer_of_file(self, absolute: str, relative: str, module: Optional[str]) -> Optional[Layer]:
        """STANDARD.md's assignment: from the dotted module name (the
        outermost layer name wins), else from the directories; none for a
        composition root or Alembic's env.py. Every file of a run asks:
        the packages' answers are memoised, the file's own name is one
        lookup."""
        if not self.layers.layers:
            return None
        is_root, layer = self._file_placement(relative, module)
        if is_root or layer is None:
            return None
        if relative.endswith(catalog.ALEMBIC_ENVIRONMENT_FILE) and _is_alembic_environment(absolute, relative):
            return None
        return layer

    def is_composition_root(self, info: FileInfo) -> bool:
        """A module that wires the layers together: named as a composition
        root, inside a composition package, or Alembic's env.py."""
        return self._file_placement(info.relative, info.module)[0] or _is_alembic_environment(
            str(info.path), info.relative
        )

    def _file_placement(self, relative: str, module: Optional[str]) -> Tuple[bool, Optional[Layer]]:
        """(is a composition root, layer) from the module name, else from
        the directories."""
        directory, _, file_name = relative.rpartition("/")
        stem = file_name.partition(".")[0]
        if module is not None:
            # A package's __init__ is named by its package and lies inside it.
            package, _, name = module.rpartition(".")
            if stem == "__init__":
                package = module
            placed = self._placed(package, ".", name)
            if placed[0] or placed[1] is not None:
                return placed
        return self._placed(directory, "/", stem)

    def _placed(self, package: str, separator: str, name: str) -> Tuple[bool, Optional[Layer]]:
        """(is a composition root, layer) of the module ``name`` in
        ``package`` (dotted, or a directory path with ``separator`` "/")."""
        in_composition_package, below, top = self._package_answer(package, separator)
        lowered = name.lower()
        if in_composition_package or lowered in self.composition_roots.modules:
            return True, None
        if below is not None:
            return False, below
        # The module's own name is below the top-level package, if any.
        own = self.layers.named(lowered)
        if not package or self.layers_at_top:
            return False, own
        return False, own if own is not None else top

    def _package_answer(self, package: str, separator: str) -> Tuple[bool, Optional[Layer], Optional[Layer]]:
        """Memoised per package: whether it lies in a composition package,
        the layer of its outermost layer name below the top-level part, and
        the top-level part's layer (the fallback)."""
        key = (package, separator)
        answer = self._package_answers.get(key)
        if answer is None:
            parts = package.lower().split(separator) if package else []
            packages = self.composition_roots.packages
            in_composition_package = any(part in packages for part in parts)
            named = self.layers.named
            if self.layers_at_top:
                below = next((layer for layer in map(named, parts) if layer is not None), None)
                top = None
            else:
                below = next((layer for layer in map(named, parts[1:]) if layer is not None), None)
                top = named(parts[0]) if parts else None
            answer = self._package_answers[key] = (in_composition_package, below, top)
        return answer


def _is_alembic_environment(absolute: str, relative: str) -> bool:
    """Whether the file is Alembic's env.py: beside a `versions/` folder."""
    if relative.rpartition("/")[2] != catalog.ALEMBIC_ENVIRONMENT_FILE:
        return False
    return is_alembic_environment(absolute)


def is_alembic_environment(path: str) -> bool:
    """Whether ``path`` (an env.py) sits beside Alembic's `versions/`."""
    return os.path.isdir(os.path.join(os.path.dirname(os.path.abspath(path)), catalog.ALEMBIC_VERSIONS_DIRECTORY))


def _same_stat(key: str) -> bool:
    """Whether the file of a `STAT_LOOKUP` key has the size and mtime in it."""
    size, mtime, path = key[len(STAT_LOOKUP) :].split(":", 2)
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return str(stat.st_size) == size and str(stat.st_mtime_ns) == mtime
