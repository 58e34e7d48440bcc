"""pylint's parseable format, as ruff writes it: ``path:line: [CODE] message``
(editors and CI parsers that read pylint's output read this)."""

from __future__ import annotations

from typing import Sequence

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary


class PylintReporter(Reporter):
    format_name = "pylint"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        return "\n".join(f"{finding.path}:{finding.line}: [{finding.code}] {finding.message}" for finding in findings)
