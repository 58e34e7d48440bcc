"""A whole ``check --fix`` / ``--diff`` run: every file fixed in memory
(`infralint.fixes`), then the module renames applied across the project
(`infralint.module_rename`), then a diff or the writes (`infralint.writes`).

A rename ties files together: the renamed module and every file whose
imports were rewritten for it are written as one group, or not at all."""

from __future__ import annotations

import difflib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

from infralint.filetypes import is_typescript_name
from infralint.findings import Applicability, Finding
from infralint.fixes import FileFix, encode, fix_file, parses
from infralint.project import PYTHON_SUFFIXES
from infralint.source import SourceText, UnreadableSource, decode
from infralint.writes import FileWrite, FixWriteError, write_together

if TYPE_CHECKING:
    from infralint.engine import Engine


@dataclass
class FileChange:
    """A file's text before and after the run, and where it moves."""

    path: Path
    source: SourceText
    text: str
    # The bytes read: what the file must still hold when it is written.
    original: bytes
    new_path: Optional[Path] = None

    @property
    def changed(self) -> bool:
        return self.new_path is not None or self.text != self.source.text

    @property
    def final_path(self) -> Path:
        return self.new_path or self.path

    def write(self) -> FileWrite:
        return FileWrite(self.path, encode(self.text, self.source), self.original, self.new_path)


