"""The TypeScript front end: one file's text -> what the rules read.

One parse and one query (``queries/module.scm``) per file collect the
facts every rule needs: imports with their specifiers and kinds, classes,
catch clauses, HTTP calls and client instances, secret-like declarations,
SQL calls, console calls, migration steps and comments. The rules' checks
(`infralint.languages.typescript.checks`) read these and the nodes they
hold; none walks the tree again.
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

from infralint.languages.typescript import parser
from infralint.languages.typescript.parser import Node
from infralint.source import SourceText

Position = Tuple[int, int, int, int]

# Import kinds.
STATIC = "static"  # import / export ... from, import x = require()
DYNAMIC = "dynamic"  # import("m")
REQUIRE = "require"  # require("m")


class TsImport(NamedTuple):
    specifier: str
    kind: str
    # The import or export statement, or the call.
    node: Node
    type_only: bool


class Captures(NamedTuple):
    """One match of the module query: the fact's node and its parts."""

    node: Node
    parts: Dict[str, List[Node]]

    def part(self, name: str) -> Optional[Node]:
        found = self.parts.get(name)
        return found[0] if found else None


# The outermost capture of each pattern names its fact.
_FACTS = (
    "import",
    "import.dynamic",
    "import.require",
    "class",
    "catch",
    "promise.catch",
    "call.plain",
    "call.method",
    "instance",
    "secret.declared",
    "secret.stored",
    "secret.default",
    "sql",
    "console",
    "migration.step",
)


class TsModule:
    """A parsed TypeScript or JavaScript file and its facts."""

    def __init__(self, text: SourceText, data: bytes, name: str) -> None:
        self.text = text
        self.data = data
        self.tree, self.grammar = parser.parse(data, name)
        self.facts: Dict[str, List[Captures]] = {fact: [] for fact in _FACTS}
        self.imports: List[TsImport] = []

    @property
    def has_error(self) -> bool:
        return bool(self.tree.root_node.has_error)

    def collect(self) -> None:
        """Run the module query once and sort its matches by fact."""
        facts = self.facts
        for _, captures in parser.matches(self.grammar, "module", self.tree.root_node):
            for fact in _FACTS:
                nodes = captures.get(fact)
                if nodes:
                    facts[fact].append(Captures(nodes[0], captures))
                    break
        self.imports = self._imports()

    def nodes(self, query: str, capture: str) -> List[Node]:
        """The nodes of one capture of a query of their own (strings.scm,
        comments.scm), for the files that need them."""
        found = parser.matches(self.grammar, query, self.tree.root_node)
        return [captures[capture][0] for _, captures in found if captures.get(capture)]

    def _imports(self) -> List[TsImport]:
        found = []
        for kind, fact in ((STATIC, "import"), (DYNAMIC, "import.dynamic"), (REQUIRE, "import.require")):
            for match in self.facts[fact]:
                source = match.part("source")
                if source is None:
                    continue
                node = match.node
                if node.type == "import_require_clause" and node.parent is not None:
                    node = node.parent  # the whole `import x = require("m")` statement
                found.append(TsImport(string_value(source), kind, node, _is_type_only(node)))
        found.sort(key=lambda i: i.node.start_byte)
        return found

    # Positions and text -------------------------------------------------------
    def position(self, node: Node) -> Position:
        """1-based line and character columns of a node."""
        (row, byte_column), (end_row, end_byte_column) = node.start_point, node.end_point
        char_column = self.text.char_column
        return row + 1, char_column(row + 1, byte_column), end_row + 1, char_column(end_row + 1, end_byte_column)


def node_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def string_value(node: Node) -> str:
    """The contents of a string literal (escapes left as written)."""
    text = node_text(node)
    return text[1:-1] if len(text) >= 2 and text[0] in "'\"`" and text[-1] == text[0] else text


def is_empty_block(block: Node) -> bool:
    """A ``{ }`` block with nothing but comments in it."""
    return all(child.type == "comment" for child in block.named_children)


def _is_type_only(statement: Node) -> bool:
    """``import type ...`` / ``export type ... from``."""
    return any(child.type == "type" for child in statement.children[:2])


def object_keys(node: Optional[Node]) -> Optional[List[str]]:
    """The keys of an object literal (shorthand ``{ timeout }`` too); None
    when ``node`` is not an object literal or spreads another object (its
    keys are unknown)."""
    if node is None or node.type != "object":
        return None
    keys = []
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None:
                keys.append(string_value(key) if key.type == "string" else node_text(key))
        elif child.type == "shorthand_property_identifier":
            keys.append(node_text(child))
        elif child.type == "spread_element":
            return None
        elif child.type == "method_definition":
            name = child.child_by_field_name("name")
            keys.append(node_text(name) if name is not None else "")
    return keys


def arguments_of(arguments: Node) -> List[Node]:
    """The argument expressions of an ``arguments`` node (comments aside)."""
    return [child for child in arguments.named_children if child.type != "comment"]
