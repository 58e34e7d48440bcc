"""First-party TypeScript imports: which file a specifier names.

As TypeScript resolves them (``moduleResolution`` node / bundler): a
relative specifier (``./x``, ``../x``) from the importing file's
directory; otherwise through the nearest ``tsconfig.json`` /
``jsconfig.json`` above the file: ``compilerOptions.paths`` (the longest
matching pattern first, its substitutions in order), then
``compilerOptions.baseUrl``. ``extends`` is followed (relative paths and
packages under ``node_modules``); options of the extending file win, and
``baseUrl`` / ``paths`` stay relative to the file that set them. The files
may hold comments and trailing commas. A bare package name that no
mapping names is external (None).

A specifier names a file as written, with a TypeScript extension added
(``.ts``, ``.tsx``, ``.d.ts``, then JavaScript's), with ``.js`` written for
``.ts`` (ESM style), or a directory's ``index`` file. Every existence
check goes through `Project.file_exists`, so the cache knows which files a
module's findings depend on.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Dict, List, NamedTuple, Optional, Tuple

from infralint import errors

if TYPE_CHECKING:
    from infralint.project import Project

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mts", ".cts", ".mjs", ".cjs")
# ESM-style specifiers name the emitted file: `./db.js` is `./db.ts`.
_EMITTED = {
    ".js": (".ts", ".tsx", ".d.ts", ".js", ".jsx"),
    ".jsx": (".tsx", ".jsx"),
    ".mjs": (".mts", ".d.mts", ".mjs"),
    ".cjs": (".cts", ".d.cts", ".cjs"),
}
_INDEX = tuple("index" + extension for extension in _EXTENSIONS)
_JAVASCRIPT_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs")
_JAVASCRIPT_FIRST = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".d.ts", ".mts", ".cts")


class ConfigError(errors.ConfigError):
    """A tsconfig file that cannot be read: its path and what is wrong."""


class PathMappings(NamedTuple):
    """``baseUrl`` and ``paths`` of a tsconfig chain, absolute."""

    base_url: Optional[str]
    # (pattern, substitutions), longest prefix first.
    paths: Tuple[Tuple[str, Tuple[str, ...]], ...]


_NO_MAPPINGS = PathMappings(None, ())


def parse_jsonc(text: str, path: str) -> object:
    """JSON with ``//`` and ``/* */`` comments and trailing commas, as
    tsconfig files are written."""
    out: List[str] = []
    index, length = 0, len(text)
    while index < length:
        character = text[index]
        if character == '"':
            end = index + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index : end + 1])
            index = end + 1
        elif text.startswith("//", index):
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2)
            index = length if close < 0 else close + 2
        else:
            out.append(character)
            index += 1
    cleaned = _TRAILING_COMMA.sub(r"\1", "".join(out))
    try:
        return json.loads(cleaned)
    except ValueError as error:
        raise ConfigError(f"{path}: not valid JSON ({error})") from error


_TRAILING_COMMA = re.compile(r",(\s*[\]}])")


class Resolver:
    """Resolves specifiers for one project; memoises tsconfig files and
    the nearest config of each directory."""

    def __init__(self, project: "Project") -> None:
        self.project = project
        self._nearest: Dict[str, Optional[str]] = {}
        self._mappings: Dict[str, PathMappings] = {}
        # tsconfig path -> (path, stat when read) of it and what it extends.
        self._read: Dict[str, List[Tuple[str, os.stat_result]]] = {}

    # Public -------------------------------------------------------------------
    def resolve(self, importer: str, specifier: str) -> Optional[str]:
        """The absolute path of the first-party file ``specifier`` names in
        ``importer`` (absolute), or None (external or not found)."""
        javascript = importer.endswith(_JAVASCRIPT_SUFFIXES)
        for base in self.candidates(importer, specifier):
            found = self._file_for(base, javascript)
            if found is not None:
                return found
        return None

    def candidates(self, importer: str, specifier: str) -> List[str]:
        """The absolute paths (without extension) ``specifier`` may name:
        one for a relative specifier, the mapped ones otherwise (empty for
        an external package)."""
        if specifier.startswith(("./", "../")) or specifier in (".", ".."):
            return [os.path.normpath(os.path.join(os.path.dirname(importer), specifier))]
        if specifier.startswith("/"):
            return [os.path.normpath(specifier)]
        mappings = self.mappings_for(os.path.dirname(importer))
        bases = []
        for pattern, substitutions in mappings.paths:
            captured = _match_pattern(pattern, specifier)
            if captured is not None:
                bases.extend(os.path.normpath(s.replace("*", captured, 1)) for s in substitutions)
                break
        if mappings.base_url is not None:
            bases.append(os.path.normpath(os.path.join(mappings.base_url, specifier)))
        return bases

    def mappings_for(self, directory: str) -> PathMappings:
        config = self._nearest_config(directory)
        if config is None:
            return _NO_MAPPINGS
        mappings = self._load(config, ())
        # Every file resolved through them depends on the tsconfig chain as
        # read: recorded for each (the cache re-lints it when one changes).
        for path, stat in self._read[config]:
            self.project.file_unchanged(path, stat)
        return mappings

    # Files ---------------------------------------------------------------------
    def _file_for(self, base: str, javascript: bool = False) -> Optional[str]:
        """The file ``base`` names; a JavaScript importer gets the
        JavaScript file before the declarations TypeScript would pick
        (`./db` -> `db.js`, not `db.d.ts`), as Node loads it."""
        exists = self.project.file_exists
        stem, extension = os.path.splitext(base)
        if extension in _EMITTED:
            for replacement in _EMITTED[extension]:
                if exists(stem + replacement):
                    return stem + replacement
        elif extension in _EXTENSIONS and exists(base):
            return base
        for added in _JAVASCRIPT_FIRST if javascript else _EXTENSIONS:
            if exists(base + added):
                return base + added
        for index in _INDEX:
            candidate = os.path.join(base, index)
            if exists(candidate):
                return candidate
        return None

    # tsconfig ------------------------------------------------------------------
    def _nearest_config(self, directory: str) -> Optional[str]:
        if directory in self._nearest:
            return self._nearest[directory]
        found: Optional[str] = None
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if self.project.file_exists(candidate):
                found = candidate
                break
        if found is None:
            parent = os.path.dirname(directory)
            if parent != directory:
                found = self._nearest_config(parent)
        self._nearest[directory] = found
        return found

    def _load(self, path: str, seen: Tuple[str, ...]) -> PathMappings:
        known = self._mappings.get(path)
        if known is not None:
            return known
        if path in seen:
            raise ConfigError(f"{path}: `extends` loops back to this file")
        try:
            stat = os.stat(path)
            with open(path, encoding="utf-8-sig") as stream:
                data = parse_jsonc(stream.read(), path)
        except OSError as error:
            raise ConfigError(f"{path}: cannot read it ({error.strerror or error})") from error
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a JSON object")
        inherited = _NO_MAPPINGS
        extends = data.get("extends")
        parents: List[str] = []
        for parent in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
            parent_path = self._extended(path, parent) if isinstance(parent, str) else None
            if parent_path is not None:
                parents.append(parent_path)
                parent_mappings = self._load(parent_path, seen + (path,))
                inherited = PathMappings(
                    parent_mappings.base_url or inherited.base_url, parent_mappings.paths or inherited.paths
                )
        options = data.get("compilerOptions")
        options = options if isinstance(options, dict) else {}
        directory = os.path.dirname(path)
        base_url = inherited.base_url
        if isinstance(options.get("baseUrl"), str):
            base_url = os.path.normpath(os.path.join(directory, options["baseUrl"]))
        paths = inherited.paths
        if isinstance(options.get("paths"), dict):
            # `paths` resolve against baseUrl when set, else their own file.
            paths = _paths(options["paths"], base_url or directory)
        mappings = self._mappings[path] = PathMappings(base_url, paths)
        self._read[path] = [(path, stat)] + [item for parent in parents for item in self._read.get(parent, [])]
        return mappings

    def _extended(self, config: str, parent: str) -> Optional[str]:
        directory = os.path.dirname(config)
        if parent.startswith(("./", "../", "/")):
            candidate = os.path.normpath(os.path.join(directory, parent))
            for name in (candidate, candidate + ".json", os.path.join(candidate, "tsconfig.json")):
                if os.path.isfile(name):
                    return name
            return None
        # A package: node_modules above the config file.
        while True:
            base = os.path.join(directory, "node_modules", parent)
            for name in (base, base + ".json", os.path.join(base, "tsconfig.json")):
                if os.path.isfile(name):
                    return name
            up = os.path.dirname(directory)
            if up == directory:
                return None
            directory = up


def _paths(value: Dict[str, object], anchor: str) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    entries = []
    for pattern, substitutions in value.items():
        if isinstance(substitutions, list) and pattern.count("*") <= 1:
            targets = tuple(os.path.join(anchor, s) for s in substitutions if isinstance(s, str) and s.count("*") <= 1)
            entries.append((pattern, targets))
    # TypeScript prefers the longest prefix before the `*`; exact patterns first.
    entries.sort(key=lambda entry: ("*" in entry[0], -len(entry[0].split("*", 1)[0])))
    return tuple(entries)


def _match_pattern(pattern: str, specifier: str) -> Optional[str]:
    """What ``*`` stands for when ``specifier`` matches ``pattern`` ("" for
    an exact pattern), else None."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    prefix, suffix = pattern.split("*", 1)
    if specifier.startswith(prefix) and specifier.endswith(suffix) and len(specifier) >= len(prefix) + len(suffix):
        return specifier[len(prefix) : len(specifier) - len(suffix)]
    return None
