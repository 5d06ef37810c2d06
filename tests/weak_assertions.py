"""Assertions that cannot fail as written, found in the source of a test module (tests/test_consistency.py runs it
over the whole suite, and on planted examples so the check itself bites).

- ``assert a or b``: the second half hides a failure of the first (``… or "jour-" in html``). Write the one
  outcome expected; a real alternative goes through ``any()`` or a set (``{"minimum", "format"} & keys``).
- An assertion on a constant or on a non-empty tuple (``assert (x, "message")`` is always true).
- A comparison of an expression with itself, or ``"" in text`` (true for any text).
- A loop whose body asserts, over something that may be empty: the loop may assert zero times and pass on
  nothing (an empty export, an empty page). It must iterate a literal, a ``range`` of plain values, a module
  constant or imported name, a name the test binds to a literal, a module function that returns a literal list,
  a value computed only from those and the test's parametrize table, or a value whose size or content the test
  asserts outside the loop (``assert len(rows) == 3`` before ``for row in rows``); or count its turns and assert
  the count.
"""

from __future__ import annotations

import ast

WRAPPERS = {"sorted", "enumerate", "list", "tuple", "set", "reversed", "zip", "dict"}


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _module_constants(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                names |= _names(target)
        elif isinstance(statement, ast.AnnAssign):
            names |= _names(statement.target)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
        elif isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
            names.add(statement.name)
    return names


def _literal_functions(tree: ast.Module) -> set[str]:
    """Module functions that always return a non-empty list or tuple written out (``manage_urls(session)``)."""
    names = set()
    for function in tree.body:
        if isinstance(function, ast.FunctionDef):
            returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
            if returns and all(isinstance(r.value, (ast.List, ast.Tuple)) and r.value.elts for r in returns):
                names.add(function.name)
    return names


def _literal_locals(function: ast.FunctionDef) -> set[str]:
    """Names the test binds once to a non-empty literal (``expected = {...}``)."""
    bound: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(node.value)
    literal = (ast.List, ast.Tuple, ast.Set, ast.Dict)
    return {
        name
        for name, values in bound.items()
        if len(values) == 1
        and isinstance(values[0], literal)
        and (getattr(values[0], "elts", None) or getattr(values[0], "keys", None))
    }


def _parametrized(function: ast.FunctionDef) -> set[str]:
    """The arguments a ``pytest.mark.parametrize`` table gives the test."""
    names: set[str] = set()
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and ast.unparse(decorator.func).endswith("parametrize")
            and isinstance(decorator.args[0], ast.Constant)
        ):
            names |= {name.strip() for name in decorator.args[0].value.split(",")}
    return names


def _derived(function: ast.FunctionDef, constants: set[str]) -> set[str]:
    """Names the test binds to an expression of constants only (``names = PAGES[name][1]``, ``name`` from a table)."""
    known = constants | _parametrized(function)
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if _names(node.value) and _names(node.value) <= known:
                known.add(node.targets[0].id)
    return known


def _always_true(test: ast.expr) -> bool:
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return bool(getattr(test, "elts", None) or getattr(test, "keys", None))
    if isinstance(test, ast.JoinedStr):
        return bool(test.values)
    return False


def _compares_with_itself(test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = ast.dump(node.left), ast.dump(node.comparators[0])
            if left == right and not isinstance(node.ops[0], (ast.NotEq, ast.IsNot, ast.NotIn)):
                return True
            if isinstance(node.ops[0], ast.In) and isinstance(node.left, ast.Constant) and node.left.value == "":
                return True
    return False


def _unwrap(iterable: ast.expr) -> ast.expr:
    """``sorted(rows)``, ``enumerate(rows)``, ``rows.items()``, ``rows[1:]`` -> ``rows``."""
    while True:
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id in WRAPPERS:
            if not iterable.args:
                return iterable
            iterable = iterable.args[0]
        elif (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr in {"items", "values", "keys"}
            and not iterable.args
        ):
            iterable = iterable.func.value
        elif isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice):
            iterable = iterable.value
        else:
            return iterable


def _loop_may_assert_nothing(
    loop: ast.For, asserted: set[str], constants: set[str], outer: set[str], literal_calls: set[str]
) -> bool:
    iterable = _unwrap(loop.iter)
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
        return not iterable.elts
    if isinstance(iterable, ast.Constant):
        return not iterable.value
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range":
        calls = [n for arg in iterable.args for n in ast.walk(arg) if isinstance(n, ast.Call)]
        return bool(calls) and not set().union(*(_names(arg) for arg in iterable.args)) & asserted
    if _names(iterable) and _names(iterable) <= constants | outer:
        return False
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id in literal_calls:
        return False
    if isinstance(iterable, ast.Name) and iterable.id in asserted:
        return False
    counters = {n.target.id for n in ast.walk(loop) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}
    return not counters & asserted


def weak_assertions(source: str, filename: str = "<test>") -> list[str]:
    """Each assertion of ``source`` that cannot fail as written, as ``file:line: why``."""
    tree = ast.parse(source, filename)
    constants = _module_constants(tree)
    literal_calls = _literal_functions(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            if isinstance(node.test, ast.BoolOp) and isinstance(node.test.op, ast.Or):
                found.append(f"{filename}:{node.lineno}: assert … or … (one outcome, or any() / a set)")
            elif _always_true(node.test):
                found.append(f"{filename}:{node.lineno}: assert on a constant or a non-empty tuple")
            elif _compares_with_itself(node.test):
                found.append(f'{filename}:{node.lineno}: compares a value with itself (or looks for "")')
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef) or not function.name.startswith("test"):
            continue
        loops = [
            n
            for n in ast.walk(function)
            if isinstance(n, ast.For) and any(isinstance(a, ast.Assert) for s in n.body for a in ast.walk(s))
        ]
        for loop in loops:
            inside = {id(node) for node in ast.walk(loop)}
            asserted = set().union(
                *(_names(a.test) for a in ast.walk(function) if isinstance(a, ast.Assert) and id(a) not in inside)
            )
            outer = set().union(*(_names(other.target) for other in loops if other is not loop))
            if _loop_may_assert_nothing(
                loop, asserted, _derived(function, constants) | _literal_locals(function), outer, literal_calls
            ):
                found.append(
                    f"{filename}:{loop.lineno}: a loop over {ast.unparse(loop.iter)[:60]} may assert zero times "
                    "(assert its length first)"
                )
    return found
