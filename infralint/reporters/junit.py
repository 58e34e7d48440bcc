"""JUnit XML for CI test-report views.

One ``<testcase>`` per finding, with its ``<failure>``: CI dashboards
count one failure per test case, so ``tests`` and ``failures`` count the
findings. A test case's ``classname`` is the file (dashboards group by
it) and its ``name`` the code and location (``IL101 src/a.py:3:1``: unique
within the file, and readable on its own). Without findings a single
passing test case named ``infralint`` keeps the report from looking empty.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Sequence

from infralint.findings import Finding
from infralint.reporters import Reporter, Summary

# Characters XML 1.0 cannot hold even escaped (control characters, lone surrogates).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitReporter(Reporter):
    format_name = "junit"

    def render(self, findings: Sequence[Finding], summary: Summary) -> str:
        testsuites = ElementTree.Element("testsuites", name="infralint")
        testsuite = ElementTree.SubElement(testsuites, "testsuite", name="infralint")
        for finding in findings:
            where = f"{finding.path}:{finding.line}:{finding.column}"
            testcase = ElementTree.SubElement(
                testsuite, "testcase", classname=_xml_text(finding.path), name=_xml_text(f"{finding.code} {where}")
            )
            failure = ElementTree.SubElement(
                testcase,
                "failure",
                message=_xml_text(f"{finding.code}: {finding.message}"),
                type=finding.code,
            )
            failure.text = _xml_text(f"{where}: {finding.message}")
        if not findings:
            ElementTree.SubElement(testsuite, "testcase", classname="infralint", name="infralint")

        tests = str(max(len(findings), 1))
        failures = str(len(findings))
        for element in (testsuites, testsuite):
            element.set("tests", tests)
            element.set("failures", failures)
            element.set("errors", "0")
        ElementTree.indent(testsuites)
        body = ElementTree.tostring(testsuites, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
