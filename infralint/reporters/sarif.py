"""SARIF 2.1.0 output for code scanning (DESIGN.md, "Command line").

One run; ``tool.driver.rules`` lists every registered rule, so a result's
``ruleIndex`` is the position of its code in the registry. Paths stay
relative (percent-encoded) to ``%SRCROOT%``, which GitHub code scanning resolves to the
repository root.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Dict, List, Sequence, Type

import infralint
from infralint.findings import DOCS_URL, Edit, Finding, Fix
from infralint.reporters import Reporter, Summary
from infralint.rules import RULES
from infralint.rules.base import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/infralint/infralint"
SOURCE_ROOT = "%SRCROOT%"


class SarifReporter(Reporter):
    format_name = "sarif"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        rule_index: Dict[str, int] = {rule.code: index for index, rule in enumerate(RULES)}
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "infralint",
                            "version": infralint.__version__,
                            "informationUri": INFORMATION_URI,
                            "rules": [rule_descriptor(rule) for rule in RULES],
                        }
                    },
                    # Columns count characters, not UTF-16 code units.
                    "columnKind": "unicodeCodePoints",
                    "results": [sarif_result(finding, rule_index) for finding in findings],
                }
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False)


def rule_descriptor(rule: Type[Rule]) -> dict:
    """A ``reportingDescriptor`` for one registered rule."""
    descriptor: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": short_description(rule)},
        "helpUri": DOCS_URL.format(code=rule.code),
        "defaultConfiguration": {"level": "error"},
    }
    full = full_description(rule)
    if full and full != descriptor["shortDescription"]["text"]:
        descriptor["fullDescription"] = {"text": full}
    return descriptor


def full_description(rule: Type[Rule]) -> str:
    """The first paragraph of the rule's "What it does" section, on one line."""
    # Imported here: infralint.docs imports the rules, which must not need the reporters.
    from infralint.docs import docstring_sections

    preamble, sections = docstring_sections(rule)
    text = preamble
    for section in sections:
        if section.heading.lower() == "what it does":
            text = section.body
            break
    paragraph = text.strip().split("\n\n")[0]
    return " ".join(paragraph.split())


def short_description(rule: Type[Rule]) -> str:
    """The first sentence of the full description, else the rule's name."""
    full = full_description(rule)
    if not full:
        return rule.name.replace("-", " ")
    match = re.match(r"(.+?[.!?])(\s|$)", full)
    return match.group(1) if match else full


def sarif_result(finding: Finding, rule_index: Dict[str, int]) -> dict:
    result: dict = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result.update(
        {
            "level": "error",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(finding.path),
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column,
                            "endLine": finding.end_line,
                            "endColumn": finding.end_column,
                        },
                    }
                }
            ],
        }
    )
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [sarif_fix(finding.path, finding.fix)]
    return result


def artifact_location(path: str) -> dict:
    """A relative URI: the path percent-encoded (spaces, non-ASCII, ``:``)."""
    # A name that is not UTF-8 is percent-encoded as its own bytes.
    return {"uri": urllib.parse.quote(path.encode("utf-8", "surrogateescape"), safe="/"), "uriBaseId": SOURCE_ROOT}


def sarif_fix(path: str, fix: Fix) -> dict:
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(path),
                "replacements": [replacement(edit) for edit in fix.edits],
            }
        ],
    }


def replacement(edit: Edit) -> dict:
    """The edit's region (end exclusive, like SARIF's) and its new text."""
    entry: dict = {
        "deletedRegion": {
            "startLine": edit.start[0],
            "startColumn": edit.start[1],
            "endLine": edit.end[0],
            "endColumn": edit.end[1],
        }
    }
    if edit.text:
        entry["insertedContent"] = {"text": edit.text}
    return entry


__all__: List[str] = ["SarifReporter"]
