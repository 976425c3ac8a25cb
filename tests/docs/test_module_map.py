"""The development guide's "Where things live" map matches the tree: every module of the
package, every folder of tests/ and every script is named, and nothing it names is gone.

README links to this map instead of repeating it (README is the short front door), so
this test is what keeps the one map honest.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "semaphore_async"
GUIDE = ROOT / "docs" / "guide" / "development.md"
# Names given from the repository root; any other path in the map is inside the package.
_TOP = ("semaphore_async/", "tests/", "benchmarks/", "scripts/")


def _map_rows() -> list[tuple[str, str]]:
    text = GUIDE.read_text()
    section = text.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            rows.append((cells[0], cells[1]))
    assert len(rows) > 20, "the map's table was not found in the development guide"
    return rows


def _root_relative(token: str) -> str:
    return token if token.startswith(_TOP) else f"semaphore_async/{token}"


def named_paths() -> set[str]:
    """Every file or folder the map names, as a path from the repository root.

    A bare name (``_pipelines.py``, ``unit/``) is in the folder of its row's first entry:
    the ``testing/_workflows.py`` row names ``_pipelines.py`` of ``testing/``, the
    ``tests/`` row names ``unit/`` of ``tests/``.
    """
    named = set()
    for first, rest in _map_rows():
        tokens = re.findall(r"`([^`]+)`", first + " " + rest)
        lead = _root_relative(tokens[0])
        folder = lead if lead.endswith("/") else lead.rsplit("/", 1)[0] + "/"
        named.add(lead)
        for token in tokens[1:]:
            if not token.endswith((".py", "/")):
                continue  # a class or function name, not a path
            bare = "/" not in token.rstrip("/")
            named.add(folder + token if bare else _root_relative(token))
    return named


def test_everything_the_map_names_exists() -> None:
    gone = sorted(p for p in named_paths() if not (ROOT / p).exists())
    assert gone == [], f"the map names paths that are not in the tree: {gone}"


def test_every_module_of_the_package_is_named() -> None:
    named = named_paths()
    folders = {p for p in named if p.endswith("/")}
    missing = []
    for module in sorted(PACKAGE.rglob("*.py")):
        path = module.relative_to(ROOT).as_posix()
        folder = path.rsplit("/", 1)[0] + "/"
        # A folder row ("one module per API area") covers the modules inside it.
        if path not in named and folder not in folders:
            missing.append(path)
    assert missing == [], f"modules the map does not name: {missing}"


def test_every_folder_of_tests_and_every_script_is_named() -> None:
    named = named_paths()
    folders = (d for d in (ROOT / "tests").iterdir() if d.is_dir())
    expected = {f"tests/{d.name}/" for d in folders if not d.name.startswith(("_", "."))}
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "scripts").glob("*.py")}
    missing = sorted(expected - named)
    assert missing == [], f"folders of tests/ or scripts the map does not name: {missing}"
