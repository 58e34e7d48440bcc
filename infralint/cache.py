"""The content cache: `.infralint_cache/` at the project root, like ruff's.

A second run over unchanged files parses nothing. One JSON file per
infralint version and settings fingerprint holds, per file (by its path
relative to the root), the hash of the content that was linted, the facts
the engine derived from its path (module, layer, test or not), the answers
``Project.is_module`` gave for it and the digests of the other files whose
bindings answered its rules' questions (its dependencies on other files,
see `infralint.names`) and its findings, fixes included. An entry is used only when all of these still
hold, so a cached run reports exactly what a fresh one would. The file
also keeps the findings of the last whole-project check (IL103) with a
digest of everything they depend on (`project_checks.graph_inputs`).

An entry also keeps the size and modification time (ns) the file had when
it was read: when both still match, the content is taken as unchanged
without reading or hashing it, as git's index and ruff's cache do. A file
modified less than ``RACY_NS`` before it was read could change again
within the same timestamp: its entry keeps no stat, so it is hashed on
every run (git's "racily clean" rule).

Writes go to a temporary file that replaces the old one: concurrent runs
never see a torn file (the last writer wins). A corrupt file is ignored
with a warning; a directory that cannot be written means running without
the cache, with one warning. A new infralint version removes what older
versions left there.

The cache owns only what it created. A directory is infralint's when it
holds a ``CACHEDIR.TAG`` with the standard signature and infralint's
comment; only then are entries removed from it (only the version
directories infralint names, never anything else). A directory infralint
creates is created whole (tag and ``.gitignore`` included) under a
temporary name and renamed into place, so no run ever sees it untagged. A
configured ``cache-dir`` that exists and is not infralint's (``src``,
``.``, ``.git``, a shared ``.cache``) is never written to itself: the
cache lives in a ``.infralint_cache`` subdirectory of it, and if that too
exists and is not infralint's, the run stops with a one-line error.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path, PurePath
from typing import Any, Callable, Dict, List, Mapping, Optional

import infralint
from infralint.databases import postgresql_evidence
from infralint.errors import InfralintError
from infralint.findings import Applicability, Edit, Finding, Fix, ImportLink
from infralint.project import FileInfo, Project

CACHE_DIR_NAME = ".infralint_cache"
# Bumped when the file layout below changes.
FORMAT = 4
# Files modified this recently (ns) when read are always hashed: covers
# coarse timestamps (2 s on FAT) and writes racing the read.
RACY_NS = 2_000_000_000
# Settings that do not change what a file's findings are.
_IRRELEVANT_SETTINGS = frozenset({"root", "config_file", "baseline", "cache_dir"})
CACHEDIR_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
_OWNER_COMMENT = "# This file is a cache directory tag created by infralint."
_CACHEDIR_TAG = (
    f"{CACHEDIR_SIGNATURE}\n{_OWNER_COMMENT}\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE = "# Automatically created by infralint.\n*\n"
# The names `_version_name` gives: the only entries a cleanup removes.
_VERSION_DIR = re.compile(r"[0-9][0-9A-Za-z.+!_-]*-py[0-9]+")


class CacheDirectoryError(InfralintError):
    """The configured cache directory cannot be used without touching
    files that are not infralint's."""


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


StatKey = Optional[List[int]]


def stat_key(stat: os.stat_result, read_at_ns: int) -> StatKey:
    """What identifies the content of a file read at ``read_at_ns`` after
    ``stat`` was taken; None when it was modified too recently to trust."""
    if stat.st_mtime_ns > read_at_ns - RACY_NS:
        return None
    return [stat.st_size, stat.st_mtime_ns]


