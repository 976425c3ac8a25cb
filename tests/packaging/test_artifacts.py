"""The artifacts users install: the sdist and the wheel, built as a release would be
(`python -m build`), checked by twine, and used from fresh virtual environments with no
source tree on the path. Slow (a few minutes: each venv installs from PyPI); `nox -s
slow` runs them, with `build` and `twine` installed."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - our interpreters and tools
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def fresh_venv(where: Path) -> Path:
    """A new venv without the system's packages; its python."""
    venv.create(where, with_pip=True, clear=True)
    return where / "bin" / "python"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    for tool in ("build", "twine"):
        try:
            __import__(tool)
        except ImportError:
            pytest.fail(f"these tests need {tool}: run `nox -s slow` (or pip install {tool})")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=ROOT)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_twine_accepts_both(dist: dict[str, Path]) -> None:
    done = run(sys.executable, "-m", "twine", "check", "--strict", *dist.values(), cwd=ROOT)
    assert done.stdout.count("PASSED") == 2, done.stdout


@pytest.fixture(scope="module")
def installed(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel alone (no extras) in a fresh venv."""
    python = fresh_venv(tmp_path_factory.mktemp("wheel-venv"))
    run(
        python, "-m", "pip", "install", "-q", "--disable-pip-version-check", dist["wheel"], cwd=ROOT
    )
    return python


def test_the_wheel_installs_imports_and_ships_its_types(installed: Path, tmp_path: Path) -> None:
    code = (
        "import pathlib, sys, semaphore_async, semaphore_async.testing\n"
        "package = pathlib.Path(semaphore_async.__file__).parent\n"
        "print(package)\n"
        "print((package / 'py.typed').is_file())\n"
        "print(semaphore_async.__version__)\n"
    )
    lines = run(installed, "-c", code, cwd=tmp_path).stdout.splitlines()
    assert Path(lines[0]).is_relative_to(installed.parent.parent), lines
    assert not Path(lines[0]).is_relative_to(ROOT), "imported from the source tree"
    assert lines[1] == "True"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", lines[2])


@pytest.fixture
def cli_emulator(installed: Path, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """`python -m semaphore_async.testing --port 0` from the installed wheel."""
    server = subprocess.Popen(  # noqa: S603 - the venv's interpreter
        [str(installed), "-m", "semaphore_async.testing", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first, second = server.stdout.readline(), server.stdout.readline()
        url = re.search(r"on (http://127\.0\.0\.1:\d+)", first)
        assert url is not None, first
        projects = second.removeprefix("projects: ").strip().split(", ")
        yield url.group(1), projects
    finally:
        server.terminate()
        code = server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
    assert code == 0  # SIGTERM is a clean exit


def test_the_demo_runs_against_the_installed_cli_emulator(
    installed: Path, cli_emulator: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, projects = cli_emulator
    demo = ROOT / "examples" / "demo.py"
    args = ("--base-url", url, "--token", "emulator-token", "--project", projects[0])
    done = run(installed, demo, *args, cwd=tmp_path, timeout=120)
    assert "Demo finished." in done.stdout
    assert re.search(r"\d+ pipelines", done.stdout), done.stdout


def test_the_pytest_plugin_runs_in_a_users_project(
    dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """README's test module, verbatim, in a project with no conftest.py and no pytest
    settings: it runs under pytest-asyncio's strict (default) and auto modes, with
    warnings as errors."""
    python = fresh_venv(tmp_path_factory.mktemp("plugin-venv"))
    wheel = f"{dist['wheel']}[testing]"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=ROOT)
    project = tmp_path_factory.mktemp("users-project")
    section = README.split("## Testing your code", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    (project / "test_mine.py").write_text(code.group(1))
    for mode in ([], ["-o", "asyncio_mode=auto"]):
        done = run(
            python, "-m", "pytest", "-W", "error", "-p", "no:cacheprovider", *mode, cwd=project
        )
        assert re.search(r"\b2 passed\b", done.stdout), done.stdout
        assert "warning" not in done.stdout.lower(), done.stdout


def test_the_sdist_carries_the_tests_and_they_pass(
    dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    unpacked = tmp_path_factory.mktemp("sdist")
    with tarfile.open(dist["sdist"]) as archive:
        archive.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    assert (source / "tests" / "conftest.py").is_file()
    python = fresh_venv(tmp_path_factory.mktemp("sdist-venv"))
    run(
        python,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        f"{source}[test]",
        cwd=source,
    )
    done = run(
        python,
        "-m",
        "pytest",
        "-W",
        "error",
        "-m",
        "not slow",
        "-q",
        "-p",
        "no:cacheprovider",
        cwd=source,
        timeout=900,
    )
    assert re.search(r"\b\d{3,} passed\b", done.stdout), done.stdout[-2000:]
    assert " failed" not in done.stdout
