"""Every entry point for people: `nox -s tests`, `nox -s demo`, `nox -s bench`."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Lint, format check, mypy --strict, then the test suite with warnings as errors."""
    session.install("-e", ".[test,lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # The blocking client is generated: fail if it no longer matches the async one.
    session.run("python", "scripts/generate_sync.py", "--check")
    session.run("pytest", "-W", "error", *session.posargs)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate the blocking Client (semaphore_async/_sync.py) from AsyncClient."""
    session.install("-e", ".", "ruff")
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
    session.install("ruff")
    session.run("ruff", "check", "--fix", ".")
    session.run("ruff", "format", ".")
