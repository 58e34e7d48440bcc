"""TypeScript suppression comments: ``// infralint: ignore[IL101]`` at the
end of the reported line, ``// infralint: ignore-file[IL201]`` in the
file's first comment block. They become the same `Suppression` records as
Python's ``#`` comments, so the engine applies them, and IL002 reports and
removes the unused ones, the same way."""

from __future__ import annotations

from typing import List

from infralint.languages.typescript.front_end import TsModule, node_text
from infralint.languages.typescript.parser import Node
from infralint.source import SourceText
from infralint.lazyregex import lazy_regex
from infralint.suppressions import Suppression, codes_of

MARKER = "infralint"
_DIRECTIVE = lazy_regex(r"//\s*infralint\s*:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<codes>[^\]]*)\])?")


def find_suppressions(module: TsModule) -> List[Suppression]:
    if MARKER not in module.text.text:
        return []
    return _directives(module, module.nodes("comments", "comment"))


def suppressions_in_text(text: SourceText, name: str) -> List[Suppression]:
    """The suppressions of a file this run did not lint (IL103's chains
    start in files the cache answered for)."""
    if MARKER not in text.text:
        return []
    return find_suppressions(TsModule(text, text.text.encode("utf-8"), name))


def _directives(module: TsModule, comments: List[Node]) -> List[Suppression]:
    root = module.tree.root_node
    code_starts = [child.start_byte for child in root.named_children if child.type not in ("comment", "hash_bang_line")]
    first_code = code_starts[0] if code_starts else root.end_byte
    found: List[Suppression] = []
    for comment in comments:
        text = node_text(comment)
        if MARKER not in text:
            continue
        line = comment.start_point[0] + 1
        column = module.text.char_column(line, comment.start_point[1]) - 1
        for directive in _DIRECTIVE.finditer(text):
            kind = directive.group("kind")
            if kind == "ignore-file" and comment.start_byte > first_code:
                kind = "ignore"  # only the leading comment block covers the file
            codes = codes_of(directive, "codes", column)
            start, end = column + directive.start(), column + directive.end()
            found.append(Suppression(line, kind, start, end, codes, list(codes)))
    return found

