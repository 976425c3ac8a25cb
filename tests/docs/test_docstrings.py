"""Every public name has a docstring: the API reference (docs/reference, built by
mkdocstrings) is made from them, so a name without one is a hole in the docs."""

from __future__ import annotations

import ast
import enum
import inspect
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import semaphore_async
import semaphore_async.models
import semaphore_async.testing
import semaphore_async.testing.pytest_plugin
from semaphore_async import AsyncClient, Client

MODULES = [
    semaphore_async,
    semaphore_async.models,
    semaphore_async.testing,
    semaphore_async.testing.pytest_plugin,
]


def _own_doc(obj: object) -> str:
    own = issubclass(type(obj), type)
    doc = vars(obj).get("__doc__") if own else getattr(obj, "__doc__", None)
    return (doc or "").strip()


def _value_documented(name: str) -> bool:
    """A constant or type alias is documented by the string right after its assignment,
    in whichever module of the package assigns it."""
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("semaphore_async") or not hasattr(module, name):
            continue
        body = ast.parse(Path(inspect.getfile(module)).read_text()).body
        for node, after in itertools.pairwise(body):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
    return False


def _public_members(cls: type) -> Iterator[tuple[str, object]]:
    if issubclass(cls, enum.Enum):
        return  # members are values; the class docstring says what they mean
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            yield name, value.fget
        elif isinstance(value, (staticmethod, classmethod)):
            yield name, value.__func__
        elif inspect.isfunction(value):
            yield name, value


def _undocumented() -> list[str]:
    missing = []
    for module in MODULES:
        if not _own_doc(module):
            missing.append(module.__name__)
        for name in getattr(module, "__all__", []):
            if name.startswith("__"):
                continue
            obj = getattr(module, name)
            where = f"{module.__name__}.{name}"
            # type(obj), not isinstance: a generic alias passes for a class on 3.10.
            if issubclass(type(obj), type) or inspect.isroutine(obj):
                if not _own_doc(obj):
                    missing.append(where)
            elif not _value_documented(name):
                missing.append(where)
            if issubclass(type(obj), type):
                missing += [f"{where}.{n}" for n, f in _public_members(obj) if not _own_doc(f)]
    for client in (AsyncClient(org="acme", token="t"), Client(org="acme", token="t")):
        for attribute in vars(client).values():
            resource = type(attribute)
            if resource.__module__ == "semaphore_async._sync" or resource.__module__.startswith(
                "semaphore_async._resources"
            ):
                if not _own_doc(resource):
                    missing.append(resource.__qualname__)
                missing += [
                    f"{resource.__qualname__}.{name}"
                    for name, member in inspect.getmembers(resource, inspect.isfunction)
                    if not name.startswith("_") and not _own_doc(member)
                ]
        if isinstance(client, Client):
            client.close()
    return sorted(set(missing))


def test_every_public_name_has_a_docstring() -> None:
    assert _undocumented() == []


def test_the_check_sees_a_missing_docstring() -> None:
    """The check itself: a class without a docstring, or with an undocumented method, is
    reported."""

    class Bare:
        def method(self) -> None:
            pass

    assert not _own_doc(Bare)
    assert [name for name, f in _public_members(Bare) if not _own_doc(f)] == ["method"]
