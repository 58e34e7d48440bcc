"""Which project, settings and engine lint an editor buffer.

Each buffer is linted with the configuration the command line would use
for its path (the nearest ``pyproject.toml`` / ``infralint.toml`` upward),
so several projects in one workspace folder, or several folders, each keep
their own. The layer of a buffer comes from its path, whether or not it
was saved. Engines, and whether a path is excluded, are cached per project
and dropped when a configuration file, a ``.gitignore`` or the set of
Python files changes.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from infralint.config import CONFIG_FILE_NAMES, SETUP_CFG, find_git_root, load_settings
from infralint.discovery import GITIGNORE, is_excluded
from infralint.engine import Engine
from infralint.errors import InfralintError
from infralint.findings import Finding
from infralint.filetypes import is_typescript_name
from infralint.lsp.settings import ClientSettings
from infralint.project import PYTHON_SUFFIXES, Project
from infralint.reparse import IncrementalParser
from infralint.run import LintRun


@dataclass(frozen=True)
class ProjectError:
    """The configuration of the project holding a buffer is invalid."""

    message: str


def is_config_file(path: Path) -> bool:
    """A file the settings are read from (setup.cfg: its source roots)."""
    return path.name in CONFIG_FILE_NAMES or path.name == SETUP_CFG


def is_ignore_file(path: Path) -> bool:
    return path.name == GITIGNORE


def is_python_file(path: Path) -> bool:
    return path.suffix in PYTHON_SUFFIXES


# The editor's languageId -> the suffix an untitled buffer is linted as.
LANGUAGE_SUFFIXES = {
    "python": ".py",
    "typescript": ".ts",
    "typescriptreact": ".tsx",
    "javascript": ".js",
    "javascriptreact": ".jsx",
}


def is_source_file(path: Path) -> bool:
    """A file infralint lints: Python, TypeScript or JavaScript."""
    return is_python_file(path) or is_typescript_name(path.name)


class ProjectRegistry:
    """Engines for the buffers of an editor session, one per project."""

    def __init__(self, client: ClientSettings = ClientSettings()) -> None:
        # What the editor asked for: rule selection, configuration and baseline files.
        self.client = client
        # Directory of a buffer -> its engine (or why there is none).
        self._by_directory: Dict[Path, Union[Engine, ProjectError]] = {}
        # (project root, configuration file) -> engine, shared by directories.
        self._engines: Dict[Tuple[Path, Optional[Path]], Engine] = {}
        # Path of a buffer -> whether its project excludes it (reading the
        # .gitignore files above it took ~1 ms of every keystroke).
        self._excluded: Dict[Path, bool] = {}

    def engine_for(self, path: Path, folders: Sequence[Path]) -> Union[Engine, ProjectError]:
        directory = path.parent
        known = self._by_directory.get(directory)
        if known is None:
            known = self._by_directory[directory] = self._load(path, _folder_of(path, folders))
        return known

    def excludes(self, engine: Engine, path: Path) -> bool:
        """Whether a directory walk of ``engine``'s project would skip
        ``path`` (configuration or git), as `is_excluded` says."""
        known = self._excluded.get(path)
        if known is None:
            known = self._excluded[path] = is_excluded(path, engine.settings)
        return known

    def use(self, client: ClientSettings) -> None:
        """New settings from the editor: every project is loaded again."""
        self.client = client
        self.invalidate()

    def baseline(self, engine: Engine) -> Optional[Path]:
        """The editor's baseline file (relative to the workspace folder), or
        None for the configured one."""
        return engine.cwd / self.client.baseline if self.client.baseline else None

    def invalidate(self) -> None:
        """Forget every project: configuration or files changed."""
        self._by_directory.clear()
        self._engines.clear()
        self._excluded.clear()

    def _load(self, path: Path, folder: Optional[Path]) -> Union[Engine, ProjectError]:
        cwd = folder or path.parent
        client = self.client
        try:
            settings = load_settings(
                [path],
                cwd=cwd,
                config_file=Path(client.configuration) if client.configuration else None,
                select=client.select,
                extend_select=client.extend_select,
                ignore=client.ignore,
            )
        except InfralintError as error:
            source = " (with the editor's settings)" if client.overrides_rules or client.configuration else ""
            return ProjectError(f"{error}{source}")
        if folder is not None and settings.config_file is None and find_git_root(path.parent) is None:
            # Neither configuration nor git: the workspace folder is the
            # project root, as the working directory is on the command line.
            settings = settings.with_changes(root=folder)
        key = (settings.root, settings.config_file)
        engine = self._engines.get(key)
        if engine is None:
            engine = self._engines[key] = Engine(Project(settings), cwd=cwd)
        return engine


def _folder_of(path: Path, folders: Iterable[Path]) -> Optional[Path]:
    """The deepest workspace folder holding ``path``."""
    holding = [folder for folder in folders if is_within(path, folder)]
    return max(holding, key=lambda folder: len(folder.parts), default=None)


def is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def lint_buffer(
    engine: Engine,
    path: Path,
    text: str,
    keep: Optional[List[object]] = None,
    parser: Optional[IncrementalParser] = None,
    baseline: Optional[Path] = None,
) -> List[Finding]:
    """The findings for an editor buffer holding ``text`` at ``path``
    (whether the project excludes it is for the caller to ask first,
    `ProjectRegistry.excludes`), through the run step every entry point
    shares (the configured baseline...); ``keep`` as for
    `Engine.lint_file`; ``parser``: the buffer's own, which parses only
    what changed since its last text; ``baseline``: the editor's, else the
    configured one."""
    return LintRun(engine, baseline).lint_source(path, buffer_bytes(text), keep, parser.parse if parser is not None else None)


def buffer_bytes(text: str) -> bytes:
    """The bytes a buffer would be saved as: in the encoding its coding
    cookie declares, so the engine decodes it back to the same text."""
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data if encoding in ("utf-8", "utf-8-sig") else text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        # The engine reports the unreadable file (IL001) from these bytes.
        return data
