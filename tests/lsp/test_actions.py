from __future__ import annotations

from typing import List, Optional

import pytest
from lsprotocol import types

from infralint.findings import Applicability, Edit, Finding, Fix
from infralint.lsp.actions import FIX_ALL_KIND, Buffer, code_actions, wants
from infralint.lsp.positions import UTF16

URI = "file:///project/shop/infrastructure/loader.py"
TEXT = "try:\n    load('😀')\nexcept:\n    pass\n"
EVERYWHERE = types.Range(start=types.Position(0, 0), end=types.Position(9, 0))


def bare_except(applicability: Applicability) -> Finding:
    fix = Fix((Edit((3, 7), (3, 7), " Exception"),), applicability, "Name the exception type")
    return Finding("IL302", "bare-except", "bare", "loader.py", 3, 1, 3, 7, fix=fix)


def actions_for(
    findings: List[Finding], only: Optional[List[str]] = None, fixed: Optional[str] = "fixed\n"
) -> List[types.CodeAction]:
    return code_actions(Buffer(URI, 3, TEXT, UTF16), findings, EVERYWHERE, only, [], lambda: fixed)


def test_an_unsafe_fix_is_labelled_and_not_preferred():
    fix, suppress = actions_for([bare_except(Applicability.UNSAFE)])
    assert fix.title == "infralint: Name the exception type (IL302) (unsafe)"
    assert not fix.is_preferred
    assert fix.edit.changes[URI] == [
        types.TextEdit(range=types.Range(start=types.Position(2, 6), end=types.Position(2, 6)), new_text=" Exception")
    ]
    assert suppress.title == "infralint: suppress IL302 on this line"


def test_a_safe_fix_is_preferred_and_offers_fix_all():
    fix, _, fix_all = actions_for([bare_except(Applicability.SAFE)])
    assert fix.is_preferred
    assert (fix_all.kind, fix_all.title) == (types.CodeActionKind.QuickFix, "infralint: fix all safe findings in the file")
    (replace_all,) = fix_all.edit.changes[URI]
    assert replace_all.range == types.Range(start=types.Position(0, 0), end=types.Position(4, 0))
    assert replace_all.new_text == "fixed\n"


def test_a_display_only_fix_is_never_applied():
    (suppress,) = actions_for([bare_except(Applicability.DISPLAY_ONLY)])
    assert "suppress" in suppress.title


@pytest.mark.parametrize(
    "fix",
    [
        Fix((Edit((3, 1), (3, 7), "exept:"),), Applicability.SAFE, "Break the file"),
        Fix((), Applicability.UNSAFE, "Rename the module", rename="loaders.py"),
    ],
)
def test_no_action_for_a_fix_that_breaks_the_file_or_renames_it(fix: Fix):
    finding = Finding("IL302", "bare-except", "bare", "loader.py", 3, 1, 3, 7, fix=fix)
    (suppress,) = actions_for([finding], only=[types.CodeActionKind.QuickFix], fixed=None)
    assert "suppress" in suppress.title


def test_fix_all_is_a_source_action_only_when_asked_for():
    (fix_all,) = actions_for([bare_except(Applicability.SAFE)], only=["source.fixAll"])
    assert fix_all.kind == FIX_ALL_KIND
    assert actions_for([bare_except(Applicability.SAFE)], only=["refactor"]) == []
    # Nothing to change: no fix-all action.
    assert len(actions_for([bare_except(Applicability.SAFE)], fixed=None)) == 2


def test_findings_outside_the_requested_range_have_no_actions():
    elsewhere = types.Range(start=types.Position(0, 0), end=types.Position(0, 2))
    buffer = Buffer(URI, 3, TEXT, UTF16)
    assert code_actions(buffer, [bare_except(Applicability.UNSAFE)], elsewhere, None, [], lambda: None) == []


def test_versioned_edits_when_the_client_takes_them():
    buffer = Buffer(URI, 3, TEXT, UTF16, versioned_edits=True)
    (change,) = buffer.edit([Edit((1, 1), (1, 1), "x")]).document_changes
    assert (change.text_document.uri, change.text_document.version) == (URI, 3)


@pytest.mark.parametrize(
    "kind, only, expected",
    [
        (FIX_ALL_KIND, None, True),
        (FIX_ALL_KIND, ["source"], True),
        (FIX_ALL_KIND, ["source.fixAll"], True),
        (FIX_ALL_KIND, ["source.fix"], False),
        (types.CodeActionKind.QuickFix, ["source"], False),
    ],
)
def test_wants_matches_hierarchical_kinds(kind: str, only: Optional[List[str]], expected: bool):
    assert wants(kind, only) is expected


def test_a_fix_inserts_line_breaks_in_the_buffer_s_style():
    text = "requests.get(\r\n    url,\r\n)\r\n"
    fix = Fix((Edit((2, 9), (2, 9), "\n    timeout=10,"),), Applicability.UNSAFE, "Add `timeout=10`")
    finding = Finding("IL403", "call-without-timeout", "no timeout", "loader.py", 1, 1, 1, 13, fix=fix)
    buffer = Buffer(URI, 3, text, UTF16)
    fix_action = code_actions(buffer, [finding], EVERYWHERE, None, [], lambda: None)[0]
    (edit,) = fix_action.edit.changes[URI]
    assert edit.new_text == "\r\n    timeout=10,"
