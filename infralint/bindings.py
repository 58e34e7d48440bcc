"""The binding tracker: which call produced the value a name refers to.

Rules ask "is this receiver a `requests.Session`?" rather than matching
text. A value's *producer* is the qualified name of the callable whose
call created it: `requests.Session` for ``s = requests.Session()``,
`boto3.client` for ``s3 = boto3.client("s3")``. Producers are followed
through

- import aliases (``from sqlalchemy import create_engine as ce``),
- module-level names (``engine = create_engine(url)``),
- local names of the enclosing function, ``with ... as name`` included,
- attributes stored on ``self`` / ``cls`` anywhere in the class,
- module-level factory functions (``def make_client(): return httpx.Client()``),
- the class's own factory methods and properties (``self.sqs =
  self.create_client()``, ``@property def client(self): return self._client``),
- objects derived from a producer by calls on it
  (``boto3.resource("s3").Bucket("b")`` is still a `boto3.resource`).

It is deliberately flow-insensitive (the last assignment seen wins), which
is right for the usual "create once, use many times" code it serves.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Tuple, Union

from infralint.model import ModuleModel
from infralint.nodes import FieldSelection

Function = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class BindingTracker:
    def __init__(self, tree: ast.Module, model: ModuleModel) -> None:
        self.model = model
        self._tree = tree
        self._module_values: Optional[Dict[str, ast.expr]] = None
        self._factories: Optional[Dict[str, Tuple[ast.expr, Function]]] = None
        self._locals: Dict[int, Dict[str, ast.expr]] = {}
        self._attributes: Dict[int, Dict[str, ast.expr]] = {}
        self._methods: Dict[int, Dict[str, Tuple[ast.expr, Function]]] = {}

    # Public API -------------------------------------------------------------
    def producer(
        self,
        expression: ast.AST,
        function: Optional[Function] = None,
        class_: Optional[ast.ClassDef] = None,
        _depth: int = 0,
    ) -> Optional[str]:
        """The qualified name of the callable that produced ``expression``'s
        value, seen from inside ``function`` of ``class_``."""
        if _depth > 8:  # a = b; b = a
            return None
        value = self._value_of(expression, function, class_)
        if value is None:
            member = self._property_value(expression, class_)
            return self.producer(member[0], member[1], class_, _depth + 1) if member else None
        if not isinstance(value, ast.Call):
            return self.producer(value, function, class_, _depth + 1)
        callee = value.func
        qualified = self.model.resolve(callee)
        if qualified is not None and not qualified.startswith("builtins."):
            return qualified
        if isinstance(callee, ast.Name):
            factory = self.factories.get(callee.id)
            if factory is not None:
                returned, factory_function = factory
                return self.producer(returned, factory_function, None, _depth + 1)
            return None
        if isinstance(callee, ast.Attribute):
            method = self._own_method(callee, class_)
            if method is not None:
                return self.producer(method[0], method[1], class_, _depth + 1)
            # A call on a produced object: derived objects keep the producer.
            return self.producer(callee.value, function, class_, _depth + 1)
        return None

    def producing_call(
        self,
        expression: ast.AST,
        function: Optional[Function] = None,
        class_: Optional[ast.ClassDef] = None,
        _depth: int = 0,
    ) -> Optional[ast.Call]:
        """The call that created ``expression``'s value itself (the one whose
        callee `producer` names, so its arguments can be read), followed
        through the same names and factories; None when the value is unknown
        or derived from a produced object by a call on it
        (``session.get(url)`` is a response, not a session)."""
        if _depth > 8:
            return None
        value = self._value_of(expression, function, class_)
        if value is None:
            member = self._property_value(expression, class_)
            return self.producing_call(member[0], member[1], class_, _depth + 1) if member else None
        if not isinstance(value, ast.Call):
            return self.producing_call(value, function, class_, _depth + 1)
        qualified = self.model.resolve(value.func)
        if qualified is not None and not qualified.startswith("builtins."):
            return value
        if isinstance(value.func, ast.Name):
            factory = self.factories.get(value.func.id)
            if factory is not None:
                returned, factory_function = factory
                return self.producing_call(returned, factory_function, None, _depth + 1)
        method = self._own_method(value.func, class_)
        if method is not None:
            return self.producing_call(method[0], method[1], class_, _depth + 1)
        return None

    def callee(self, call: ast.Call) -> Optional[str]:
        """Qualified name of what a call calls, through imports."""
        return self.model.resolve(call.func)

    # Tables -------------------------------------------------------------------
    @property
    def module_values(self) -> Dict[str, ast.expr]:
        if self._module_values is None:
            self._module_values = _assignments(self._tree.body, descend=False)
        return self._module_values

    @property
    def factories(self) -> Dict[str, Tuple[ast.expr, Function]]:
        """Module-level function name -> (the expression it returns, the
        function); the last ``return <expr>`` wins."""
        if self._factories is None:
            self._factories = {}
            for statement in self._tree.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    returned = _returned_value(statement)
                    if returned is not None:
                        self._factories[statement.name] = (returned, statement)
        return self._factories

    def function_locals(self, function: Function) -> Dict[str, ast.expr]:
        key = id(function)
        if key not in self._locals:
            body = [function.body] if isinstance(function, ast.Lambda) else function.body
            self._locals[key] = {} if isinstance(function, ast.Lambda) else _assignments(body, descend=True)
        return self._locals[key]

    def class_attributes(self, class_: ast.ClassDef) -> Dict[str, ast.expr]:
        """``self.x = value`` / ``cls.x = value`` in any method, and class
        attributes ``x = value``."""
        key = id(class_)
        if key not in self._attributes:
            attributes = _assignments(class_.body, descend=False)
            for node in _statements_breadth_first(class_):
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if (
                            isinstance(target, ast.Attribute)
                            and isinstance(target.value, ast.Name)
                            and target.value.id in ("self", "cls")
                        ):
                            attributes[target.attr] = node.value
            self._attributes[key] = attributes
        return self._attributes[key]

    def class_methods(self, class_: ast.ClassDef) -> Dict[str, Tuple[ast.expr, Function]]:
        """Method name -> (the expression it returns, the method), for the
        methods of ``class_`` that return a value; the last return wins."""
        key = id(class_)
        if key not in self._methods:
            methods: Dict[str, Tuple[ast.expr, Function]] = {}
            for statement in class_.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    returned = _returned_value(statement)
                    if returned is not None:
                        methods[statement.name] = (returned, statement)
            self._methods[key] = methods
        return self._methods[key]

    # Lookup -------------------------------------------------------------------
    def _own_method(
        self, callee: ast.AST, class_: Optional[ast.ClassDef]
    ) -> Optional[Tuple[ast.expr, Function]]:
        """``self.create_client`` / ``cls.create_client`` called in a method
        of ``class_``: what that method returns."""
        if class_ is None or not _on_self(callee):
            return None
        return self.class_methods(class_).get(callee.attr)  # type: ignore[attr-defined]

    def _property_value(
        self, expression: ast.AST, class_: Optional[ast.ClassDef]
    ) -> Optional[Tuple[ast.expr, Function]]:
        """``self.client`` read where ``client`` is a property of ``class_``:
        what the property returns."""
        method = self._own_method(expression, class_)
        if method is None or not any(_decorator_name(d) in _PROPERTIES for d in method[1].decorator_list):
            return None
        return method

    def _value_of(
        self, expression: ast.AST, function: Optional[Function], class_: Optional[ast.ClassDef]
    ) -> Optional[ast.AST]:
        if isinstance(expression, ast.Call):
            return expression
        if isinstance(expression, ast.Await):
            return expression.value
        if isinstance(expression, ast.Name):
            if function is not None:
                local = self.function_locals(function).get(expression.id)
                if local is not None:
                    return local
            return self.module_values.get(expression.id)
        if (
            isinstance(expression, ast.Attribute)
            and isinstance(expression.value, ast.Name)
            and expression.value.id in ("self", "cls")
            and class_ is not None
        ):
            return self.class_attributes(class_).get(expression.attr)
        return None


_PROPERTIES = ("property", "cached_property")


def _on_self(expression: ast.AST) -> bool:
    return (
        isinstance(expression, ast.Attribute)
        and isinstance(expression.value, ast.Name)
        and expression.value.id in ("self", "cls")
    )


def _decorator_name(decorator: ast.expr) -> Optional[str]:
    """``property``, ``functools.cached_property`` -> its last name."""
    if isinstance(decorator, ast.Name):
        return decorator.id
    if isinstance(decorator, ast.Attribute):
        return decorator.attr
    return None


# The fields of a node that hold statements (directly, or through except
# handlers and match cases), in the order of every class's ``_fields``;
# expressions never hold statements, and most statements hold none (the
# searches below skip those cheaply).
_block_fields = FieldSelection(("body", "handlers", "orelse", "finalbody", "cases"))


def _statements_breadth_first(root: ast.AST) -> Iterator[ast.AST]:
    """The statements under ``root`` (and its except handlers and match
    cases) in the order `ast.walk` visits them, without walking the
    expressions, which are most of a tree's nodes."""
    pending: List[ast.AST] = [root]
    for node in pending:  # a list read while it grows: first in, first out
        yield node
        for name in _block_fields(node.__class__):
            pending.extend(getattr(node, name))


