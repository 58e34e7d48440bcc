"""JUnit XML for CI test-report views.

One ``<testcase>`` per file with findings, one ``<failure>`` per finding in
it; ``failures`` counts failing test cases. Without findings a single
passing test case named ``infralint`` keeps the report from looking empty.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Dict, List, Sequence

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary

# Characters XML 1.0 cannot hold even escaped (control characters, lone surrogates).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitReporter(Reporter):
    format_name = "junit"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        by_path: Dict[str, List[Finding]] = {}
        for finding in findings:
            by_path.setdefault(finding.path, []).append(finding)

        testsuites = ElementTree.Element("testsuites", name="infralint")
        testsuite = ElementTree.SubElement(testsuites, "testsuite", name="infralint")
        for path, path_findings in by_path.items():
            testcase = ElementTree.SubElement(
                testsuite, "testcase", classname=_xml_text(path), name=_xml_text(path)
            )
            for finding in path_findings:
                failure = ElementTree.SubElement(
                    testcase,
                    "failure",
                    message=_xml_text(f"{finding.code}: {finding.message}"),
                    type=finding.code,
                )
                failure.text = _xml_text(
                    f"{finding.path}:{finding.line}:{finding.column}: {finding.message}"
                )
        if not by_path:
            ElementTree.SubElement(testsuite, "testcase", classname="infralint", name="infralint")

        tests = str(max(len(by_path), 1))
        failures = str(len(by_path))
        for element in (testsuites, testsuite):
            element.set("tests", tests)
            element.set("failures", failures)
            element.set("errors", "0")
        ElementTree.indent(testsuites)
        body = ElementTree.tostring(testsuites, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
