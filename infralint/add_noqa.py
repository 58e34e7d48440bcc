"""`check --add-noqa`: suppress every reported finding where it is, as
ruff's ``--add-noqa`` does, so a project can adopt a rule and fix the old
findings later.

Each finding gets ``# infralint: ignore[CODE]`` where the suppression is
honoured (STANDARD.md, IL002): at the end of its line, or, when no comment
can go there (the line ends inside a multi-line string, or continues with
a backslash), at the end of the first line of its statement. A line that
already has a directive gets the code added to it (``ignore[IL101]`` ->
``ignore[IL101, IL302]``). A finding that neither line can take (a
statement whose first line also ends inside a string) is left and named
in a warning. A file is written only when its new text still parses (when
the old one did), atomically, in its own encoding and newlines.

Not suppressed: IL001 (a file that cannot be read or parsed has nowhere
to put a comment), IL002 (an unused suppression is removed, not
suppressed), and findings located outside Python files (IL501 at the
configuration file). TypeScript and JavaScript files are not edited yet
(their comments need their own tokenizer): a warning names each such file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from infralint.filetypes import is_typescript_name
from infralint.findings import Finding
from infralint.fixes import apply_edits, encode, parses
from infralint.project import PYTHON_SUFFIXES
from infralint.source import UnreadableSource, decode
from infralint.suppressions import find_suppressions, suppression_edit
from infralint.writes import FileWrite, FixWriteError, write_together

# Codes a suppression comment is not the answer to.
NOT_SUPPRESSED = frozenset({"IL001", "IL002"})


@dataclass
class AddedSuppressions:
    added: int = 0
    files: int = 0
    # Findings left as they were, and files that could not be written.
    warnings: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


def add_suppressions(findings: Sequence[Finding], cwd: Path, root: Optional[Path] = None) -> AddedSuppressions:
    """Add a suppression for each of ``findings`` (paths relative to
    ``cwd``); nothing is written outside ``root``."""
    result = AddedSuppressions()
    by_path: Dict[str, List[Finding]] = {}
    not_python: Dict[str, int] = {}
    for finding in findings:
        if finding.code in NOT_SUPPRESSED:
            continue
        if Path(finding.path).suffix in PYTHON_SUFFIXES:
            by_path.setdefault(finding.path, []).append(finding)
        elif is_typescript_name(finding.path):
            not_python[finding.path] = not_python.get(finding.path, 0) + 1
    for display, count in not_python.items():
        result.warnings.append(f"{display}: --add-noqa edits Python files only for now; {count} finding(s) left")
    for display, found in by_path.items():
        _add_to_file(cwd / display, display, found, root, result)
    return result


def _add_to_file(
    path: Path, display: str, findings: List[Finding], root: Optional[Path], result: AddedSuppressions
) -> None:
    try:
        original = path.read_bytes()
        source = decode(original)
    except (OSError, UnreadableSource) as error:
        result.errors.append(f"{display}: cannot read the file: {getattr(error, 'strerror', None) or error}")
        return
    text = source.text
    added = 0
    for finding in sorted(findings, key=lambda f: (f.line, f.column, f.code)):
        new_text = _suppressed(text, finding)
        if new_text is None:
            result.warnings.append(
                f"{display}:{finding.line}: no suppression comment can go on the line of {finding.code} or on "
                "the first line of its statement (each ends inside a string or continues with a backslash)"
            )
        elif new_text != text:
            text = new_text
            added += 1
    if not added:
        return
    if parses(source.text) and not parses(text):  # never expected: the edits are comments
        result.errors.append(f"{display}: adding the suppressions would break the file; left as it was")
        return
    try:
        write_together([FileWrite(path, encode(text, source), original)], root)
    except FixWriteError as error:
        result.errors.append(str(error))
        return
    result.added += added
    result.files += 1


def _suppressed(text: str, finding: Finding) -> Optional[str]:
    """``text`` with the finding suppressed: unchanged when it already is
    (another finding of the same code on the line); None when neither its
    line nor its statement's first line can take a comment."""
    lines = [finding.line]
    if finding.statement_line and finding.statement_line != finding.line:
        lines.append(finding.statement_line)
    for line in lines:
        if _covered(text, line, finding.code):
            return text
        edit = suppression_edit(text, line, finding.code)
        if edit is not None:
            return apply_edits(text, [edit])
    return None


def _covered(text: str, line: int, code: str) -> bool:
    return any(s.line == line and s.kind != "ignore-file" and s.covers(code) for s in find_suppressions(text))
