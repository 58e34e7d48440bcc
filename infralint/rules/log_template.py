"""IL704's fix: an f-string log message, possibly implicitly concatenated
over several lines, rewritten as a logging template and its arguments
(imported only when a logging call has an f-string message).

Each string piece of the message is edited in place, so the lines,
indentation and comments between pieces stay; the arguments go after the
last piece. Every rewrite is checked by rendering: the new template with
its arguments must give the pieces of the old message (same text, same
expressions with the same conversions), otherwise no fix is offered.
"""

from __future__ import annotations

import ast
import io
import re
import string
import tokenize
from typing import List, Optional, Sequence, Tuple, Union

from infralint.findings import Edit
from infralint.lazyregex import lazy_regex
from infralint.records import FrozenRecord

# A one-line string literal: prefix, quote, body (a triple-quoted one has
# two quotes at the start of its body).
_PIECE = lazy_regex(r"([A-Za-z]{0,2})(['\"])(.*)\2\Z")
# What may follow a replacement field's expression: closing parentheses
# (ast positions exclude them), a `=` (self-documenting field), a `!r` /
# `!s` conversion, then the closing brace; a format spec or `!a` does not.
_FIELD_TAIL = lazy_regex(r"([\s)]*)(=\s*)?(?:!([rs]))?\}")
# A `%` directive of a standard library template.
_PERCENT = lazy_regex(r"%(.?)", re.DOTALL)
_PLAIN_PREFIXES = ("", "u", "r")
_FORMATTED_PREFIXES = ("f", "rf", "fr")
_CONVERSIONS = {-1: "s", ord("s"): "s", ord("r"): "r"}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # 3.12+: f-strings are several tokens
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_BETWEEN_PIECES = (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE, tokenize.ENDMARKER)

# A rendered message: literal text and (expression dump, conversion) fields.
_Part = Union[str, Tuple[str, str]]
_Position = Tuple[int, int]


class _Piece(FrozenRecord):
    """A string literal of the message: (row, column) in the tokenized
    message source."""

    __slots__ = ("start", "end", "text")

    start: _Position
    end: _Position
    text: str

    def __init__(self, start: _Position, end: _Position, text: str) -> None:
        self._assign(start, end, text)


def template_edits(
    lines: Sequence[str], message: ast.JoinedStr, span: Tuple[int, int, int, int], loguru: bool
) -> Optional[Tuple[Edit, ...]]:
    """Edits turning ``message`` (at ``span``: 1-based line and character
    columns, end exclusive, in ``lines``) into ``template, arg1, arg2``; None
    when it cannot be done without changing the logged text."""
    line, column = span[:2]
    source = _wrapped_source(lines, span)
    pieces = _string_pieces(source)
    if not pieces:
        return None
    templates: List[str] = []
    arguments: List[str] = []
    for piece in pieces:
        converted = _template_piece(piece.text, loguru)
        if converted is None:
            return None
        templates.append(converted[0])
        arguments.extend(converted[1])
    rewritten = _replaced(source, pieces, templates)
    if not arguments or not _renders_the_same(message, rewritten, arguments, loguru):
        return None

    def position(row_column: _Position) -> Tuple[int, int]:
        row, col = row_column  # row 1 starts with the added "(" (one column)
        return (line + row - 1, col + column - 1 if row == 1 else col + 1)

    edits = []
    for index, (piece, template) in enumerate(zip(pieces, templates)):
        if index == len(pieces) - 1:
            template += "".join(", " + a for a in arguments)
        if template != piece.text:
            edits.append(Edit(position(piece.start), position(piece.end), template))
    return tuple(edits)


def is_bare(lines: Sequence[str], previous_end: Tuple[int, int], start: Tuple[int, int], separator: str) -> bool:
    """Whether only ``separator`` (the call's "(" or the "," after the
    level), blanks and comments come between ``previous_end`` and the
    message's ``start`` (1-based lines and columns): a message in its own
    parentheses would take the arguments into them, as a tuple."""
    text = _between(lines, previous_end, start)
    code = "".join(line.split("#", 1)[0] for line in text.split("\n"))
    return "".join(code.split()).replace("\\", "") == separator


