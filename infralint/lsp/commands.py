"""The server's commands (workspace/executeCommand), for editors' key
bindings and command palettes:

- ``infralint.applyFix`` ``{"uri": URI, "diagnostic": DIAGNOSTIC}`` (or
  ``{"uri", "code", "range"}``): apply the fix of that finding, as its quick
  fix does, through workspace/applyEdit; ``{"applied": bool}``.
- ``infralint.fixAll`` ``{"uri": URI}`` (or the URI): apply every safe fix
  in the buffer (and the unsafe ones with the ``unsafeFixes`` setting);
  ``{"applied": bool}``, false when there was nothing to fix.
- ``infralint.showRule`` ``"IL302"`` (a code or a rule name, or
  ``{"code": ...}``): the rule's page in Markdown, as `infralint rule` prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from infralint.lsp.actions import fix_action
from infralint.lsp.capabilities import APPLY_FIX, FIX_ALL, SHOW_RULE
from infralint.lsp.diagnostics import finding_range

if TYPE_CHECKING:
    from infralint.lsp.server import InfralintServer


def _argument(arguments: Any, key: str) -> Any:
    """``key`` of the first argument when it is an object, else the first argument."""
    first = arguments[0] if arguments else None
    return first.get(key) if isinstance(first, dict) else first


def _invalid(message: str) -> JsonRpcInvalidParams:
    return JsonRpcInvalidParams(message)


def register_commands(server: "InfralintServer") -> None:
    converter = server.protocol._converter

    @server.command(APPLY_FIX)
    async def apply_fix(*arguments: Any) -> Dict[str, bool]:
        uri = _argument(arguments, "uri")
        first = arguments[0] if arguments and isinstance(arguments[0], dict) else {}
        wanted = first.get("diagnostic", first)
        try:
            code = str(wanted["code"])
            where = converter.structure(wanted["range"], types.Range)
        except Exception as error:  # a missing key, or cattrs's own errors
            raise _invalid(f"{APPLY_FIX} takes {{'uri': ..., 'diagnostic': {{'code': ..., 'range': ...}}}}: {error}") from error
        opened = server.buffer_of(str(uri)) if isinstance(uri, str) else None
        if opened is None:
            raise _invalid(f"{APPLY_FIX}: {uri!r} is not an open Python document")
        _, buffer = opened
        findings = server.fresh_findings(buffer)
        if findings is None:
            raise _invalid(f"{APPLY_FIX}: the document changed since its diagnostics; ask again")
        lines = buffer.lines
        for finding in findings:
            if finding.code == code and finding_range(finding, lines, buffer.encoding) == where:
                action = fix_action(buffer, finding, [])
                if action is None or action.edit is None:
                    raise _invalid(f"{APPLY_FIX}: that {code} finding has no fix to apply here")
                return await _apply(server, action.edit, action.title)
        raise _invalid(f"{APPLY_FIX}: no {code} finding at that range")

    @server.command(FIX_ALL)
    async def fix_all(*arguments: Any) -> Dict[str, bool]:
        uri = _argument(arguments, "uri")
        if not isinstance(uri, str) or server.buffer_of(uri) is None:
            raise _invalid(f"{FIX_ALL}: {uri!r} is not an open Python document")
        fixed = await server.fix_all_edits(uri)
        if fixed is None:
            return {"applied": False}
        buffer, text = fixed
        return await _apply(server, buffer.replace_all(text), "infralint: fix all")

    @server.command(SHOW_RULE)
    def show_rule(*arguments: Any) -> str:
        from infralint.docs import render_rule_page
        from infralint.rules import find_rule

        wanted = _argument(arguments, "code")
        rule = find_rule(wanted) if isinstance(wanted, str) else None
        if rule is None:
            raise _invalid(f"{SHOW_RULE}: unknown rule {wanted!r}")
        return str(render_rule_page(rule))


async def _apply(server: "InfralintServer", edit: types.WorkspaceEdit, label: str) -> Dict[str, bool]:
    result: Optional[types.ApplyWorkspaceEditResult] = await server.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=label)
    )
    return {"applied": bool(result is not None and result.applied)}
