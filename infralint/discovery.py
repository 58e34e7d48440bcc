"""Turn the paths given on the command line into the files to lint: Python,
TypeScript and JavaScript (`infralint.filetypes`; not ``.d.ts``).

Directories are walked with ``os.scandir`` (symlinked directories are not
followed, so links cannot loop) and excluded directories are pruned rather
than walked, so skipping ``.venv`` or ``node_modules`` costs one check.
A symlinked file is followed only when it resolves inside the project
root: a cloned repository must not make a run read, or ``--fix`` write,
a file elsewhere (a link named on the command line that leads outside is
an error; one found while walking is skipped).
A path is skipped when the configured ``exclude`` / ``extend-exclude``
patterns match it (relative to the project root) or, with
``respect-gitignore``, when git would ignore it: ``.gitignore`` files at
every level (each relative to its own directory, the deepest deciding)
and ``.git/info/exclude``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

from infralint.config import find_git_root
from infralint.errors import DiscoveryError
from infralint.filetypes import is_source_name
from infralint.lazyregex import lazy_regex
from infralint.listings import DirectoryListings, directory_prefix, entry_is_file
from infralint.pathspecs import NAMED_GROUP, gitignore_patterns
from infralint.settings import Settings

GITIGNORE = ".gitignore"

# pathspec's prefix for "at any depth"; redundant when matching one name.
_ANY_DEPTH = "^(?:.+/)?"


def _posix(path: str) -> str:
    return path if os.sep == "/" else path.replace(os.sep, "/")


class _Rule(NamedTuple):
    on_name: bool  # no slash in the pattern: git matches it against the name
    dir_only: bool  # a trailing slash: directories only
    regex: re.Pattern[str]
    include: bool  # False for a negation ("!pattern")
    glob: Optional[str]  # the name pattern, when it needs no unescaping


def _rules_of_line(line: str) -> List[_Rule]:
    try:
        patterns = gitignore_patterns(line)
    except ValueError:
        return []  # git ignores invalid lines too (a lone "!")
    text = line.strip()
    text = text[1:] if text.startswith("!") else text
    dir_only = text.endswith("/")
    text = text.rstrip("/")
    text = text[3:] if text.startswith("**/") else text
    on_name = "/" not in text
    glob = text if on_name and line == line.strip() and "\\" not in text else None
    rules = []
    for include, regex, flags in patterns:
        if on_name and regex.startswith(_ANY_DEPTH):
            regex = "^" + regex[len(_ANY_DEPTH) :]
        rules.append(_Rule(on_name, dir_only, re.compile(regex, flags), include, glob))
    return rules


class _Prefilter:
    """Whether any of some rules may match a text: most paths match no
    pattern, and a set lookup, an ``endswith`` and one combined regex are
    much cheaper than trying a hundred regexes one by one."""

    def __init__(self, rules: Sequence[_Rule]) -> None:
        literals, suffixes, others = set(), [], []
        for rule in rules:
            glob = rule.glob
            if glob is not None and not _GLOB_CHARS.search(glob):
                literals.add(glob)  # ".venv", "build/", "__pycache__"
            elif glob is not None and glob.startswith("*") and not _GLOB_CHARS.search(glob[1:]):
                suffixes.append(glob[1:])  # "*.egg-info", "*.log"
            else:
                others.append(rule)
        self.literals = frozenset(literals)
        self.suffixes = tuple(suffixes)
        self.regex = _combined(others)

    def may_match(self, text: str) -> bool:
        return text in self.literals or text.endswith(self.suffixes) or self.regex.match(text) is not None


def _combined(rules: Sequence[_Rule]) -> re.Pattern[str]:
    if not rules:
        return _NEVER
    try:
        return re.compile("|".join("(?:%s)" % NAMED_GROUP.sub("(?:", rule.regex.pattern) for rule in rules))
    except re.error:
        return _ALWAYS  # then every rule is tried


_GLOB_CHARS = lazy_regex(r"[*?\[\]\\]")
_NEVER = lazy_regex(r"(?!)")
_ALWAYS = lazy_regex("")


class _Patterns:
    """gitignore-style patterns of one directory (a ``.gitignore``,
    ``.git/info/exclude``, or the configured excludes at the project root):
    the last matching pattern decides, as in git."""

    def __init__(self, directory: Path, lines: Iterable[str]) -> None:
        self.base = directory_prefix(directory)
        self.rules: Tuple[_Rule, ...] = tuple(rule for line in lines for rule in _rules_of_line(line))
        self._names = _Prefilter([rule for rule in self.rules if rule.on_name])
        self._paths = _Prefilter([rule for rule in self.rules if not rule.on_name])

    def decide(self, name: str, path: str, is_dir: bool) -> Optional[bool]:
        """True: excluded; False: re-included by a negation; None: no
        pattern matches. ``path`` is absolute, "/"-separated, below base."""
        relative = path[len(self.base) :]
        names, paths = self._names, self._paths
        if not (names.may_match(name) or paths.may_match(relative)):
            if not (is_dir and (names.may_match(name + "/") or paths.may_match(relative + "/"))):
                return None
        for rule in reversed(self.rules):
            if rule.dir_only and not is_dir:
                continue
            text = name if rule.on_name else relative
            # Only directory-only patterns see the trailing slash, so that
            # "generated/*" does not exclude "generated" itself.
            if rule.regex.match(text + "/" if rule.dir_only else text):
                return rule.include
        return None


def _read_ignore_file(path: Path, base: Optional[Path] = None) -> Optional[_Patterns]:
    """The patterns of an ignore file, relative to ``base`` (default: the
    file's directory); None when it is missing or has no patterns."""
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            lines = stream.read().splitlines()
    except OSError:
        return None
    patterns = _Patterns(base or path.parent, lines)
    return patterns if patterns.rules else None


def _git_dir(git_root: Path) -> Optional[Path]:
    """The repository's git directory; ``.git`` is a file pointing to it
    in worktrees and submodules, and worktrees share the common one."""
    dot_git = git_root / ".git"
    if dot_git.is_dir():
        return dot_git
    try:
        text = dot_git.read_text(encoding="utf-8").strip()
        if not text.startswith("gitdir:"):
            return None
        git_dir = (git_root / text[len("gitdir:") :].strip()).resolve()
        common = git_dir / "commondir"
        if common.is_file():
            git_dir = (git_dir / common.read_text(encoding="utf-8").strip()).resolve()
        return git_dir
    except OSError:
        return None


def _info_exclude(git_root: Path) -> Optional[_Patterns]:
    git_dir = _git_dir(git_root)
    if git_dir is None:
        return None
    # Its patterns are relative to the work tree, not to .git/info.
    return _read_ignore_file(git_dir / "info" / "exclude", base=git_root)


Levels = Tuple[_Patterns, ...]


class _Walker:
    def __init__(self, settings: Settings, listings: Optional[DirectoryListings] = None) -> None:
        self.root = settings.root.resolve()
        self.listings = listings or DirectoryListings()
        self.exclude_lines = tuple(settings.exclude) + tuple(settings.extend_exclude)
        self.respect_gitignore = settings.respect_gitignore

    # Deciding -----------------------------------------------------------
    @staticmethod
    def ignored(name: str, path: str, is_dir: bool, excludes: _Patterns, levels: Levels) -> bool:
        if excludes.decide(name, path, is_dir):
            return True
        # The deepest .gitignore with a matching pattern decides.
        for patterns in reversed(levels):
            decision = patterns.decide(name, path, is_dir)
            if decision is not None:
                return decision
        return False

    def inside_root(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    def _exclude_base(self, path: Path) -> Path:
        """Patterns are relative to the root, or to the walked directory
        (the file's directory) outside it."""
        if self.inside_root(path):
            return self.root
        return path if path.is_dir() else path.parent

    def ancestor_levels(self, directory: Path) -> Levels:
        """The ignore files in effect inside ``directory`` from above it:
        ``.git/info/exclude`` and the ``.gitignore`` files from the git root
        (else the project root) down to its parent."""
        if not self.respect_gitignore:
            return ()
        git_root = find_git_root(directory)
        stop = git_root or (self.root if self.inside_root(directory) else directory)
        levels: List[_Patterns] = []
        if git_root is not None:
            info = _info_exclude(git_root)
            levels.extend([info] if info else [])
        between = [stop] + [p for p in reversed(directory.parents) if stop in p.parents]
        for parent in between:
            if parent != directory:
                found = _read_ignore_file(parent / GITIGNORE)
                levels.extend([found] if found else [])
        return tuple(levels)

    def with_gitignore(self, directory: str, levels: Levels) -> Levels:
        """Levels for the entries of ``directory``, adding its .gitignore."""
        if not self.respect_gitignore:
            return levels
        found = _read_ignore_file(Path(directory) / GITIGNORE)
        return levels + (found,) if found else levels

    def path_excluded(self, target: Path) -> bool:
        """Whether walking down to ``target`` from the root (or its own
        directory outside the root) would skip it or a directory above it."""
        start = self._exclude_base(target)
        if target == start:
            return False
        excludes = _Patterns(start, self.exclude_lines)
        levels = self.ancestor_levels(start)
        current = start
        for part in target.relative_to(start).parts:
            levels = self.with_gitignore(str(current), levels)
            current = current / part
            is_dir = current != target or target.is_dir()
            if self.ignored(part, _posix(str(current)), is_dir, excludes, levels):
                return True
        return False

    # Walking ------------------------------------------------------------
    def walk(self, top: Path) -> Iterator[str]:
        """The source files below ``top``, depth first. Kept to one loop
        with cheap tests first: this runs on trees of 100k files."""
        excludes, levels = self._start(top)
        ignored = self.ignored
        stack = [(directory_prefix(top), levels)]
        entries_of = self.listings.entries
        while stack:
            prefix, levels = stack.pop()
            try:
                entries = entries_of(prefix)
            except OSError:
                continue  # unreadable or vanished: nothing to lint there
            if any(entry.name == GITIGNORE for entry in entries):
                levels = self.with_gitignore(prefix, levels)
            for entry in entries:
                name = entry.name
                is_dir = entry.is_dir(follow_symlinks=False)
                if not is_dir and not (is_source_name(name) and entry_is_file(entry)):
                    continue  # most files are not source files: no matching
                path = prefix + name
                if ignored(name, path, is_dir, excludes, levels):
                    continue
                if is_dir:
                    stack.append((path + "/", levels))
                elif not entry.is_symlink():
                    yield path
                else:
                    # Linted once, under its real path; only inside the root.
                    real = os.path.realpath(path)
                    if self.inside_root(Path(real)):
                        yield _posix(real)

    def _start(self, top: Path) -> Tuple[_Patterns, Levels]:
        """Patterns and levels for walking ``top``. A directory named
        explicitly is walked even when excluded: then patterns apply
        relative to it and the ignore files above it do not."""
        if self.path_excluded(top):
            return _Patterns(top, self.exclude_lines), ()
        return _Patterns(self._exclude_base(top), self.exclude_lines), self.ancestor_levels(top)


def discover(
    paths: Sequence[Path], settings: Settings, listings: Optional[DirectoryListings] = None
) -> List[Path]:
    """The sorted, de-duplicated, resolved source files to lint. A file
    named explicitly is always linted, whatever its name or exclusions.
    The directories walked are listed in ``listings`` (for the project's
    layer scan to reuse)."""
    walker = _Walker(settings, listings)
    found: Set[str] = set()
    for path in paths:
        if not path.exists():
            raise DiscoveryError(f"{path}: no such file or directory")
        resolved = path.resolve()
        if not walker.inside_root(resolved) and walker.inside_root(Path(os.path.abspath(path)).parent.resolve()):
            raise DiscoveryError(f"{path}: a link to {resolved}, outside the project root (links are followed only inside it)")
        if resolved.is_dir():
            if not os.access(resolved, os.R_OK | os.X_OK):
                raise DiscoveryError(f"{path}: permission denied")
            found.update(walker.walk(resolved))
        else:
            found.add(_posix(str(resolved)))
    # Sorting the strings by their parts orders them as Paths would, and
    # much faster than comparing 100k Path objects.
    return [Path(file) for file in sorted(found, key=lambda file: file.replace("/", "\0"))]


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether walking a directory above ``path`` would skip it: excluded
    by configuration or ignored by git, itself or through a directory above
    it. For the CLI, e.g. files named by pre-commit or ``--stdin-filename``."""
    absolute = Path(os.path.abspath(path))
    # Resolve the directories (the root is resolved) but keep the name:
    # a symlinked file is judged by where it is, not by its target.
    return _Walker(settings).path_excluded(absolute.parent.resolve() / absolute.name)