def _assignments(statements: List[ast.stmt], descend: bool) -> Dict[str, ast.expr]:
    """Name -> assigned value for ``name = value``, ``name: T = value`` and
    ``with value as name`` in ``statements`` (and, with ``descend``, in
    nested blocks, but never in nested functions or classes)."""
    found: Dict[str, ast.expr] = {}
    pending = list(statements)
    for statement in pending:  # a list read while it grows: first in, first out
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            if isinstance(statement.target, ast.Name):
                found[statement.target.id] = statement.value
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                if isinstance(item.optional_vars, ast.Name):
                    found[item.optional_vars.id] = item.context_expr
        if _block_fields(statement.__class__) and (
            descend or isinstance(statement, (ast.If, ast.Try, ast.With, ast.AsyncWith))
        ):
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                pending.extend(_nested_statements(statement))
    return found


def _nested_statements(statement: ast.stmt) -> List[ast.stmt]:
    nested: List[ast.stmt] = []
    for field in ("body", "orelse", "finalbody"):
        block = getattr(statement, field, None)
        if isinstance(block, list):
            nested.extend(s for s in block if isinstance(s, ast.stmt))
    for handler in getattr(statement, "handlers", ()) or ():
        nested.extend(handler.body)
    for case in getattr(statement, "cases", ()) or ():
        nested.extend(case.body)
    return nested


def _returned_value(function: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> Optional[ast.expr]:
    returned: Optional[ast.expr] = None
    pending: List[ast.stmt] = list(function.body)
    for statement in pending:  # a list read while it grows: first in, first out
        if isinstance(statement, ast.Return) and statement.value is not None:
            returned = statement.value
        elif _block_fields(statement.__class__) and not isinstance(
            statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            pending.extend(_nested_statements(statement))
    return returned
