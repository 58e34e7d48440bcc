"""IL201's fix for TypeScript: the project's imports of a renamed file,
rewritten. Every relative or aliased specifier that resolves to the old
file gets the new file name in its last segment, written the way it was
(`./payments` -> `./stripe-payment.adapter`, `./payments.js` ->
`./stripe-payment.adapter.js`, `@infra/payments` ->
`@infra/stripe-payment.adapter`); only the specifier's text changes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from infralint.filetypes import TYPESCRIPT_SUFFIXES
from infralint.languages.typescript import parser
from infralint.languages.typescript.checks.base import resolver_for
from infralint.languages.typescript.front_end import string_value
from infralint.project import Project

# What a specifier may end with for a file: the name without its
# extension, or with the extension TypeScript maps to it (`.js` for `.ts`).
_WRITTEN_FOR = {".ts": (".js", ".ts"), ".tsx": (".js", ".jsx", ".tsx"), ".mts": (".mjs", ".mts"), ".cts": (".cjs", ".cts")}


def _stem(name: str) -> Tuple[str, str]:
    for suffix in sorted(TYPESCRIPT_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return os.path.splitext(name)


def new_specifier(specifier: str, old: Path, new: Path) -> Optional[str]:
    """``specifier`` naming ``new`` instead of ``old``; None when its last
    segment names ``old`` in a way this does not know (a directory)."""
    head, _, last = specifier.rpartition("/")
    old_stem, old_suffix = _stem(old.name)
    new_stem, new_suffix = _stem(new.name)
    prefix = head + "/" if head or specifier.startswith("/") else ""
    if last == old_stem:
        return prefix + new_stem
    for written in _WRITTEN_FOR.get(old_suffix, (old_suffix,)):
        if last == old_stem + written:
            return prefix + new_stem + (written if written != old_suffix else new_suffix)
    return None


def rewritten_importers(
    project: Project, old: Path, new: Path, files: Iterable[Path], text_of: Callable[[Path], Optional[str]]
) -> Optional[Dict[Path, str]]:
    """File -> its text with the imports of ``old`` naming ``new``; None
    when an import cannot be rewritten or a rewritten file would not
    parse (then there is no fix)."""
    resolver = resolver_for(project)
    old_stem = _stem(old.name)[0]
    texts: Dict[Path, str] = {}
    for file in files:
        text = text_of(file)
        if text is None or old_stem not in text:
            continue  # every specifier of the file names it by its stem
        data = text.encode("utf-8", errors="surrogatepass")
        tree, grammar = parser.parse(data, file.name)
        edits: List[Tuple[int, int, bytes]] = []
        for _, captures in parser.matches(grammar, "imports", tree.root_node):
            source = captures.get("source")
            if not source:
                continue
            specifier = string_value(source[0])
            if resolver.resolve(os.path.abspath(file), specifier) != os.path.abspath(old):
                continue
            replacement = new_specifier(specifier, old, new)
            if replacement is None:
                return None
            edits.append((source[0].start_byte + 1, source[0].end_byte - 1, replacement.encode("utf-8")))
        if not edits:
            continue
        for start, end, replacement in sorted(edits, reverse=True):
            data = data[:start] + replacement + data[end:]
        rewritten = data.decode("utf-8", errors="surrogatepass")
        if not parser.parses_as(rewritten, file.name):
            return None
        texts[file] = rewritten
    return texts
