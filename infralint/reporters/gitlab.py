"""GitLab Code Quality JSON: a list of issues for merge-request widgets.

The fingerprint hashes the path, code, message and the occurrence index of
that triple in the file, not line numbers, so an issue keeps its identity
when unrelated edits move it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import List, Sequence, Tuple

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary


class GitlabReporter(Reporter):
    format_name = "gitlab"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        seen: Counter = Counter()
        issues: List[dict] = []
        for finding in findings:
            key = (finding.path, finding.code, finding.message)
            occurrence = seen[key]
            seen[key] += 1
            issues.append(
                {
                    "description": f"{finding.code} {finding.message}",
                    "check_name": finding.code,
                    "fingerprint": fingerprint(key, occurrence),
                    "severity": "major",
                    "location": {"path": finding.path, "lines": {"begin": finding.line}},
                }
            )
        return json.dumps(issues, indent=2, ensure_ascii=False)


def fingerprint(key: Tuple[str, str, str], occurrence: int) -> str:
    """sha256 hex of the JSON array ``[path, code, message, occurrence]``."""
    payload = json.dumps([*key, occurrence], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()  # names not UTF-8 too