def _between(lines: Sequence[str], start: Tuple[int, int], end: Tuple[int, int]) -> str:
    selected = list(lines[start[0] - 1 : end[0]])
    selected[-1] = selected[-1][: end[1] - 1]
    selected[0] = selected[0][start[1] - 1 :]
    return "\n".join(selected)


def _wrapped_source(lines: Sequence[str], span: Tuple[int, int, int, int]) -> str:
    """The message's source between parentheses, so that tokenize reads its
    line breaks as inside brackets."""
    return "(" + _between(lines, span[:2], span[2:]) + ")"


def _string_pieces(source: str) -> Optional[List[_Piece]]:
    """The string literals of ``source`` (an implicit concatenation between
    parentheses), or None when it holds anything else, such as extra
    parentheses."""
    rows = source.split("\n")
    pieces: List[_Piece] = []
    others: List[str] = []
    depth = 0
    start: _Position = (0, 0)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == _FSTRING_START:
                depth += 1
                start = token.start if depth == 1 else start
            elif token.type == _FSTRING_END:
                depth -= 1
                if depth == 0:
                    pieces.append(_Piece(start, token.end, _text(rows, start, token.end)))
            elif depth:
                continue  # inside a 3.12+ f-string
            elif token.type == tokenize.STRING:
                pieces.append(_Piece(token.start, token.end, token.string))
            elif token.type not in _BETWEEN_PIECES:
                others.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        return None
    return pieces if others == ["(", ")"] else None


def _text(rows: Sequence[str], start: _Position, end: _Position) -> str:
    if start[0] != end[0]:
        return ""  # a piece spanning lines: _template_piece refuses it
    return rows[start[0] - 1][start[1] : end[1]]


def _template_piece(text: str, loguru: bool) -> Optional[Tuple[str, List[str]]]:
    """A piece's template literal and the arguments of its fields."""
    match = _PIECE.match(text)
    if match is None:
        return None
    prefix, quote, body = match.groups()
    if body.startswith(quote * 2):  # triple quotes
        return None
    if prefix.lower() in _PLAIN_PREFIXES:  # one token: its quotes are escaped
        return prefix + quote + _escaped(body, loguru) + quote, []
    if prefix.lower() not in _FORMATTED_PREFIXES or quote in body:  # nested or escaped quotes
        return None
    converted = _formatted_body(text, len(prefix) + 1, len(text) - 1, loguru)
    if converted is None:
        return None
    template, arguments = converted
    return prefix.replace("f", "").replace("F", "") + quote + template + quote, arguments


def _formatted_body(text: str, start: int, end: int, loguru: bool) -> Optional[Tuple[str, List[str]]]:
    """The template body and arguments of the f-string ``text`` whose body
    is ``text[start:end]``; its fields are located from the parsed piece's
    expression positions."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.JoinedStr):
        return None
    data = text.encode("utf-8")
    template: List[str] = []
    arguments: List[str] = []
    cursor = start
    for value in node.values:
        if isinstance(value, ast.Constant):
            continue
        if not isinstance(value, ast.FormattedValue) or value.format_spec is not None:
            return None
        expression = value.value
        conversion = _CONVERSIONS.get(value.conversion)
        if conversion is None or expression.end_col_offset is None:
            return None
        expression_start = len(data[: expression.col_offset].decode("utf-8"))
        expression_end = len(data[: expression.end_col_offset].decode("utf-8"))
        opening = text.rfind("{", cursor, expression_start)
        tail = _FIELD_TAIL.match(text, expression_end)
        if opening < 0 or tail is None or not _balanced(text[opening + 1 : expression_start], tail.group(1)):
            return None
        source = text[expression_start:expression_end]
        argument = None if "\\" in source else _as_argument(source, expression)
        if argument is None:
            return None
        template.append(_escaped(_unescaped_braces(text[cursor:opening]), loguru))
        if tail.group(2) is not None:  # `{x=}` logs the text "x=" before the value
            template.append(_escaped(text[opening + 1 : tail.end(2)], loguru))
        template.append(("{}" if conversion == "s" else "{!r}") if loguru else "%" + conversion)
        arguments.append(argument)
        cursor = tail.end()
    template.append(_escaped(_unescaped_braces(text[cursor:end]), loguru))
    return "".join(template), arguments


def _balanced(before: str, after: str) -> bool:
    """Only whitespace and matching parentheses around a field's expression."""
    return not before.strip(" \t(") and before.count("(") == after.count(")")


