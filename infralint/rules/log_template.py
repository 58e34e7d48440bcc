"""IL704's fix: an f-string log message, or a `.format()` call on a plain
string literal, possibly implicitly concatenated over several lines,
rewritten as a logging template and its arguments (imported only when a
logging call has such a message).

Each string piece of the message is edited in place, so the lines,
indentation and comments between pieces stay; the arguments go after the
last piece (for `.format()`, in place of the call). Every rewrite is
checked by rendering: the new template with its arguments must give the
pieces of the old message (same text, same expressions with the same
conversions, in the same order), otherwise no fix is offered.
"""

from __future__ import annotations

import ast
import io
import re
import string
import tokenize
from typing import Callable, List, Optional, Sequence, Tuple, Union

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
# An edit in the wrapped message source: start, end, new text.
_Replacement = Tuple[_Position, _Position, str]


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
    lines: Sequence[str], message: ast.expr, span: Tuple[int, int, int, int], loguru: bool
) -> Optional[Tuple[Edit, ...]]:
    """Edits turning ``message`` (an f-string or a `.format()` call, at
    ``span``: 1-based line and character columns, end exclusive, in
    ``lines``) into ``template, arg1, arg2``; None when it cannot be done
    without changing the logged text or the evaluated expressions."""
    source = _wrapped_source(lines, span)
    if isinstance(message, ast.JoinedStr):
        replacements = _fstring_replacements(source, message, loguru)
    elif isinstance(message, ast.Call):
        replacements = _format_replacements(source, message, loguru)
    else:
        replacements = None
    if replacements is None:
        return None
    line, column = span[:2]

    def position(row_column: _Position) -> Tuple[int, int]:
        row, col = row_column  # row 1 starts with the added "(" (one column)
        return (line + row - 1, col + column - 1 if row == 1 else col + 1)

    return tuple(Edit(position(start), position(end), text) for start, end, text in replacements)


def _fstring_replacements(source: str, message: ast.JoinedStr, loguru: bool) -> Optional[List[_Replacement]]:
    pieces = _string_pieces(source)
    if not pieces:
        return None
    converted = _converted_pieces(pieces, lambda text: _template_piece(text, loguru))
    if converted is None:
        return None
    templates, arguments = converted
    if not arguments or not _renders_the_same(_message_parts(message), templates, arguments, loguru):
        return None
    templates[-1] += "".join(", " + a for a in arguments)
    return _piece_replacements(pieces, templates)


def _format_replacements(source: str, message: ast.Call, loguru: bool) -> Optional[List[_Replacement]]:
    """``"...".format(a, k=b)`` as ``"...", a, b``: only when the fields
    take the arguments in the order they are written, each once, so that
    the same expressions are evaluated the same number of times, in the
    same order."""
    receiver = _format_receiver(source)
    literal = _literal_format_text(message)
    arguments = _format_arguments(source)
    if receiver is None or literal is None or not arguments:
        return None
    pieces, receiver_end, call_end = receiver
    converted = _converted_pieces(pieces, lambda text: _format_piece(text, loguru))
    if converted is None:
        return None
    templates, _ = converted
    named: List[Tuple[Optional[str], str]] = [(None, ast.dump(a)) for a in message.args]
    named.extend((k.arg, ast.dump(k.value)) for k in message.keywords)
    if not _renders_the_same(_format_fields(literal, named), templates, arguments, loguru):
        return None
    replacements = _piece_replacements(pieces, templates)
    tail = "".join(", " + a for a in arguments)
    if replacements and replacements[-1][1] == receiver_end:  # no parentheses around the receiver
        start, _, text = replacements.pop()
        replacements.append((start, call_end, text + tail))
    else:
        replacements.append((receiver_end, call_end, tail))
    return replacements


def _literal_format_text(message: ast.Call) -> Optional[str]:
    """The string of ``"...".format(...)`` when its arguments are plain
    (no ``*args`` / ``**kwargs``)."""
    function = message.func
    if not (isinstance(function, ast.Attribute) and function.attr == "format"):
        return None
    receiver = function.value
    if not (isinstance(receiver, ast.Constant) and isinstance(receiver.value, str)):
        return None
    if any(isinstance(a, ast.Starred) for a in message.args) or any(k.arg is None for k in message.keywords):
        return None
    return receiver.value


def _format_arguments(source: str) -> Optional[List[str]]:
    """The arguments of the `.format()` call in ``source``, in the order
    they are written, as call arguments (keyword names dropped)."""
    try:
        call = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call):
        return None
    arguments = []
    for expression in (*call.args, *(k.value for k in call.keywords)):
        text = ast.get_source_segment(source, expression)
        argument = None if text is None else _as_argument(text, expression)
        if argument is None:
            return None
        arguments.append(argument)
    return arguments


