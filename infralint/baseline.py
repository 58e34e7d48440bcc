"""Baselines: record today's findings so that only new ones are reported.

A finding is identified by its path, its rule code, the stripped text of
its line and its occurrence index: the position among the findings with
the same path, code and text, in line order. Line numbers are left out on
purpose, so adding or removing lines elsewhere in a file does not bring old
findings back, while one more copy of a recorded violation is reported.

The baseline is meant to be committed: for a rule whose line holds a
credential (IL701) the text is never stored, only its SHA-256 (as
detect-secrets keeps `hashed_secret`), in ``content_sha256``. A baseline
written before that keeps working (its lines are hashed when read), with a
warning to record it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Sequence, Tuple

from infralint.errors import ConfigError
from infralint.findings import Finding
from infralint.reading import DEFAULT_MAX_FILE_SIZE, read_source

BASELINE_VERSION = 1

# Rules whose finding's line holds a secret: keyed by its hash.
SECRET_CODES = frozenset({"IL701"})
_HASH_PREFIX = "sha256:"

# read_line(path, line) -> the text of the 1-based line of the file at the
# cwd-relative path, or "" when there is no such line or file.
LineReader = Callable[[str, int], str]

# (path, code, stripped line content, occurrence index)
BaselineKey = Tuple[str, str, str, int]


@dataclass(frozen=True)
class BaselineEntry:
    path: str
    code: str
    content: str
    occurrence: int
    message: str

    @property
    def key(self) -> BaselineKey:
        return (self.path, self.code, self.content, self.occurrence)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.code, self.content, self.occurrence, self.message)

    def to_dict(self) -> dict:
        hashed = self.content.startswith(_HASH_PREFIX) and self.code in SECRET_CODES
        content = {"content_sha256": self.content[len(_HASH_PREFIX) :]} if hashed else {"content": self.content}
        return {"path": self.path, "code": self.code, **content, "occurrence": self.occurrence, "message": self.message}


def _content_key(code: str, content: str) -> str:
    """What identifies a finding's line: its stripped text, or for a line
    that holds a credential, a hash of it."""
    if code in SECRET_CODES:
        return _HASH_PREFIX + hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    return content


def _keyed(findings: Sequence[Finding], read_line: LineReader) -> List[Tuple[Finding, BaselineKey]]:
    """Pair each finding with its baseline key, in the order given."""
    contents = [_content_key(finding.code, read_line(finding.path, finding.line).strip()) for finding in findings]
    groups: Dict[Tuple[str, str, str], List[int]] = defaultdict(list)
    for index, (finding, content) in enumerate(zip(findings, contents)):
        groups[(finding.path, finding.code, content)].append(index)
    keys: List[BaselineKey] = [("", "", "", 0)] * len(findings)
    for (path, code, content), indices in groups.items():
        indices.sort(key=lambda i: (findings[i].line, findings[i].column, findings[i].sort_key))
        for occurrence, index in enumerate(indices):
            keys[index] = (path, code, content, occurrence)
    return list(zip(findings, keys))


def baseline_entries(findings: Sequence[Finding], read_line: LineReader) -> List[BaselineEntry]:
    """The sorted baseline entries for the findings."""
    entries = [
        BaselineEntry(path, code, content, occurrence, finding.message)
        for finding, (path, code, content, occurrence) in _keyed(findings, read_line)
    ]
    return sorted(entries, key=lambda entry: entry.sort_key)


@dataclass(frozen=True)
class Baseline:
    entries: Tuple[BaselineEntry, ...] = ()
    # Entries of SECRET_CODES that hold their line in clear (older baselines).
    clear_secrets: int = 0

    @property
    def keys(self) -> FrozenSet[BaselineKey]:
        return frozenset(entry.key for entry in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def filter(self, findings: Sequence[Finding], read_line: LineReader) -> List[Finding]:
        """The findings not recorded in the baseline, in the order given."""
        known = self.keys
        return [finding for finding, key in _keyed(findings, read_line) if key not in known]


def _render(entries: Sequence[BaselineEntry]) -> str:
    document = {"version": BASELINE_VERSION, "findings": [entry.to_dict() for entry in entries]}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _new_file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_baseline(path: Path, findings: Sequence[Finding], read_line: LineReader) -> None:
    """Write the baseline for the findings to path, atomically."""
    text = _render(baseline_entries(findings, read_line))
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = _new_file_mode(path)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            # A path that is not UTF-8 (lone surrogates) is written as a JSON
            # escape, "\udce9", which reads back as the same string.
            with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    except OSError as error:
        raise ConfigError(f"{path}: cannot write the baseline: {error.strerror or error}") from error


def _entry(display: str, index: int, item: object) -> BaselineEntry:
    where = f"{display}: findings[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected an object, got {type(item).__name__}")
    values = {}
    for name in ("path", "code", "message"):
        value = item.get(name)
        if not isinstance(value, str):
            raise ConfigError(f"{where}: '{name}' must be a string")
        values[name] = value
    occurrence = item.get("occurrence")
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 0:
        raise ConfigError(f"{where}: 'occurrence' must be a non-negative integer")
    digest = item.get("content_sha256")
    if digest is not None:
        if not (isinstance(digest, str) and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
            raise ConfigError(f"{where}: 'content_sha256' must be 64 lowercase hexadecimal digits")
        content = _HASH_PREFIX + digest
    else:
        content = item.get("content")
        if not isinstance(content, str):
            raise ConfigError(f"{where}: 'content' or 'content_sha256' must be a string")
        content = _content_key(values["code"], content)
    return BaselineEntry(values["path"], values["code"], content, occurrence, values["message"])


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; ConfigError names the file and the problem."""
    display = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ConfigError(f"{display}: no such baseline file") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{display}: invalid JSON: the file is not UTF-8") from error
    except OSError as error:
        raise ConfigError(f"{display}: cannot read the file: {error.strerror or error}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{display}: invalid JSON: {error}") from error
    except RecursionError as error:
        raise ConfigError(f"{display}: invalid baseline: JSON nested too deeply to read") from error
    if not isinstance(document, dict):
        raise ConfigError(f"{display}: expected a JSON object with 'version' and 'findings'")
    version = document.get("version")
    if version != BASELINE_VERSION or isinstance(version, bool):
        raise ConfigError(f"{display}: unsupported baseline version {version!r} (expected {BASELINE_VERSION})")
    items = document.get("findings")
    if not isinstance(items, list):
        raise ConfigError(f"{display}: 'findings' must be a list")
    entries = tuple(_entry(display, index, item) for index, item in enumerate(items))
    clear = sum(1 for item in items if item.get("code") in SECRET_CODES and "content_sha256" not in item)
    return Baseline(entries, clear)


def file_line_reader(cwd: Path) -> LineReader:
    """A read_line for files under cwd: UTF-8 (errors replaced), cached per path.

    Lines are split like Python's tokenizer does (\\n, \\r\\n, \\r); a missing
    file or line reads as "".
    """
    root = Path(cwd)
    cache: Dict[str, List[str]] = {}

    def read_line(path: str, line: int) -> str:
        lines = cache.get(path)
        if lines is None:
            try:  # never a FIFO or a device, never more than a source file may be
                data = read_source(root / path, DEFAULT_MAX_FILE_SIZE)
                text = data.decode("utf-8-sig", errors="replace")
                lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            except OSError:
                lines = []
            cache[path] = lines
        if 1 <= line <= len(lines):
            return lines[line - 1]
        return ""

    return read_line