def _unescaped_braces(literal: str) -> str:
    return literal.replace("{{", "{").replace("}}", "}")


def _escaped(literal: str, loguru: bool) -> str:
    """Literal source text as template text: loguru formats with
    ``str.format``, the standard library with ``%``."""
    return literal.replace("{", "{{").replace("}", "}}") if loguru else literal.replace("%", "%%")


def _as_argument(text: str, expression: ast.expr) -> Optional[str]:
    """``text`` (an expression's source) as one call argument: checked by
    parsing, parenthesised when it would otherwise split (``x, y``)."""
    for candidate in (text, f"({text})"):
        parsed = _argument_node(candidate)
        if parsed is not None and ast.dump(parsed) == ast.dump(expression):
            return candidate
    return None


def _argument_node(text: str) -> Optional[ast.expr]:
    try:
        parsed = ast.parse(f"_({text})", mode="eval").body
    except SyntaxError:
        return None
    if isinstance(parsed, ast.Call) and len(parsed.args) == 1 and not parsed.keywords:
        return parsed.args[0]
    return None


def _replaced(source: str, pieces: Sequence[_Piece], templates: Sequence[str]) -> str:
    """``source`` with each piece replaced by its template literal."""
    rows = source.split("\n")
    for piece, template in reversed(list(zip(pieces, templates))):
        row, column = piece.start
        line = rows[row - 1]
        rows[row - 1] = line[:column] + template + line[piece.end[1] :]
    return "\n".join(rows)


def _renders_the_same(message: ast.JoinedStr, template_source: str, arguments: Sequence[str], loguru: bool) -> bool:
    try:
        template = ast.literal_eval(template_source)
    except (SyntaxError, ValueError):
        return False
    nodes = [_argument_node(a) for a in arguments]
    if not isinstance(template, str) or None in nodes:
        return False
    fields = [ast.dump(n) for n in nodes if n is not None]
    rendered = _format_fields(template, fields) if loguru else _percent_fields(template, fields)
    return rendered is not None and rendered == _message_parts(message)


def _message_parts(message: ast.JoinedStr) -> Optional[List[_Part]]:
    parts: List[_Part] = []
    for value in message.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            _add_literal(parts, value.value)
        elif isinstance(value, ast.FormattedValue) and value.format_spec is None and value.conversion in _CONVERSIONS:
            parts.append((ast.dump(value.value), _CONVERSIONS[value.conversion]))
        else:
            return None
    return parts


def _percent_fields(template: str, fields: Sequence[str]) -> Optional[List[_Part]]:
    """What ``template % fields`` logs, for `%s`, `%r` and `%%` only."""
    parts: List[_Part] = []
    remaining = iter(fields)
    cursor = 0
    for directive in _PERCENT.finditer(template):
        _add_literal(parts, template[cursor : directive.start()])
        cursor = directive.end()
        kind = directive.group(1)
        if kind == "%":
            _add_literal(parts, "%")
        elif kind in ("s", "r"):
            field = next(remaining, None)
            if field is None:
                return None
            parts.append((field, kind))
        else:
            return None
    if "%" in template[cursor:] or next(remaining, None) is not None:
        return None
    _add_literal(parts, template[cursor:])
    return parts


def _format_fields(template: str, fields: Sequence[str]) -> Optional[List[_Part]]:
    """What ``template.format(*fields)`` logs, for `{}` and `{!r}` only."""
    parts: List[_Part] = []
    remaining = iter(fields)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for literal, name, spec, conversion in parsed:
        _add_literal(parts, literal)
        if name is None:
            continue
        field = next(remaining, None)
        if name != "" or spec or conversion not in (None, "r") or field is None:
            return None
        parts.append((field, conversion or "s"))
    return parts if next(remaining, None) is None else None


def _add_literal(parts: List[_Part], text: str) -> None:
    if not text:
        return
    if parts and isinstance(parts[-1], str):
        parts[-1] += text
    else:
        parts.append(text)
