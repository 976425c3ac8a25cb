"""Every entry point for people: `nox -s tests`, `nox -s demo`, `nox -s bench`.

`nox -s tests` is what CI runs (`.ci/run`): the lint and type checks, then, queued
behind them, the suite on every Python the classifiers name (`suite-3.10` ...
`suite-3.13`; an interpreter that is not installed is reported as skipped), the suite on
the lowest dependency versions the pins allow (`lowest`), the long tests (`slow`: the
soak, the hypothesis sweeps, the built wheel and sdist in fresh venvs) and the docs
(`docs`).
"""

from __future__ import annotations

import os
import re
import shutil

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # the classifiers in pyproject.toml

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True


def _expose_pyenv_interpreters() -> None:
    """Let nox find every interpreter pyenv has installed, not only the active one.

    pyenv's shims answer `python3.12` only for the versions that PYENV_VERSION (or the
    global version file) names. Where that is one version, as in CI's environment, the
    shim for 3.12 exists but fails, and nox reports 3.12 as not found. So the shims are
    bypassed: the newest patch release under `$PYENV_ROOT/versions` of each version in
    PYTHONS is linked as `pythonX.Y` in `.nox/interpreters`, put first on PATH. Only those
    names are linked, so `python`, `pip` and the rest resolve as before.
    """
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    versions = os.path.join(root, "versions")
    newest: dict[str, tuple[tuple[int, ...], str]] = {}
    for name in os.listdir(versions) if os.path.isdir(versions) else ():
        match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", name)
        if match is None:  # a virtualenv or a pre-release: not an interpreter we name
            continue
        minor = f"{match[1]}.{match[2]}"
        if minor not in PYTHONS:
            continue
        exe = os.path.join(versions, name, "bin", f"python{minor}")
        key = tuple(int(part) for part in match.groups())
        if os.access(exe, os.X_OK) and key > newest.get(minor, ((), ""))[0]:
            newest[minor] = (key, exe)
    if not newest:
        return
    links = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".nox", "interpreters")
    os.makedirs(links, exist_ok=True)
    for minor, (_, exe) in newest.items():
        link = os.path.join(links, f"python{minor}")
        if os.path.islink(link) and os.readlink(link) == exe:
            continue
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(exe, link)
    os.environ["PATH"] = links + os.pathsep + os.environ.get("PATH", "")


_expose_pyenv_interpreters()
# The lowest dependency versions run on the lowest Python that is installed (3.10 here);
# every other session uses the interpreter nox itself runs on, so `nox -s demo` needs
# nothing but the Python that installed nox.
LOWEST_PYTHON = next((v for v in PYTHONS if shutil.which(f"python{v}")), None)


@nox.session
def tests(session: nox.Session) -> None:
    """Lint, format check, mypy --strict (the package, the tests, and the code in README,
    docs/ and examples/), the generated-code check; then every test session."""
    session.install("-e", ".[test,lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("python", "scripts/check_docs_code.py")
    # The blocking client is generated: fail if it no longer matches the async one.
    session.run("python", "scripts/generate_sync.py", "--check")
    if session.posargs:  # `nox -s tests -- -k name`: just those tests, here
        session.run("pytest", "-W", "error", *session.posargs)
        return
    for python in PYTHONS:
        session.notify(f"suite-{python}")
    session.notify("lowest")
    session.notify("slow")
    session.notify("docs")


@nox.session(python=PYTHONS)
def suite(session: nox.Session) -> None:
    """The test suite (without the slow tests) on one Python, newest dependencies."""
    session.install("-e", ".[test]")
    session.run("pytest", "-W", "error", "-m", "not slow", *session.posargs)


@nox.session(python=LOWEST_PYTHON, reuse_venv=False)  # lowest versions only in a new venv
def lowest(session: nox.Session) -> None:
    """The suite on the lowest versions the pins allow, on the lowest Python: uv resolves
    every direct dependency to its lower bound (`--resolution lowest-direct`)."""
    session.install("uv")
    session.run(
        "uv",
        "pip",
        "install",
        "--python",
        session.virtualenv.location,
        "--resolution",
        "lowest-direct",
        "-e",
        ".[test]",
    )
    session.run("python", "-m", "pip", "list", "--format=freeze")
    session.run("pytest", "-W", "error", "-m", "not slow", *session.posargs)


@nox.session
def slow(session: nox.Session) -> None:
    """The long tests: the 20,000-request soak, the hypothesis sweeps, and the built
    sdist and wheel (twine check, installed into fresh venvs, the plugin in a user's
    project, the sdist's own tests)."""
    session.install("-e", ".[test]", "build", "twine")
    session.run("pytest", "-W", "error", "-m", "slow", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site (mkdocs-material, mkdocstrings) with warnings as
    errors; `nox -s docs -- serve` serves it instead."""
    session.install("-e", ".", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.26")
    session.env["NO_MKDOCS_2_WARNING"] = "1"  # the theme's notice of its successor
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve")
    else:
        session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate the blocking Client (semaphore_async/_sync.py) from AsyncClient."""
    session.install("-e", ".[lint]")
    session.run("python", "scripts/generate_sync.py")


@nox.session
def demo(session: nox.Session) -> None:
    """Start the built-in emulator and run the example script against it."""
    session.install(".")
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side with raw aiohttp (see benchmarks/README.md)."""
    session.install(".[speedups]", "httpx")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def fmt(session: nox.Session) -> None:
    """Apply ruff's fixes and formatting."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "--fix", ".")
    session.run("ruff", "format", ".")
