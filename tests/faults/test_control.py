"""Faults steered from outside the process: the HTTP control route and the CLI flags."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

import semaphore_async as sa
from semaphore_async.testing import Emulator


async def test_control_route_injects_and_clears() -> None:
    """POST /_emulator/faults scripts a fault; DELETE clears every rule."""
    async with Emulator(strict=True) as emu, emu.client(max_retries=0) as sem:
        core = sem._core
        await core.request(
            "POST",
            "/_emulator/faults",
            body={
                "kind": "status",
                "status": 503,
                "times": 1,
                "path_prefix": "/api/v1alpha/projects",
            },
        )
        with pytest.raises(sa.ServerError):
            await sem.projects.get("project-1")
        assert (await sem.projects.get("project-1")).name == "project-1"  # only once
        await core.request("POST", "/_emulator/rate_limit", body={"requests": 1, "window": 60})
        await core.request("DELETE", "/_emulator/faults")
        assert (await sem.projects.get("project-1")).name == "project-1"
        with pytest.raises(sa.BadRequestError, match="unknown fault kind"):
            await core.request("POST", "/_emulator/faults", body={"kind": "explode"})


def test_cli_fault_flags() -> None:
    """--fault status:503:2:/api/v1alpha/projects answers the first two such requests 503."""
    command = [
        sys.executable,
        "-m",
        "semaphore_async.testing",
        "--port",
        "0",
        "--token",
        "t",
        "--fault",
        "status:503:2:/api/v1alpha/projects",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split()[3]
            statuses = []
            for _ in range(3):
                request = urllib.request.Request(  # noqa: S310 - loopback
                    f"{url}/api/v1alpha/projects/project-1", headers={"Authorization": "Token t"}
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                        statuses.append(response.status)
                        assert json.loads(response.read())["metadata"]["name"] == "project-1"
                except urllib.error.HTTPError as exc:
                    statuses.append(exc.code)
            assert statuses == [503, 503, 200]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
