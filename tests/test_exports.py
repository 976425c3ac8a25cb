"""The public door: __all__ is sorted and lists exactly the public names."""

from __future__ import annotations

import importlib
import pkgutil

import semaphore_async
import semaphore_async.models
import semaphore_async.testing


def test_all_is_sorted_and_complete() -> None:
    """Every public name is exported once, and every export exists."""
    for module in (semaphore_async, semaphore_async.models, semaphore_async.testing):
        exported = module.__all__
        assert len(set(exported)) == len(exported), module.__name__
        public = {
            name
            for name in vars(module)
            if not name.startswith("_") and not isinstance(getattr(module, name), type(module))
        }
        public -= {"annotations"}
        assert set(exported) - {"__version__"} == public, module.__name__


def test_names_are_listed_sorted_where_they_are_defined() -> None:
    """``models.__all__`` joins its modules' lists; each list, and the others, are sorted."""
    model_modules = [
        importlib.import_module(f"semaphore_async.models.{info.name}")
        for info in pkgutil.iter_modules(semaphore_async.models.__path__)
    ]
    joined = [name for module in model_modules for name in module.__all__]
    assert sorted(semaphore_async.models.__all__) == sorted(joined)
    for module in (semaphore_async, semaphore_async.testing, *model_modules):
        assert module.__all__ == sorted(module.__all__), module.__name__


def test_py_typed_ships() -> None:
    """The package is marked as typed."""
    from importlib.resources import files

    assert files("semaphore_async").joinpath("py.typed").is_file()
