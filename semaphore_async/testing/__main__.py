"""``python -m semaphore_async.testing``: serve the emulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from ._emulator import DEFAULT_TOKEN, Emulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m semaphore_async.testing",
        description="Serve the in-memory Semaphore API emulator on a loopback port.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (0 picks a free one)")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the API token it accepts")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


async def _serve(args: argparse.Namespace) -> None:
    async with Emulator(host=args.host, port=args.port, token=args.token, seed=args.seed) as emu:
        emu.set_latency(args.latency)
        print(f"Semaphore emulator on {emu.url} (token {emu.token!r})", flush=True)
        print(f"projects: {', '.join(emu.project_ids)}", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    main()