def _converted_pieces(
    pieces: Sequence[_Piece], convert: Callable[[str], Optional[Tuple[str, List[str]]]]
) -> Optional[Tuple[List[str], List[str]]]:
    """Each piece's template literal, and the arguments of all fields."""
    templates: List[str] = []
    arguments: List[str] = []
    for piece in pieces:
        converted = convert(piece.text)
        if converted is None:
            return None
        templates.append(converted[0])
        arguments.extend(converted[1])
    return templates, arguments


def _piece_replacements(pieces: Sequence[_Piece], templates: Sequence[str]) -> List[_Replacement]:
    return [(p.start, p.end, t) for p, t in zip(pieces, templates) if t != p.text]


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


def _format_receiver(source: str) -> Optional[Tuple[List[_Piece], _Position, _Position]]:
    """The string pieces of the `.format()` call in ``source`` (between
    parentheses), where its receiver ends (after parentheses of its own)
    and where the call ends; None when the receiver holds anything but
    string pieces, or a comment inside the call would be lost."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    code = [t for t in tokens if t.type not in _BETWEEN_PIECES]
    dot = next((i for i, t in enumerate(code) if t.type == tokenize.OP and t.string == "."), None)
    if dot is None or len(code) < dot + 4:
        return None
    receiver = code[1:dot]
    if any(t.type != tokenize.STRING and t.string not in ("(", ")") for t in receiver):
        return None
    if any(t.type == tokenize.COMMENT and t.start > code[dot].start for t in tokens):
        return None
    pieces = [_Piece(t.start, t.end, t.string) for t in receiver if t.type == tokenize.STRING]
    return (pieces, code[dot - 1].end, code[-2].end) if pieces else None


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


def _format_piece(text: str, loguru: bool) -> Optional[Tuple[str, List[str]]]:
    """A plain piece of a `.format()` string as a template literal: its
    fields become placeholders (their arguments are the call's)."""
    match = _PIECE.match(text)
    if match is None:
        return None
    prefix, quote, body = match.groups()
    if body.startswith(quote * 2) or prefix.lower() not in _PLAIN_PREFIXES:
        return None
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError:
        return None
    template: List[str] = []
    for literal, name, spec, conversion in parsed:
        template.append(_escaped(literal, loguru))
        if name is None:
            continue
        if spec or conversion not in (None, "s", "r"):
            return None
        template.append(_placeholder(conversion or "s", loguru))
    return prefix + quote + "".join(template) + quote, []


def _placeholder(conversion: str, loguru: bool) -> str:
    if loguru:
        return "{}" if conversion == "s" else "{!r}"
    return "%" + conversion


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
        template.append(_placeholder(conversion, loguru))
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
    # After another argument, as in the fixed call: a bare generator
    # expression does not parse there.
    try:
        parsed = ast.parse(f"_(_, {text})", mode="eval").body
    except SyntaxError:
        return None
    if isinstance(parsed, ast.Call) and len(parsed.args) == 2 and not parsed.keywords:
        return parsed.args[1]
    return None


def _renders_the_same(
    expected: Optional[List[_Part]], templates: Sequence[str], arguments: Sequence[str], loguru: bool
) -> bool:
    """Whether the template pieces, formatted with ``arguments`` the way
    the logger does, give the ``expected`` parts of the old message."""
    try:
        template = ast.literal_eval("(" + " ".join(templates) + ")")
    except (SyntaxError, ValueError):
        return False
    nodes = [_argument_node(a) for a in arguments]
    if expected is None or not isinstance(template, str) or None in nodes:
        return False
    fields = [ast.dump(n) for n in nodes if n is not None]
    if loguru:
        rendered = _format_fields(template, [(None, f) for f in fields])
    else:
        rendered = _percent_fields(template, fields)
    return rendered is not None and rendered == expected


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


def _format_fields(template: str, arguments: Sequence[Tuple[Optional[str], str]]) -> Optional[List[_Part]]:
    """What ``template.format(...)`` logs when each field takes the next of
    ``arguments`` (keyword or None, expression dump; positional ones first):
    `{}`, `{0}` or `{name}` with `!s` / `!r` only, every argument used once,
    in order; None otherwise."""
    parts: List[_Part] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    automatic = set()  # str.format refuses to mix `{}` and `{0}`
    index = 0
    for literal, name, spec, conversion in parsed:
        _add_literal(parts, literal)
        if name is None:
            continue
        if index == len(arguments) or spec or conversion not in (None, "s", "r"):
            return None
        keyword, field = arguments[index]
        if keyword is None and name in ("", str(index)):
            automatic.add(name == "")
        elif keyword is None or name != keyword:
            return None
        parts.append((field, conversion or "s"))
        index += 1
    return parts if index == len(arguments) and len(automatic) < 2 else None


def _add_literal(parts: List[_Part], text: str) -> None:
    if not text:
        return
    if parts and isinstance(parts[-1], str):
        parts[-1] += text
    else:
        parts.append(text)
