"""Text output in ruff's style: one finding a line, then a summary line."""

from __future__ import annotations

from typing import List, Mapping, Optional, Sequence

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary, fix_counts, rule_statistics


class TextReporter(Reporter):
    format_name = "text"
    supports_statistics = True

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        if summary.statistics:
            lines = statistics_lines(findings, summary)
        else:
            lines = [line for finding in findings for line in self.finding_lines(finding, summary)]
        if summary.show_fixes:
            lines.extend(fixes_lines(fix_counts(findings, summary), applied=summary.fixed is not None))
        if not summary.quiet:
            lines.append(summary_line(findings, summary))
        return "\n".join(lines)

    def finding_lines(self, finding: Finding, summary: Summary) -> List[str]:
        """What the format shows of one finding (`finding_lines`)."""
        return finding_lines(finding, summary)


def finding_lines(finding: Finding, summary: Summary) -> List[str]:
    """The finding's line, then for an import chain (IL103) one indented
    line per import with its line number, as import-linter shows chains."""
    chain = [f"    {link.importer} -> {link.imported}{_at_line(link.line)}" for link in finding.chain]
    return [finding_line(finding, summary), *chain]


def _at_line(line: Optional[int]) -> str:
    return f" (l.{line})" if line is not None else ""


def finding_line(finding: Finding, summary: Summary) -> str:
    """``path:line:col: CODE [*] message``; ``[*]`` when --fix would fix it."""
    marker = " [*]" if summary.would_fix(finding) else ""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code}{marker} {finding.message}"


def statistics_lines(findings: Sequence[Finding], summary: Summary) -> List[str]:
    """``  3  IL101  [ ] layer-violation``: counts right-aligned in one column."""
    statistics = rule_statistics(findings, summary)
    if not statistics:
        return []
    count_width = max(len(str(entry.count)) for entry in statistics)
    code_width = max(len(entry.code) for entry in statistics)
    return [
        f"  {entry.count:>{count_width}}  {entry.code:<{code_width}}  "
        f"{'[*]' if entry.fixable else '[ ]'} {entry.name}"
        for entry in statistics
    ]


def fixes_lines(counts: Mapping[str, Mapping[str, int]], applied: bool) -> List[str]:
    """ruff's fix summary: ``Fixed 3 findings:``, then ``- path:`` and
    ``    2 × IL302 (bare-except)`` per file; nothing when there are none."""
    from infralint.rules import find_rule

    total = sum(sum(per_code.values()) for per_code in counts.values())
    if not total:
        return []
    noun = "finding" if total == 1 else "findings"
    lines = ["", f"{'Fixed' if applied else 'Would fix'} {total} {noun}:"]
    width = max(len(str(n)) for per_code in counts.values() for n in per_code.values())
    for path in sorted(counts):
        lines.append(f"- {path}:")
        for code, count in sorted(counts[path].items(), key=lambda item: (-item[1], item[0])):
            rule = find_rule(code)
            lines.append(f"    {count:>{width}} × {code} ({rule.name if rule else code})")
    lines.append("")
    return lines


def summary_line(findings: Sequence[Finding], summary: Summary) -> str:
    """``Found 2 findings (1 fixable with --unsafe-fixes).`` or ``All checks passed.``"""
    if summary.fixed is not None:
        noun = "finding" if summary.fixed == 1 else "findings"
        return f"Fixed {summary.fixed} {noun} ({len(findings)} remaining)."
    if not findings:
        return "All checks passed."
    count = len(findings)
    noun = "finding" if count == 1 else "findings"
    fixable = sum(1 for finding in findings if summary.would_fix(finding))
    held_back = sum(1 for finding in findings if summary.needs_unsafe_fixes(finding))
    notes = []
    if fixable:
        notes.append(f"{fixable} fixable with --fix")
    if held_back:
        notes.append(f"{held_back} fixable with --unsafe-fixes")
    details = f" ({', '.join(notes)})" if notes else ""
    return f"Found {count} {noun}{details}."
