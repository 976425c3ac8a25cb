"""Benchmarks of semaphore_async side by side with raw aiohttp (run with `nox -s bench`)."""
