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
  (``boto3.resource("s3").Bucket("b")`` is still a `boto3.resource`),
- annotations of parameters and attributes (``session: requests.Session``,
  ``Optional[...]`` and string annotations included),
- session factories (``SessionLocal = sessionmaker(...)`` then
  ``SessionLocal()`` makes a `sqlalchemy.orm.Session`),
- instances of the module's own classes (``LogService()`` is a
  ``shop.log.LogService``), and, given the project's `ProjectNames`,
  names imported from other first-party modules (``from shop.log import
  logger``), answered by that module's tracker.

It is deliberately flow-insensitive (the last assignment seen wins), which
is right for the usual "create once, use many times" code it serves.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple, Union

from infralint import catalog
from infralint.model import ModuleModel
from infralint.nodes import FieldSelection

if TYPE_CHECKING:
    from infralint.names import ProjectNames

Function = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class BindingTracker:
    def __init__(
        self,
        tree: ast.Module,
        model: ModuleModel,
        module: Optional[str] = None,
        names: Optional["ProjectNames"] = None,
    ) -> None:
        self.model = model
        # The module's dotted name (its own classes' qualified names), and
        # the project's index that answers for names imported from other
        # first-party modules (None: this module alone).
        self.module = module
        self.names = names
        self._tree = tree
        self._module_values: Optional[Dict[str, ast.expr]] = None
        self._factories: Optional[Dict[str, Tuple[ast.expr, Function]]] = None
        self._classes: Optional[Dict[str, ast.ClassDef]] = None
        self._locals: Dict[int, Dict[str, ast.expr]] = {}
        self._attributes: Dict[int, Dict[str, Tuple[ast.expr, Optional[Function]]]] = {}
        self._methods: Dict[int, Dict[str, Tuple[ast.expr, Function]]] = {}
        # id(annotation) -> (annotation, the call standing for "a value of
        # that type"), and the ids of those calls (they are in no tree).
        self._typed: Dict[int, Tuple[ast.AST, Optional[ast.Call]]] = {}
        self._typed_calls: Set[int] = set()

    # Public API -------------------------------------------------------------
    def producer(
        self,
        expression: ast.AST,
        function: Optional[Function] = None,
        class_: Optional[ast.ClassDef] = None,
        _depth: int = 0,
        derived: bool = True,
    ) -> Optional[str]:
        """The qualified name of the callable that produced ``expression``'s
        value, seen from inside ``function`` of ``class_``. A value known by
        its annotation (``session: requests.Session``) is produced by its
        type (`catalog.ANNOTATED_TYPES` maps types to their constructors);
        an instance of a first-party class by that class. Without
        ``derived``, a value made by a call on a produced object
        (``session.get(url)``) has no producer."""
        if _depth > 8:  # a = b; b = a
            return None
        found = self._value_of(expression, function, class_)
        if found is None:
            member = self._property_value(expression, class_)
            if member is not None:
                return self.producer(member[0], member[1], class_, _depth + 1, derived)
            return self._imported_value(expression, _depth)
        value, function = found
        if not isinstance(value, ast.Call):
            return self.producer(value, function, class_, _depth + 1, derived)
        callee = value.func
        qualified = self.model.resolve(callee)
        if qualified is not None and not qualified.startswith("builtins."):
            if self._is_typed(value):
                return catalog.ANNOTATED_TYPES.get(qualified, qualified)
            if self.names is not None and self.names.project.is_first_party(qualified):
                return self._imported_call(qualified, _depth) or qualified
            return qualified
        if isinstance(callee, ast.Name):
            factory = self.factories.get(callee.id)
            if factory is not None:
                returned, factory_function = factory
                return self.producer(returned, factory_function, None, _depth + 1, derived)
            if callee.id in self.classes and self.module is not None:
                return f"{self.module}.{callee.id}"
            return self._session_product(callee, function, class_, _depth)
        if isinstance(callee, ast.Attribute):
            method = self._own_method(callee, class_)
            if method is not None:
                return self.producer(method[0], method[1], class_, _depth + 1, derived)
            if _on_self(callee):
                product = self._session_product(callee, function, class_, _depth)
                if product is not None:
                    return product
            # A call on a produced object: derived objects keep the producer.
            return self.producer(callee.value, function, class_, _depth + 1) if derived else None
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
        through the same names and factories; None when the value is unknown,
        comes from another module or from an annotation, or is derived from
        a produced object by a call on it (``session.get(url)`` is a
        response, not a session)."""
        if _depth > 8:
            return None
        found = self._value_of(expression, function, class_)
        if found is None:
            member = self._property_value(expression, class_)
            return self.producing_call(member[0], member[1], class_, _depth + 1) if member else None
        value, function = found
        if not isinstance(value, ast.Call):
            return self.producing_call(value, function, class_, _depth + 1)
        if self._is_typed(value):
            return None
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

    # Across modules -----------------------------------------------------------
    def _imported_value(self, expression: ast.AST, depth: int) -> Optional[str]:
        """``logger`` bound by ``from shop.log import logger``: what produced
        it there."""
        if self.names is None or not isinstance(expression, (ast.Name, ast.Attribute)):
            return None
        qualified = self.model.resolve(expression)
        if qualified is None or not self.names.project.is_first_party(qualified):
            return None
        return self.names.value_producer(qualified, depth + 1)

    def _imported_call(self, qualified: str, depth: int) -> Optional[str]:
        """What calling the first-party ``qualified`` gives: the class
        itself, or what a factory bound there produces."""
        assert self.names is not None
        return self.names.call_producer(qualified, depth + 1)

    def _session_product(
        self, callee: ast.expr, function: Optional[Function], class_: Optional[ast.ClassDef], depth: int
    ) -> Optional[str]:
        """``SessionLocal()`` where ``SessionLocal = sessionmaker(...)``: the
        session class the factory makes (`catalog.SESSION_FACTORIES`)."""
        if self._value_of(callee, function, class_) is None:
            return None
        factory = self.producer(callee, function, class_, depth + 1)
        return catalog.SESSION_FACTORIES.get(factory) if factory is not None else None

    # Tables -------------------------------------------------------------------
    @property
    def module_values(self) -> Dict[str, ast.expr]:
        if self._module_values is None:
            self._module_values = _assignments(self._tree.body, descend=False)
        return self._module_values

    @property
    def classes(self) -> Dict[str, ast.ClassDef]:
        """The module's top-level classes by name."""
        if self._classes is None:
            self._classes = {s.name: s for s in self._tree.body if isinstance(s, ast.ClassDef)}
        return self._classes

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

    def class_attributes(self, class_: ast.ClassDef) -> Dict[str, Tuple[ast.expr, Optional[Function]]]:
        """``self.x = value`` / ``cls.x = value`` in any method, and class
        attributes ``x = value``, with the method that assigns them (None
        for the class body). An annotated attribute (``x: T`` in the class
        body, ``self.x: T = value``) is known by its type."""
        key = id(class_)
        if key not in self._attributes:
            attributes: Dict[str, Tuple[ast.expr, Optional[Function]]] = {}
            for statement in class_.body:
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                    typed = self._typed_value(statement.annotation)
                    if typed is not None:
                        attributes[statement.target.id] = (typed, None)
            for name, value in _assignments(class_.body, descend=False).items():
                attributes.setdefault(name, (value, None))
            # Breadth first over the whole class: the deeper assignment wins.
            pending: List[Tuple[ast.AST, Optional[Function]]] = [(class_, None)]
            for node, method in pending:  # a list read while it grows
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    value: Optional[ast.expr] = node.value
                    if isinstance(node, ast.AnnAssign):
                        value = self._typed_value(node.annotation) or node.value
                    for target in targets:
                        if _on_self(target) and value is not None:
                            attributes[target.attr] = (value, method)  # type: ignore[attr-defined]
                inner = node if node is not class_ and isinstance(node, FUNCTION_TYPES) else method
                for name in _block_fields(node.__class__):
                    pending.extend((child, inner) for child in getattr(node, name))
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
    ) -> Optional[Tuple[ast.AST, Optional[Function]]]:
        """(what ``expression`` was bound to, the function that binding is
        read in: a module-level value is read at module level)."""
        if isinstance(expression, ast.Call):
            return expression, function
        if isinstance(expression, ast.Await):
            return expression.value, function
        if isinstance(expression, ast.Name):
            if function is not None:
                local = self.function_locals(function).get(expression.id)
                if local is not None:
                    return local, function
                parameter = _parameter(function, expression.id)
                if parameter is not None:  # a parameter hides module names
                    arguments = function.args
                    packed = parameter is arguments.vararg or parameter is arguments.kwarg
                    typed = None if packed else self._typed_value(parameter.annotation)
                    return (typed, function) if typed is not None else None
            value = self.module_values.get(expression.id)
            return (value, None) if value is not None else None
        if _on_self(expression) and class_ is not None:
            return self.class_attributes(class_).get(expression.attr)  # type: ignore[attr-defined]
        return None

    # Annotations ----------------------------------------------------------------
    def _typed_value(self, annotation: Optional[ast.expr]) -> Optional[ast.Call]:
        """A call of the annotated type, standing for a value of that type
        (``requests.Session`` -> ``requests.Session()``); None when the
        annotation names no single type."""
        if annotation is None:
            return None
        known = self._typed.get(id(annotation))
        if known is None:
            types = annotation_types(annotation)
            call = None
            if types and isinstance(types[0], (ast.Name, ast.Attribute)):
                call = ast.copy_location(ast.Call(func=types[0], args=[], keywords=[]), annotation)
                self._typed_calls.add(id(call))
            known = self._typed[id(annotation)] = (annotation, call)
        return known[1]

    def _is_typed(self, call: ast.Call) -> bool:
        return id(call) in self._typed_calls