class ProjectFix:
    """Fixes ``files`` in memory at ``minimum`` applicability or safer.
    ``findings`` are theirs from a plain run (parallel, cached): only the
    files with a fix to apply are fixed and linted again. ``project_files``
    lists the files whose imports a rename may rewrite."""

    def __init__(
        self,
        engine: "Engine",
        files: Sequence[Path],
        findings: Sequence[Finding],
        minimum: Applicability,
        project_files: Callable[[], Sequence[Path]],
    ) -> None:
        self.engine = engine
        self.minimum = minimum
        self._project_files = project_files
        self._python_files: Optional[List[Path]] = None
        self._imports: Dict[Path, Tuple[str, FrozenSet[str]]] = {}
        found: Dict[str, List[Finding]] = {}
        for finding in findings:
            found.setdefault(finding.path, []).append(finding)
        self.outcomes: Dict[Path, FileFix] = {}
        for path in files:
            of_file = found.get(engine.display_path(path), [])
            if any(f.fix is not None and f.fix.applicability >= minimum for f in of_file):
                self.outcomes[path] = fix_file(engine, path, minimum, findings=of_file)
            else:
                self.outcomes[path] = FileFix(path, None, None, of_file)
        self.changes: Dict[Path, FileChange] = {
            path: FileChange(path, outcome.source, outcome.fixed_text or outcome.source.text, outcome.data)
            for path, outcome in self.outcomes.items()
            if outcome.source is not None and outcome.data is not None
        }
        self.warnings: List[str] = [w for outcome in self.outcomes.values() for w in outcome.warnings]
        # Files that must be written together (a rename and its importers).
        self.groups: List[Set[Path]] = []
        self._apply_renames()

    # Results ----------------------------------------------------------------
    @property
    def fixed(self) -> int:
        return sum(sum(outcome.applied.values()) for outcome in self.outcomes.values())

    def applied(self) -> Dict[str, "Counter[str]"]:
        """Display path -> how many fixes of each code were applied there."""
        return {
            self.engine.display_path(path): outcome.applied
            for path, outcome in sorted(self.outcomes.items())
            if outcome.applied
        }

    def remaining(self) -> List[Finding]:
        findings = (finding for outcome in self.outcomes.values() for finding in outcome.remaining)
        return sorted(findings, key=lambda finding: finding.sort_key)

    def changed(self) -> List[FileChange]:
        return [change for _, change in sorted(self.changes.items()) if change.changed]

    def diff(self) -> str:
        """A unified diff of every change, git-style (renames included)."""
        return "".join(self._file_diff(change) for change in self.changed())

    # Writing --------------------------------------------------------------
    def write(self) -> List[str]:
        """Write every changed file, a group at a time; returns one error
        line per group that could not be written (left as it was)."""
        from infralint.interrupts import terminated_as_exception
        from infralint.journal import RunJournal

        errors: List[str] = []
        changed = self.changed()
        if not changed:
            return errors
        grouped = {path for group in self.groups for path in group}
        singles = [{change.path} for change in changed if change.path not in grouped]
        root = self.engine.project.root
        # SIGTERM cleans up as Ctrl-C does; after SIGKILL the next run does.
        with terminated_as_exception(), RunJournal(root, [change.path for change in changed]) as journal:
            for group in [*self.groups, *singles]:
                changes = [self.changes[path] for path in sorted(group) if self.changes[path].changed]
                try:
                    write_together([change.write() for change in changes], root, journal.token)
                except FixWriteError as error:
                    errors.append(str(error))
                    self._undo(group)
        return errors

    def _undo(self, group: Set[Path]) -> None:
        for path in group:
            change = self.changes[path]
            change.text, change.new_path = change.source.text, None
            outcome = self.outcomes.get(path)
            if outcome is not None:
                outcome.applied.clear()
                outcome.remaining = self.engine.lint_file(path)

    # Renames ----------------------------------------------------------------
    def _apply_renames(self) -> None:
        for path, outcome in list(self.outcomes.items()):
            for finding in list(outcome.remaining):
                fix = finding.fix
                if fix is not None and fix.rename is not None and fix.applicability >= self.minimum:
                    self._rename(outcome, finding, fix.rename)

    def _rename(self, outcome: FileFix, finding: Finding, name: str) -> None:
        path = outcome.path
        change = self.changes.get(path)
        if change is None or change.new_path is not None:
            return
        target = path.with_name(name)
        taken = os.path.lexists(target) or os.path.isdir(target.with_suffix(""))
        if taken or any(c.new_path == target for c in self.changes.values()):
            self._warn(finding, f"skipped: {name} exists")
            return
        from infralint.module_rename import UnrewritableImports

        try:
            texts = self._rewritten_imports(path, target)
        except UnrewritableImports as error:
            self._warn(finding, f"skipped: {error}")
            return
        if texts is None:
            self._warn(finding, "dropped: rewriting the imports would break a file (please report this bug)")
            return
        moved = texts.get(path, change.text)
        after = self.engine.lint_file(target, encode(moved, change.source))
        if any(f.code == finding.code and (f.line, f.column) == (finding.line, finding.column) for f in after):
            self._warn(finding, "dropped: it does not remove its finding (please report this bug)")
            return
        for file, text in texts.items():
            self.changes[file].text = text
        change.new_path = target
        outcome.applied[finding.code] += 1
        self._join({path, *texts})
        for file in {path, *texts}:
            if file in self.outcomes:
                current = self.changes[file]
                self.outcomes[file].remaining = self.engine.lint_file(
                    current.final_path, encode(current.text, current.source)
                )

    def _rewritten_imports(self, path: Path, target: Path) -> Optional[Dict[Path, str]]:
        """File -> its text with the imports of ``path``'s module naming
        ``target``'s; None when a rewritten file would not parse."""
        project = self.engine.project
        if is_typescript_name(path.name):
            from infralint.languages.typescript.rename import rewritten_importers

            typescript = (file for file in self._project_files() if is_typescript_name(file.name))
            return rewritten_importers(project, path, target, typescript, self._text_of)
        from infralint.module_rename import UnrewritableImports, imports_module, rewrite_imports

        old, new = project.module_name(path), project.module_name(target)
        if not old or not new or not path.stem.isidentifier():
            return {}  # nothing can import it by that name
        texts: Dict[Path, str] = {}
        for file in self._files():
            change = self._change(file)
            if change is None or not imports_module(self._imported_names(change), old):
                continue
            try:
                rewritten = rewrite_imports(change.text, project.file_info(file).package, old, new)
            except UnrewritableImports as error:
                shown = self.engine.display_path(file)
                raise UnrewritableImports(f"{shown} imports the module and its imports cannot be rewritten ({error})") from error
            if rewritten is None:
                continue
            if not parses(rewritten):
                return None
            texts[file] = rewritten
        return texts

    def _imported_names(self, change: FileChange) -> FrozenSet[str]:
        """What the file imports, parsed once per text of it."""
        from infralint.module_rename import imported_names

        known = self._imports.get(change.path)
        if known is None or known[0] != change.text:
            package = self.engine.project.file_info(change.path).package
            known = self._imports[change.path] = (change.text, imported_names(change.text, package))
        return known[1]

    def _files(self) -> Iterator[Path]:
        if self._python_files is None:
            found = {p for p in self._project_files() if p.suffix in PYTHON_SUFFIXES}
            self._python_files = sorted(found | set(self.changes))
        return iter(self._python_files)

    def _text_of(self, path: Path) -> Optional[str]:
        change = self._change(path)
        return None if change is None else change.text

    def _change(self, path: Path) -> Optional[FileChange]:
        """The file's current state in this run (read when first needed)."""
        change = self.changes.get(path)
        if change is None:
            try:
                data = self.engine.read(path)
                source = decode(data)
            except (OSError, UnreadableSource):
                return None
            change = self.changes[path] = FileChange(path, source, source.text, data)
        return change

    def _join(self, files: Set[Path]) -> None:
        """Merge ``files`` into one write group with any group they share."""
        merged = set(files)
        for group in [g for g in self.groups if g & merged]:
            merged |= group
            self.groups.remove(group)
        self.groups.append(merged)

    def _warn(self, finding: Finding, what: str) -> None:
        self.warnings.append(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} fix {what}")

    # Diff -------------------------------------------------------------------
    def _file_diff(self, change: FileChange) -> str:
        old = self.engine.display_path(change.path)
        new = self.engine.display_path(change.final_path)
        # git's header on every file, so that `git apply` takes the renames.
        header = f"diff --git a/{old} b/{new}\n"
        if change.new_path is not None:
            header += f"rename from {old}\nrename to {new}\n"
        hunks = difflib.unified_diff(
            _git_lines(change.source.text),
            _git_lines(change.text),
            fromfile=f"a/{old}",
            tofile=f"b/{new}",
        )
        return header + "".join(_terminated(line) for line in hunks)


def _git_lines(text: str) -> List[str]:
    """The lines of ``text`` as git sees them: only ``\n`` ends a line (a
    ``\r`` is part of the line), so that `git apply` takes the diff of a
    file with CR or CRLF line breaks."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _terminated(line: str) -> str:
    """A diff line always ends the line, with git's marker for a last line
    that has no newline."""
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
