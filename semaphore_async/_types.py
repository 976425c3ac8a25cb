"""Type aliases shared by several modules."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ProgressCallback"]

ProgressCallback = Callable[[int, "int | None"], object]
"""Called as ``progress(done, total)``; ``total`` is ``None`` when the server does not say."""