_PROPERTIES = ("property", "cached_property")


def _parameter(function: Function, name: str) -> Optional[ast.arg]:
    arguments = function.args
    for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        if argument.arg == name:
            return argument
    for argument in (arguments.vararg, arguments.kwarg):
        if argument is not None and argument.arg == name:
            return argument
    return None


def _on_self(expression: ast.AST) -> bool:
    return (
        isinstance(expression, ast.Attribute)
        and isinstance(expression.value, ast.Name)
        and expression.value.id in ("self", "cls")
    )


def _decorator_name(decorator: ast.expr) -> Optional[str]:
    """``property``, ``functools.cached_property`` -> its last name (also
    of a type: ``typing.Optional`` -> ``Optional``)."""
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


def annotation_types(annotation: Optional[ast.expr]) -> List[ast.expr]:
    """The type expressions an annotation allows besides None:
    ``Optional[X]``, ``X | None``, ``Union[X, None]`` and ``"X"`` give X;
    anything with two or more real types gives nothing (ambiguous)."""
    if annotation is None:
        return []
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            parsed = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return []
        return annotation_types(ast.copy_location(parsed, annotation))
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        members = [annotation.left, annotation.right]
    elif isinstance(annotation, ast.Subscript) and _decorator_name(annotation.value) in ("Optional", "Union"):
        inner = annotation.slice
        members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    else:
        return [annotation]
    real = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    return annotation_types(real[0]) if len(real) == 1 else []

