"""Type-check the code users copy: every ```python block of README.md and docs/, each as
a module of its own, with `mypy --strict` (run by `nox -s tests`).

A block is checked as it stands, so each must be a whole module: its imports included,
no names it does not define. A failure names the file and the block's first line.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[Path, int, str]]:
    """Each python block of the user-facing Markdown: (file, first line, code)."""
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = page.read_text()
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            found.append((page.relative_to(ROOT), line, match.group(1)))
    return found


def main() -> int:
    found = blocks()
    with tempfile.TemporaryDirectory() as tmp:
        origin: dict[str, str] = {}
        for number, (page, line, code) in enumerate(found):
            name = f"block_{number:03d}.py"
            (Path(tmp) / name).write_text(code)
            origin[name] = f"{page}:{line}"
        out, err, status = api.run(
            [
                "--strict",
                "--warn-unreachable",
                "--python-version",
                "3.10",
                "--cache-dir",
                str(ROOT / ".mypy_cache" / "docs"),
                tmp,
            ]
        )
    for name, where in origin.items():
        out = out.replace(f"{tmp}/{name}", f"{where} (block)").replace(name, where)
    sys.stdout.write(out)
    sys.stderr.write(err)
    print(f"checked {len(found)} code blocks of README.md and docs/")
    return status


if __name__ == "__main__":
    sys.exit(main())
