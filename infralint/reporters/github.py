"""GitHub Actions workflow commands: one ``::error`` annotation per finding.

Escaping follows the Actions toolkit (``@actions/core``): in the message
``%``, ``\\r`` and ``\\n``; in properties also ``:`` and ``,``.
"""

from __future__ import annotations

from typing import Sequence

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary


class GithubReporter(Reporter):
    format_name = "github"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        return "\n".join(annotation(finding) for finding in findings)


def annotation(finding: Finding) -> str:
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", finding.path),
            ("line", finding.line),
            ("col", finding.column),
            ("endLine", finding.end_line),
            ("endColumn", finding.end_column),
            ("title", finding.code),
        )
    )
    return f"::error {properties}::{escape_data(finding.message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