class LintCache:
    """The cached findings of one project under one set of settings."""

    def __init__(self, directory: Path, project: Project) -> None:
        self.directory = owned_directory(directory)
        self.root = project.root
        self.warnings: List[str] = []
        self._version_dir = self.directory / _version_name()
        self._file = self._version_dir / f"{_fingerprint(project)}.json"
        self._entries: Dict[str, list] = {}
        # [inputs digest, findings] of the last whole-project check (IL103).
        self._project: Optional[list] = None
        # Relative path -> digest of the files entries depend on, this run.
        self._dependency_digests: Dict[str, Optional[str]] = {}
        self._load()
        self._dirty = False

    @classmethod
    def for_project(cls, project: Project) -> "LintCache":
        """The cache in the configured ``cache-dir``, else ``.infralint_cache``
        at the project root."""
        directory = project.settings.cache_dir or project.root / CACHE_DIR_NAME
        return cls(directory, project)

    @property
    def graph_directory(self) -> Optional[Path]:
        """Where grimp caches the import graph (IL103): in this version's
        directory, cleared with it; created (tagged) here, since grimp
        would create it untagged. None when it cannot be."""
        try:
            self._prepare_directory()
        except OSError as error:
            self._warn_unwritable(error)
            return None
        return self._version_dir / "grimp"

    # Reading -------------------------------------------------------------
    def findings(
        self, info: FileInfo, stat: os.stat_result, read: Callable[[], bytes], project: Project, display_path: str
    ) -> Optional[List[Finding]]:
        """The findings cached for this file at this place, or None.
        ``stat`` was taken before anything else; ``read`` is called (and
        may raise OSError) only when it does not match the entry's."""
        entry = self._entries.get(info.relative)
        if entry is None:
            return None
        try:
            digest, key, facts, lookups, findings, dependencies = entry
            if facts != _facts(info):
                return None
            if key is None or key != [stat.st_size, stat.st_mtime_ns]:
                read_at = time.time_ns()
                if digest != content_digest(read()):
                    return None
                # Same content, new timestamp (a checkout, a touch): the
                # next run need not read it.
                new_key = stat_key(stat, read_at)
                if new_key != key:
                    entry[1] = new_key
                    self._dirty = True
            if any(project.is_module(module) != exists for module, exists in lookups.items()):
                return None
            if any(self._digest_of(relative) != known for relative, known in dependencies.items()):
                return None
            return [_decode_finding(item, display_path) for item in findings]
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            self._warn_corrupt("an entry has an unexpected shape")
            del self._entries[info.relative]
            return None

    def project_findings(self, inputs: str) -> Optional[List[Finding]]:
        """The whole-project findings kept for ``inputs`` (a digest of what
        they depend on), or None."""
        if self._project is None or self._project[0] != inputs:
            return None
        try:
            return [_decode_project_finding(item) for item in self._project[1]]
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            self._warn_corrupt("the project entry has an unexpected shape")
            self._project = None
            return None

    # Writing -------------------------------------------------------------
    def store_project_findings(self, inputs: str, findings: List[Finding]) -> None:
        self._project = [inputs, [_encode_project_finding(f) for f in findings]]
        self._dirty = True

    def _digest_of(self, relative: str) -> Optional[str]:
        """The content digest of a dependency now (once per run), None when
        it cannot be read. A dependency is usually a linted file with an
        entry of its own: while its size and mtime are the entry's, the
        entry's digest is its content's (as for the file's own lookup), and
        it is not read — a warm run hashed every dependency before."""
        if relative not in self._dependency_digests:
            path = self.root / relative
            try:
                stat = os.stat(path)
                entry = self._entries.get(relative)
                if entry is not None and entry[1] is not None and entry[1] == [stat.st_size, stat.st_mtime_ns]:
                    self._dependency_digests[relative] = entry[0]
                else:
                    self._dependency_digests[relative] = content_digest(path.read_bytes())
            except (OSError, TypeError, IndexError):
                self._dependency_digests[relative] = None
        return self._dependency_digests[relative]

    def store(
        self,
        info: FileInfo,
        digest: str,
        key: StatKey,
        lookups: Mapping[str, bool],
        findings: List[Finding],
        dependencies: Optional[Mapping[str, str]] = None,
    ) -> None:
        """Keep ``findings`` of the content hashed to ``digest``, whose
        stat (taken before reading it) gave ``key``; they hold while the
        files in ``dependencies`` keep their digests (infralint.names)."""
        self._entries[info.relative] = [
            digest,
            key,
            _facts(info),
            dict(lookups),
            [_encode_finding(f) for f in findings],
            dict(dependencies or {}),
        ]
        self._dirty = True

    def save(self) -> None:
        """Write the entries back (only when something changed), dropping
        those of files that no longer exist."""
        if not self._dirty:
            return
        self._dirty = False
        entries = {relative: entry for relative, entry in self._entries.items() if (self.root / relative).exists()}
        try:
            self._prepare_directory()
            data = {"format": FORMAT, "files": entries, "project": self._project}
            _write_atomically(self._file, json.dumps(data, separators=(",", ":")))
        except OSError as error:
            self._warn_unwritable(error)

    def _warn_unwritable(self, error: OSError) -> None:
        warning = (
            f"{_shown(self.directory)}: cannot write the cache ({error.strerror or error}); "
            "running without it (--no-cache silences this)"
        )
        if warning not in self.warnings:
            self.warnings.append(warning)

    # Steps ---------------------------------------------------------------
    def _load(self) -> None:
        try:
            text = self._file.read_text(encoding="utf-8")
        except OSError:  # none yet, or unreadable: saving will tell
            return
        except UnicodeDecodeError as error:
            self._warn_corrupt(str(error))
            return
        try:
            data = json.loads(text)
        except ValueError as error:
            self._warn_corrupt(f"not JSON: {error}")
            return
        except RecursionError:  # nested deeper than the reader goes: rewritten like any corrupt file
            self._warn_corrupt("not JSON: nested too deeply")
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
            self._warn_corrupt("unexpected content")
            return
        self._entries = data["files"]
        project = data.get("project")
        self._project = project if isinstance(project, list) and len(project) == 2 else None

    def _warn_corrupt(self, reason: str) -> None:
        if not self.warnings:
            self.warnings.append(f"{_shown(self._file)}: ignoring the corrupt cache file ({reason})")

    def _prepare_directory(self) -> None:
        """Create the directory (git-ignored, tagged as a cache) unless it
        exists, and remove what other infralint versions left in it."""
        import shutil

        if not is_infralint_cache(self.directory):
            _create_tagged(self.directory)
        for entry in os.scandir(self.directory):
            name = entry.name
            if name != self._version_dir.name and _VERSION_DIR.fullmatch(name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
        self._version_dir.mkdir(exist_ok=True)


def is_infralint_cache(directory: Path) -> bool:
    """Whether ``directory`` holds infralint's ``CACHEDIR.TAG`` (a regular
    file: a link could make any directory look like a cache)."""
    tag = directory / "CACHEDIR.TAG"
    try:
        if tag.is_symlink():
            return False
        with open(tag, "rb") as stream:
            head = stream.read(512).decode("utf-8", "replace").splitlines()
    except OSError:
        return False
    return len(head) >= 2 and head[0] == CACHEDIR_SIGNATURE and head[1] == _OWNER_COMMENT


def owned_directory(configured: Path) -> Path:
    """Where the cache lives for the ``configured`` directory: itself when
    it is infralint's or does not exist yet, else its own ``.infralint_cache``
    subdirectory; raises CacheDirectoryError when that is taken too."""
    if not os.path.lexists(configured) or is_infralint_cache(configured):
        return configured
    inner = configured / CACHE_DIR_NAME
    if not os.path.lexists(inner) or is_infralint_cache(inner):
        return inner
    raise CacheDirectoryError(
        f"cache directory {_shown(configured)}: neither it nor its {CACHE_DIR_NAME} subdirectory is "
        "infralint's (no CACHEDIR.TAG by infralint); set cache-dir to a new directory, or use --no-cache"
    )


def _create_tagged(directory: Path) -> None:
    """Create ``directory`` with its tag and ``.gitignore``, atomically:
    built under a temporary name, then renamed into place. Raises OSError
    when it cannot be, or when something else took the name meanwhile."""
    import secrets
    import shutil

    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    os.mkdir(staging)
    try:
        (staging / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG, encoding="utf-8")
        (staging / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
        if not os.path.lexists(directory):  # rename() would replace an empty directory
            os.rename(staging, directory)
    except OSError:
        if not is_infralint_cache(directory):  # not another run's, created meanwhile
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not is_infralint_cache(directory):
        raise FileExistsError(errno.EEXIST, "created meanwhile by something else", str(directory))


def _version_name() -> str:
    return f"{infralint.__version__}-py{sys.version_info.major}{sys.version_info.minor}"


def _fingerprint(project: Project) -> str:
    """A hash of everything besides the file itself that its findings depend
    on: the settings, the project's first-party packages and effective
    layers, whether it runs on PostgreSQL (IL603), and infralint's own code (an editable install changes without a
    new version number)."""
    settings = {
        name: _canonical(getattr(project.settings, name))
        for name in project.settings._fields
        if name not in _IRRELEVANT_SETTINGS
    }
    facts = {
        "format": FORMAT,
        "settings": settings,
        "first_party": sorted(project.first_party),
        "layers": _canonical(project.layers),
        "src": [os.path.relpath(src, project.root) for src in project.src_roots],
        # IL603 depends on the project's requirements and settings files.
        "postgresql": postgresql_evidence(project) if "IL603" in project.settings.enabled else None,
        "code": _code_signature(),
    }
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _code_signature() -> List[Any]:
    package = Path(infralint.__file__).parent
    signature: List[Any] = []
    for directory, subdirectories, names in os.walk(package):
        subdirectories.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(directory, name))
                signature.append([os.path.relpath(os.path.join(directory, name), package), stat.st_size, stat.st_mtime_ns])
    return signature


def _canonical(value: Any) -> Any:
    """``value`` as JSON data that is the same in every process (sets
    sorted, paths as text)."""
    fields = getattr(type(value), "_fields", None)
    if isinstance(fields, tuple):  # a record or a NamedTuple (before tuple)
        return {name: _canonical(getattr(value, name)) for name in fields}
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(item) for item in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, enum.Enum):
        return _canonical(value.value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _facts(info: FileInfo) -> list:
    return [info.module, info.layer.name if info.layer else None, info.is_test]


def _encode_finding(finding: Finding) -> list:
    fix = finding.fix
    encoded_fix = None
    if fix is not None:
        edits = [[*edit.start, *edit.end, edit.text] for edit in fix.edits]
        encoded_fix = [int(fix.applicability), fix.message, edits, fix.rename]
    return [
        finding.code,
        finding.name,
        finding.message,
        finding.line,
        finding.column,
        finding.end_line,
        finding.end_column,
        finding.statement_line,
        encoded_fix,
    ]


def _decode_finding(item: list, path: str) -> Finding:
    code, name, message, line, column, end_line, end_column, statement_line, encoded_fix = item
    fix = None
    if encoded_fix is not None:
        applicability, fix_message, edits, rename = encoded_fix
        fix = Fix(
            tuple(Edit((a, b), (c, d), text) for a, b, c, d, text in edits),
            Applicability(applicability),
            fix_message,
            rename,
        )
    return Finding(code, name, message, path, line, column, end_line, end_column, fix, statement_line)


def _encode_project_finding(finding: Finding) -> list:
    chain = [[link.importer, link.imported, link.line] for link in finding.chain]
    return [finding.path, _encode_finding(finding), chain]


def _decode_project_finding(item: list) -> Finding:
    path, encoded, chain = item
    links = tuple(ImportLink(importer, imported, line) for importer, imported, line in chain)
    return _decode_finding(encoded, path)._replace(chain=links)


def _write_atomically(target: Path, text: str) -> None:
    import tempfile

    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, target)
    except BaseException:
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        raise


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()
