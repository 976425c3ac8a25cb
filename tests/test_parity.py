"""Every documented operation has an SDK method, and the guide's table names it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from semaphore_async import AsyncClient
from tests.endpoints import ENDPOINTS

TABLE = (Path(__file__).resolve().parents[1] / "docs" / "guide" / "resources.md").read_text()


@pytest.mark.parametrize(("method", "path", "call"), ENDPOINTS, ids=[e[2] for e in ENDPOINTS])
def test_documented_operation_has_sdk_method(method: str, path: str, call: str) -> None:
    """The reference's operation is reachable from AsyncClient."""
    resource, name = call.split(".")
    client = AsyncClient(org="acme", token="t")
    bound = getattr(getattr(client, resource), name)
    assert callable(bound)
    assert inspect.getdoc(bound), f"{call} has no docstring"


@pytest.mark.parametrize(("method", "path", "call"), ENDPOINTS, ids=[e[2] for e in ENDPOINTS])
def test_guide_table_lists_operation(method: str, path: str, call: str) -> None:
    """docs/guide/resources.md shows the method with the HTTP call it makes."""
    rows = [line for line in TABLE.splitlines() if line.startswith(f"| `{call}(")]
    assert rows, f"docs/guide/resources.md has no row for {call}"
    assert f"{method} " in rows[0], rows[0]


def test_every_public_method_is_in_the_guide_table() -> None:
    """No SDK method is missing from the table either (the other direction)."""
    client = AsyncClient(org="acme", token="t")
    for resource in {call.split(".")[0] for _, _, call in ENDPOINTS}:
        for name, member in inspect.getmembers(getattr(client, resource)):
            if name.startswith("_") or not inspect.ismethod(member):
                continue
            assert f"| `{resource}.{name}(" in TABLE, f"{resource}.{name} missing from the table"


def _signature_text(member: object) -> str:
    parts: list[str] = []
    for parameter in inspect.signature(member).parameters.values():  # type: ignore[arg-type]
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        parts.append(parameter.name)
    return ", ".join(parts)


def test_the_guide_table_shows_each_method_s_real_parameters() -> None:
    """Each row's call reads as the method's signature: names, order and the `*`."""
    client = AsyncClient(org="acme", token="t")
    rows = [line.split("`")[1] for line in TABLE.splitlines() if line.startswith("| `")]
    assert len(rows) > 60
    for row in rows:
        call, _, params = row.partition("(")
        resource, name = call.split(".")
        member = getattr(getattr(client, resource), name)
        assert params.removesuffix(")") == _signature_text(member), row
