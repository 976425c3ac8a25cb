"""The public door: __all__ is sorted and lists exactly the public names."""

from __future__ import annotations

import semaphore_async
import semaphore_async.models
import semaphore_async.testing


def test_all_is_sorted_and_complete() -> None:
    """Every public name is exported, sorted, and every export exists."""
    for module in (semaphore_async, semaphore_async.models, semaphore_async.testing):
        exported = module.__all__
        assert exported == sorted(exported), module.__name__
        public = {
            name
            for name in vars(module)
            if not name.startswith("_") and not isinstance(getattr(module, name), type(module))
        }
        public -= {"annotations"}
        assert set(exported) - {"__version__"} == public, module.__name__


def test_py_typed_ships() -> None:
    """The package is marked as typed."""
    from importlib.resources import files

    assert files("semaphore_async").joinpath("py.typed").is_file()
