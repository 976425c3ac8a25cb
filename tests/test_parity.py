"""Every documented operation has an SDK method, and the README's table names it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from semaphore_async import AsyncClient
from tests.endpoints import ENDPOINTS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize(("method", "path", "call"), ENDPOINTS, ids=[e[2] for e in ENDPOINTS])
def test_documented_operation_has_sdk_method(method: str, path: str, call: str) -> None:
    """The reference's operation is reachable from AsyncClient."""
    resource, name = call.split(".")
    client = AsyncClient(org="acme", token="t")
    bound = getattr(getattr(client, resource), name)
    assert callable(bound)
    assert inspect.getdoc(bound), f"{call} has no docstring"


@pytest.mark.parametrize(("method", "path", "call"), ENDPOINTS, ids=[e[2] for e in ENDPOINTS])
def test_readme_table_lists_operation(method: str, path: str, call: str) -> None:
    """The README's table shows the method with the HTTP call it makes."""
    rows = [line for line in README.splitlines() if line.startswith(f"| `{call}")]
    assert rows, f"README has no row for {call}"
    assert f"{method} " in rows[0], rows[0]


def test_every_public_method_is_documented_in_the_readme() -> None:
    """No SDK method is missing from the table either (the other direction)."""
    client = AsyncClient(org="acme", token="t")
    for resource in {call.split(".")[0] for _, _, call in ENDPOINTS}:
        for name, member in inspect.getmembers(getattr(client, resource)):
            if name.startswith("_") or not inspect.ismethod(member):
                continue
            assert f"| `{resource}.{name}" in README, f"{resource}.{name} missing from README"
