"""What a name refers to across the project's own modules.

`BindingTracker` answers "which call produced this value?" inside one
module. When the answer lies in another first-party module — ``from
shop.log import logger``, ``from shop.db import SessionLocal`` then
``SessionLocal()``, ``self.log = LogService()`` with ``LogService``
defined elsewhere — it asks this index, which parses that module (once
per process, again when its file changes) and asks that module's own
tracker. Nothing is parsed until a rule asks about such a name, so a
one-file check reads only the modules its questions lead to.

The files read while one file is linted are its dependencies: the engine
records them (`recording_dependencies`) and the cache re-lints the file
when one of them changes (STANDARD.md, "Loggers, clients and sessions";
DESIGN.md, "What a name refers to").

The language server's project resolves through the files on disk: an
edited, unsaved buffer of *another* module is seen as last saved.
"""

from __future__ import annotations

import ast
import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, Optional, Set, Tuple

from infralint import catalog
from infralint.model import build_model

if TYPE_CHECKING:
    from infralint.bindings import BindingTracker
    from infralint.project import Project

# How many modules a chain of re-exports may cross (a -> b -> a stops too).
MAX_DEPTH = 6


class ModuleFacts:
    """One first-party module as the index sees it: its tree, its binding
    tracker and its top-level classes and functions."""

    __slots__ = ("module", "tracker", "classes", "functions")

    def __init__(self, module: str, tracker: "BindingTracker", tree: ast.Module) -> None:
        self.module = module
        self.tracker = tracker
        self.classes: Dict[str, ast.ClassDef] = {}
        self.functions: Dict[str, ast.AST] = {}
        for statement in tree.body:
            if isinstance(statement, ast.ClassDef):
                self.classes[statement.name] = statement
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[statement.name] = statement


class ProjectNames:
    """The project-wide index of first-party modules' bindings."""

    def __init__(self, project: "Project") -> None:
        self.project = project
        # module -> ((size, mtime ns) of its file, its facts or None).
        self._facts: Dict[str, Tuple[Tuple[int, int], Optional[ModuleFacts]]] = {}
        # The relative paths of the files read while recording.
        self._recording: Optional[Set[str]] = None

    # Dependencies ---------------------------------------------------------------
    @contextlib.contextmanager
    def recording_dependencies(self) -> Iterator[Set[str]]:
        """Collect the relative paths of the module files whose bindings
        answered a question inside the block (the engine keeps their
        digests with the cached findings)."""
        self._recording = recorded = set()
        try:
            yield recorded
        finally:
            self._recording = None

    # Questions --------------------------------------------------------------------
    def value_producer(self, qualified: str, depth: int = 0) -> Optional[str]:
        """What produced the value of the first-party top-level name
        ``qualified`` (``shop.log.logger`` -> ``logging.getLogger``); None
        when unknown. A class or function is not a produced value."""
        found = self._split(qualified)
        if found is None or depth > MAX_DEPTH:
            return None
        facts, name = found
        if name in facts.classes or name in facts.functions:
            return None
        reexported = facts.tracker.model.bindings.get(name)
        if reexported in catalog.LOGGER_MODULES:
            return reexported  # ``from loguru import logger`` there: the value itself
        return facts.tracker.producer(ast.Name(id=name, ctx=ast.Load()), _depth=depth + 1)

    def call_producer(self, qualified: str, depth: int = 0) -> Optional[str]:
        """What calling the first-party top-level name ``qualified``
        produces: the class itself for a class, what a factory function
        returns, the product of a session factory bound to the name
        (``SessionLocal = sessionmaker(...)``); None when unknown."""
        found = self._split(qualified)
        if found is None or depth > MAX_DEPTH:
            return None
        facts, name = found
        if name in facts.classes:
            return f"{facts.module}.{name}"
        called = ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=[], keywords=[])
        return facts.tracker.producer(called, _depth=depth + 1)

    def class_definition(self, qualified: str) -> Optional[Tuple[ast.ClassDef, "BindingTracker"]]:
        """The first-party class ``qualified`` names, with its module's
        tracker (to resolve its bases); None for anything else."""
        found = self._split(qualified)
        if found is None:
            return None
        facts, name = found
        definition = facts.classes.get(name)
        return (definition, facts.tracker) if definition is not None else None

    def is_logger_class(self, definition: ast.ClassDef, tracker: "BindingTracker", depth: int = 0) -> bool:
        """Whether a class derives from a logger class (`logging.Logger`,
        `logging.LoggerAdapter`, structlog's bound loggers), through
        first-party bases too."""
        if depth > MAX_DEPTH:
            return False
        for base in definition.bases:
            qualified = tracker.model.resolve(base)
            if qualified is None and isinstance(base, ast.Name) and tracker.module is not None:
                qualified = f"{tracker.module}.{base.id}"
            if qualified is None:
                continue
            if qualified in catalog.LOGGER_TYPES:
                return True
            parent = self.class_definition(qualified)
            if parent is not None and self.is_logger_class(parent[0], parent[1], depth + 1):
                return True
        return False

    def mentions(self, qualified: str, word: bytes) -> bool:
        """Whether the module holding the top-level name ``qualified``
        contains ``word`` at all (a cheap test before parsing it)."""
        located = self._locate(qualified)
        if located is None:
            return False
        try:
            return word in Path(located[1]).read_bytes()
        except OSError:
            return False

    # Modules --------------------------------------------------------------------
    def _split(self, qualified: str) -> Optional[Tuple[ModuleFacts, str]]:
        """``shop.log.logger`` -> (the facts of ``shop.log``, ``logger``)."""
        located = self._locate(qualified)
        if located is None:
            return None
        module, path = located
        facts = self.facts(module, path)
        return (facts, qualified.rpartition(".")[2]) if facts is not None else None

    def _locate(self, qualified: str) -> Optional[Tuple[str, str]]:
        """(module, its file) for a first-party ``module.name``."""
        module, _, name = qualified.rpartition(".")
        if not module or not name or not self.project.is_first_party(module) or not self.project.is_module(module):
            return None
        path = self._path_of(module)
        return (module, path) if path is not None else None

    def _path_of(self, module: str) -> Optional[str]:
        relative = os.path.join(*module.split("."))
        for src in self.project.src_roots:
            for candidate in (f"{src}{os.sep}{relative}.py", os.path.join(src, relative, "__init__.py")):
                if os.path.isfile(candidate):
                    return candidate
        return None

    def facts(self, module: str, path: str) -> Optional[ModuleFacts]:
        """The facts of ``module`` read from ``path``, parsed again only when
        the file's size or modification time changed; None when it cannot
        be parsed (still a dependency: fixing it changes answers)."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        known = self._facts.get(module)
        if known is None or known[0] != key:
            known = self._facts[module] = (key, self._read(module, path))
        if self._recording is not None:
            self._recording.add(self.project.relative(Path(path)))
        return known[1]

    def _read(self, module: str, path: str) -> Optional[ModuleFacts]:
        # Imported here: the tracker is needed only once a question
        # crosses modules.
        from infralint.bindings import BindingTracker
        from infralint.source import UnreadableSource, decode

        try:
            tree = ast.parse(decode(Path(path).read_bytes()).text, path)
        except (OSError, UnreadableSource, SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        package = module if os.path.basename(path) == "__init__.py" else module.rpartition(".")[0] or None
        tracker = BindingTracker(tree, build_model(tree, package), module=module, names=self)
        return ModuleFacts(module, tracker, tree)
