"""README as a new user reads it: the two commands first, and its code runs as written
against the emulator (`scripts/check_docs_code.py` type-checks the same blocks)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from semaphore_async.testing import Emulator

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
