"""README as a new user reads it: the two commands first, and its code runs as written
against the emulator (`scripts/check_docs_code.py` type-checks the same blocks)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from semaphore_async.testing import DEFAULT_TOKEN, Emulator
from semaphore_async.testing._server import CONTROLS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"^```python\n(.*?)^```", README, re.MULTILINE | re.DOTALL)


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    first = re.search(r"```bash\n(.*?)```", README, re.DOTALL)
    assert first is not None and README.index("```bash") < README.index("```python")
    demo, tests = (line.split("#")[0].strip() for line in first.group(1).splitlines())
    assert demo == "python -m pip install nox && nox -s demo"
    assert tests == "python -m pip install nox && nox -s tests"
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == tests


@pytest.fixture(scope="module")
def served() -> Iterator[Emulator]:
    with Emulator().serve_in_thread() as emu:
        yield emu


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (0, ["DONE PASSED", "pipelines,", "characters of logs", "404 Not Found"]),
        (1, ["PASSED", "pipelines described"]),
        (2, ["75 workflows on http://127.0.0.1:"]),
    ],
    ids=["async quickstart", "blocking quickstart", "emulator in one file"],
)
def test_readme_code_runs_as_written(served: Emulator, block: int, expected: list[str]) -> None:
    """Each quickstart, copied verbatim, run with the environment README describes."""
    env = {
        **os.environ,
        "SEMAPHORE_HOST": served.url,
        "SEMAPHORE_API_TOKEN": served.token,
        "SEMAPHORE_PROJECT_ID": served.project_ids[0],
        "HOME": str(ROOT / "tests"),  # no ~/.sem.yaml of the machine's
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, README's code
        [sys.executable, "-c", BLOCKS[block]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout, (text, done.stdout[-2000:])


def _cli_emulator(tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "semaphore_async.testing", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_readme_control_routes_are_the_emulator_s(tmp_path: Path) -> None:
    """README's table names every control route with the fields it takes, and its curl
    example, sent as written to the CLI emulator, answers {} and slows the next call."""
    section = README.split("## The emulator", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(POST|DELETE) (/_emulator/\w+)` \| (.*) \|$", section, re.M)
    documented = {
        path.removeprefix("/_emulator/"): tuple(re.findall(r"`(\w+)`", fields))
        for method, path, fields in rows
        if method == "POST"
    }
    assert documented == dict(CONTROLS)
    assert ("DELETE", "/_emulator/faults") in {(m, p) for m, p, _ in rows}

    curl = re.search(r"```bash\n(curl .*?)```", section, re.DOTALL)
    assert curl is not None
    command = curl.group(1).replace("\\\n", " ")
    token = re.search(r"Authorization: Token ([\w-]+)", command)
    body = re.search(r"-d '(\{.*?\})'", command)
    url = re.search(r"(http://127\.0\.0\.1:8000)(/_emulator/\w+)", command)
    assert token is not None and body is not None and url is not None
    server = _cli_emulator(tmp_path)
    try:
        assert server.stdout is not None
        origin = re.search(
            r"on (http://127\.0\.0\.1:\d+) \(token '([\w-]+)'\)", server.stdout.readline()
        )
        assert origin is not None and origin.group(2) == token.group(1) == DEFAULT_TOKEN
        headers = {"Authorization": f"Token {token.group(1)}"}
        post = urllib.request.Request(  # noqa: S310 - loopback
            origin.group(1) + url.group(2), data=body.group(1).encode(), headers=headers
        )
        with urllib.request.urlopen(post, timeout=10) as answer:  # noqa: S310
            assert (answer.status, json.loads(answer.read())) == (200, {})
        started = time.monotonic()
        get = urllib.request.Request(origin.group(1) + "/api/v1alpha/projects", headers=headers)  # noqa: S310
        with urllib.request.urlopen(get, timeout=10) as answer:  # noqa: S310
            assert answer.status == 200
        assert time.monotonic() - started >= json.loads(body.group(1))["seconds"]
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
