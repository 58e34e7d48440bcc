"""Lint one TypeScript or JavaScript file: the engine's TypeScript path.

Decode, parse with tree-sitter, report IL001 for a file that does not
parse, collect the module's facts once, run the TypeScript check of each
applicable rule, and hand the findings back with the file's suppressions
for the engine to apply as it does for Python.
"""

from __future__ import annotations

import codecs
import os
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple, Type

from infralint.context import FileContext
from infralint.findings import Finding
from infralint.languages.typescript.checks import CHECKS, TsFile
from infralint.languages.typescript.graph import imports_of, tree_imports
from infralint.languages.typescript.front_end import TsModule, node_text
from infralint.languages.typescript.parser import first_error
from infralint.languages.typescript.resolve import ConfigError
from infralint.languages.typescript.suppressions import find_suppressions
from infralint.model import ModuleModel
from infralint.project import FileInfo
from infralint.rules.base import Rule
from infralint.rules.layers import LayerViolationChain
from infralint.source import SourceText, wide_encoding

if TYPE_CHECKING:
    from infralint.engine import Engine


def lint(
    engine: "Engine",
    info: FileInfo,
    display_path: str,
    rules: Sequence[Type[Rule]],
    data: bytes,
    keep: Optional[List[object]] = None,
) -> List[Finding]:
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        wide = wide_encoding(data)
        reason = f"the file is {wide}-encoded: re-encode it as UTF-8" if wide else "binary file (contains NUL bytes), not source"
        return engine.report_unparsable(info, display_path, rules, reason, (1, 1))
    try:
        text = SourceText(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return engine.report_unparsable(info, display_path, rules, f"not valid UTF-8 at line {line} ({error.reason})", (1, 1))
    module = TsModule(text, data, info.path.name)
    if module.has_error:
        if LayerViolationChain.code in engine.settings.enabled and not bom:
            # IL103's graph takes this tree's imports rather than parse the
            # file again (same bytes; a file with a BOM is left to it).
            path = os.path.abspath(info.path)
            engine.typescript_imports[path] = tree_imports(engine.project, path, module.tree, module.grammar)
        reason, position = _syntax_problem(module)
        return engine.report_unparsable(info, display_path, rules, reason, position)
    module.collect()
    ctx = FileContext(info, display_path, text, None, ModuleModel(), engine.project)
    if keep is not None:
        keep.append(module)
    file = TsFile(module, ctx)
    for rule_class in rules:
        found = CHECKS.get(rule_class.code)
        if found is None or rule_class.runs_on_unparsable:
            continue
        rule = rule_class(ctx)
        try:
            found.function(rule, file)
        except ConfigError:
            raise  # a broken tsconfig is the user's to fix: the run stops with its message, exit 2
        except Exception as error:  # a bug in one rule must not stop the run
            ctx.internal_errors.append((rule_class.code, error))
    if LayerViolationChain.code in engine.settings.enabled:
        engine.typescript_imports[file.path] = imports_of(file)
    return engine.finish_file(ctx, rules, find_suppressions(module))


def _syntax_problem(module: TsModule) -> Tuple[str, Tuple[int, int]]:
    node = first_error(module.tree)
    line = node.start_point[0] + 1
    column = module.text.char_column(line, node.start_point[1])
    # tree-sitter-typescript's grammar lags the language a little: say so.
    lag = " (or syntax newer than tree-sitter-typescript knows)"
    if node.is_missing:
        return f"syntax error: missing {node.type!r}{lag}", (line, column)
    text = node_text(node).strip().splitlines()
    near = f" near {text[0][:20]!r}" if text and text[0] else ""
    return f"syntax error{near}{lag}", (line, column)
