"""What a rule sees of the file it checks."""

from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple, TypeVar

from infralint.bindings import FUNCTION_TYPES, BindingTracker, Function
from infralint.findings import Finding
from infralint.layers import Layer
from infralint.model import ModuleModel
from infralint.project import FileInfo, Project
from infralint.settings import Settings

if TYPE_CHECKING:
    from infralint.source import SourceText

T = TypeVar("T")


@functools.lru_cache(maxsize=1024)
def _definition_pattern(name: str) -> "re.Pattern[str]":
    """Finds ``class Name`` / ``def Name`` (also after ``async``)."""
    return re.compile(r"\b(?:class|def)\s+(" + re.escape(name) + r")\b")


class FileContext:
    def __init__(
        self,
        info: FileInfo,
        display_path: str,
        text: "SourceText",
        tree: Optional[ast.Module],
        model: ModuleModel,
        project: Project,
    ) -> None:
        self.info = info
        self.display_path = display_path
        self.text = text
        self.tree = tree
        self.model = model
        self.project = project
        self.settings: Settings = project.settings
        self.findings: List[Finding] = []
        # The nodes above the one being visited, outermost first.
        self.ancestors: List[ast.AST] = []
        self._bindings: Optional[BindingTracker] = None
        self._shared: Dict[str, Any] = {}
        # (rule code, exception) for rules that raised on this file.
        self.internal_errors: List[Tuple[str, Exception]] = []

    # Facts about the file ----------------------------------------------
    @property
    def layer(self) -> Optional[Layer]:
        return self.info.layer

    @property
    def scope(self) -> str:
        return self.info.scope

    @property
    def module(self) -> Optional[str]:
        return self.info.module

    # Where the current node is ----------------------------------------------
    def enclosing_function(self) -> Optional[Function]:
        for ancestor in reversed(self.ancestors):
            if isinstance(ancestor, FUNCTION_TYPES):
                return ancestor
        return None

    def enclosing_class(self) -> Optional[ast.ClassDef]:
        """The class whose method (or class body) holds the current node."""
        for ancestor in reversed(self.ancestors):
            if isinstance(ancestor, ast.ClassDef):
                return ancestor
        return None

    @property
    def bindings(self) -> BindingTracker:
        if self._bindings is None:
            assert self.tree is not None, "no bindings for a file that did not parse"
            self._bindings = BindingTracker(self.tree, self.model, self.module, self.project.names)
        return self._bindings

    def shared(self, key: str, build: Callable[[], T]) -> T:
        """A value the rules of this file share, built by the first that
        asks for ``key`` (facts about the file that several rules need)."""
        if key not in self._shared:
            self._shared[key] = build()
        return self._shared[key]  # type: ignore[no-any-return]

    def producer(self, expression: ast.AST, derived: bool = True) -> Optional[str]:
        """What callable produced ``expression``'s value, seen from the
        node being visited (see `BindingTracker.producer`)."""
        return self.bindings.producer(
            expression, self.enclosing_function(), self.enclosing_class(), derived=derived
        )

    def producing_call(self, expression: ast.AST) -> Optional[ast.Call]:
        """The call that created ``expression``'s value, seen from the node
        being visited (see `BindingTracker.producing_call`)."""
        return self.bindings.producing_call(expression, self.enclosing_function(), self.enclosing_class())

    # Positions -----------------------------------------------------------
    def char_range(self, node: ast.AST) -> Tuple[int, int, int, int]:
        """1-based line and character columns of a node (ast gives bytes)."""
        line = node.lineno  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or line
        column = self.text.char_column(line, node.col_offset)  # type: ignore[attr-defined]
        end_offset = getattr(node, "end_col_offset", None)
        end_column = self.text.char_column(end_line, end_offset) if end_offset is not None else column
        return line, column, end_line, end_column

    def name_range(self, node: ast.AST) -> Tuple[int, int, int, int]:
        """The range of a class or function's name (ast only gives the
        position of the ``class`` / ``def`` keyword)."""
        name = getattr(node, "name", "")
        line = node.lineno  # type: ignore[attr-defined]
        text = self.text.line(line)
        start = self.text.char_column(line, node.col_offset) - 1  # type: ignore[attr-defined]
        match = _definition_pattern(name).search(text, start) if name else None
        if match is None:
            return self.char_range(node)
        return line, match.start(1) + 1, line, match.end(1) + 1

    def statement_line(self, node: Optional[ast.AST], default: int) -> int:
        """First line of the statement holding ``node``: a suppression
        comment there covers every line of the statement."""
        if isinstance(node, ast.stmt):
            return node.lineno
        for ancestor in reversed(self.ancestors):
            if isinstance(ancestor, ast.stmt):
                return ancestor.lineno
        return default

    def add_finding(self, finding: Finding) -> None:
        self.findings.append(finding)
