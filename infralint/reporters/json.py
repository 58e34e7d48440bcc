"""JSON output: a list of findings (DESIGN.md, "Command line"), or of rule
counts with --statistics."""

from __future__ import annotations

import json
from typing import Sequence

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary, rule_statistics


class JsonReporter(Reporter):
    format_name = "json"
    supports_statistics = True

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        if summary.statistics:
            data = [
                {"code": entry.code, "name": entry.name, "count": entry.count, "fixable": entry.fixable}
                for entry in rule_statistics(findings, summary)
            ]
        else:
            data = [finding.to_dict() for finding in findings]
        # Non-ASCII messages and paths stay readable; the output is UTF-8.
        return json.dumps(data, indent=2, ensure_ascii=False)


class JsonLinesReporter(Reporter):
    """ruff's ``json-lines``: one finding a line, each a JSON object as in
    the ``json`` format (streams well, and ``grep`` still works)."""

    format_name = "json-lines"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        return "\n".join(json.dumps(finding.to_dict(), ensure_ascii=False) for finding in findings)
