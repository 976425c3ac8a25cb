"""The emulator's command line and the demo, run as a user would."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_emulator_cli_serves_until_interrupted() -> None:
    """`python -m semaphore_async.testing --port 0` prints its URL and answers requests."""
    command = [sys.executable, "-m", "semaphore_async.testing", "--port", "0", "--token", "t-cli"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.startswith("Semaphore emulator on http://127.0.0.1:")
            url = first.split()[3]
            projects = proc.stdout.readline().split(": ", 1)[1].strip().split(", ")
            request = urllib.request.Request(  # noqa: S310 - http:// to loopback on purpose
                f"{url}/api/v1alpha/plumber-workflows?project_id={projects[0]}",
                headers={"Authorization": "Token t-cli"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                assert response.headers["total"] == "75"
                assert len(json.loads(response.read())) == 30
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_emulator_cli_exits_promptly_on_sigterm() -> None:
    """A supervisor's SIGTERM closes the emulator and ends the process with status 0,
    without waiting out any timeout (what `kill` or a container stop sends)."""
    command = [sys.executable, "-m", "semaphore_async.testing", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Semaphore emulator on")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_cli_help_lists_the_control_routes() -> None:
    """--help names every control route, its fields, and that it needs the token."""
    command = [sys.executable, "-m", "semaphore_async.testing", "--help"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    for route in ("faults", "latency", "rate_limit", "chaos"):
        assert f"/_emulator/{route}" in text
    assert "need the API token" in text and "DELETE /_emulator/faults" in text
    assert "seconds, jitter, path_prefix" in text


def test_demo_runs_against_the_emulator() -> None:
    """examples/demo.py triggers, waits, lists and describes, and says so."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Build & Test: DONE / PASSED" in out
    assert "76 pipelines" in out
    assert "jobs in 40 pipelines" in out
    assert out.rstrip().endswith("Demo finished.")
