"""What a rule is: one class that says what it matches and documents itself.

A rule subclasses `Rule`, sets its code, name and scope, and defines
``visit_<NodeType>`` (and optionally ``leave_<NodeType>``) methods that the
engine calls during its single traversal of each file, plus ``begin`` /
``end`` hooks for checks about the module as a whole. It reports through
``self.report``. Its docstring and its ``VALID`` / ``INVALID`` examples are
its documentation, and the test suite runs the examples.
"""

from __future__ import annotations

import ast
import enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from infralint.findings import Applicability, Finding, Fix
from infralint.filetypes import PYTHON_ONLY
from infralint.layers import APPLICATION, DOMAIN, INFRASTRUCTURE, INTERFACE, OTHER, TESTS
from infralint.records import FrozenRecord

if TYPE_CHECKING:
    from infralint.context import FileContext

# Scopes: the layer kind of a file, OTHER (no layer, or a configured layer
# without a kind) or TESTS.
CORE = frozenset({DOMAIN, APPLICATION})
ALL_CODE = frozenset({DOMAIN, APPLICATION, INFRASTRUCTURE, INTERFACE, OTHER})
EVERY_FILE = ALL_CODE | {TESTS}

SCOPE_DESCRIPTIONS: Dict[FrozenSet[str], str] = {
    EVERY_FILE: "every file",
    ALL_CODE: "all code",
    CORE: "domain and application",
    frozenset({INFRASTRUCTURE}): "infrastructure",
    frozenset({DOMAIN, APPLICATION, INTERFACE}): "domain, application, interface",
}


class FixAvailability(enum.Enum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


# The `files` of an example that needs no other files (read-only: shared).
_NO_FILES: Mapping[str, str] = MappingProxyType({})


class Valid(FrozenRecord):
    """Source that must not produce the rule's finding when linted at ``path``.

    ``files`` are other files of the same project (path -> source), for
    rules whose answer depends on what exists around the module.
    """

    __slots__ = ("source", "path", "files")

    source: str
    path: str
    files: Mapping[str, str]

    def __init__(
        self,
        source: str,
        path: str = "shop/infrastructure/orders_repository.py",
        files: Mapping[str, str] = _NO_FILES,
    ) -> None:
        self._assign(source, path, files)


class Invalid(FrozenRecord):
    """Source that must produce the finding at each (line, column) in ``at``."""

    __slots__ = ("source", "at", "path", "files", "message", "fixed", "applicability")

    source: str
    at: Sequence[Tuple[int, int]]
    path: str
    files: Mapping[str, str]
    # A fragment every reported message must contain.
    message: Optional[str]
    # The source after applying the fixes at ``applicability`` or safer.
    fixed: Optional[str]
    applicability: Optional[Applicability]

    def __init__(
        self,
        source: str,
        at: Sequence[Tuple[int, int]],
        path: str = "shop/infrastructure/orders_repository.py",
        files: Mapping[str, str] = _NO_FILES,
        message: Optional[str] = None,
        fixed: Optional[str] = None,
        applicability: Optional[Applicability] = None,
    ) -> None:
        self._assign(source, at, path, files, message, fixed, applicability)


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    # A format string filled from ``report``'s keyword arguments.
    message: ClassVar[str]
    fix_title: ClassVar[Optional[str]] = None
    applies_to: ClassVar[FrozenSet[str]] = ALL_CODE
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    since: ClassVar[str] = "0.1.0"
    # Option name (kebab-case) -> default value; the default's type is the
    # option's type. Configured under [tool.infralint.rules.<CODE>].
    options: ClassVar[Mapping[str, Any]] = {}
    # Option name -> the values a string option may take (others: any).
    option_choices: ClassVar[Mapping[str, Tuple[str, ...]]] = {}
    # Words one of which must occur in a file's text for the rule's visit_ /
    # leave_ methods to run there (a cheap prefilter); empty = always.
    visit_triggers: ClassVar[Tuple[str, ...]] = ()
    # Runs on the whole project rather than per file (skipped when files
    # are named explicitly).
    project_level: ClassVar[bool] = False
    # The languages the rule checks (`infralint.filetypes`); a TypeScript
    # rule's check lives in `infralint.languages.typescript.checks`.
    languages: ClassVar[FrozenSet[str]] = PYTHON_ONLY
    # Runs on files that did not parse (only IL001 does).
    runs_on_unparsable: ClassVar[bool] = False
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        # ``begin`` may set this to False when the module cannot hold a
        # finding (a prefilter finer than ``visit_triggers``).
        self.wants_traversal = True

    # Hooks ------------------------------------------------------------
    def begin(self) -> None:
        """Called before the traversal."""

    def end(self) -> None:
        """Called after the traversal."""

    # Reporting --------------------------------------------------------
    def option(self, name: str) -> Any:
        return self.ctx.settings.option(self.code, name)

    def report(
        self,
        node: Optional[ast.AST] = None,
        *,
        position: Optional[Tuple[int, int, int, int]] = None,
        fix: Optional[Fix] = None,
        **message_args: Any,
    ) -> None:
        """Report the rule at ``node`` (or at a 1-based character
        ``position`` = line, column, end line, end column)."""
        if position is None:
            if node is None:
                raise ValueError("report() needs a node or a position")
            position = self.ctx.char_range(node)
        line, column, end_line, end_column = position
        self.ctx.add_finding(
            Finding(
                code=self.code,
                name=self.name,
                message=self.message.format(**message_args),
                path=self.ctx.display_path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                fix=fix,
                statement_line=self.ctx.statement_line(node, line),
            )
        )

    # Derived metadata --------------------------------------------------
    @classmethod
    def visitor_methods(cls) -> Dict[str, List[str]]:
        """Node type name -> the visit/leave method names this rule defines."""
        found: Dict[str, List[str]] = {}
        for attribute in dir(cls):
            node_type = _visited_node_type(attribute)
            if node_type:
                found.setdefault(node_type, []).append(attribute)
        return found

    @classmethod
    def scope_description(cls) -> str:
        return SCOPE_DESCRIPTIONS.get(cls.applies_to, ", ".join(sorted(cls.applies_to)))

    @classmethod
    def class_name_for(cls, rule_name: str) -> str:
        return "".join(part.capitalize() for part in rule_name.split("-"))


def _visited_node_type(attribute: str) -> Optional[str]:
    """``Call`` for ``visit_Call`` or ``leave_Call``: the method names
    ``(visit|leave)_[A-Z][A-Za-z]*``, matched without a regex: one fewer to
    compile at start-up."""
    if not attribute.startswith(("visit_", "leave_")):
        return None
    node_type = attribute[6:]
    return node_type if node_type.isascii() and node_type.isalpha() and node_type[0].isupper() else None
