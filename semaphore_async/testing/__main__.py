"""``python -m semaphore_async.testing``: serve the emulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from ._emulator import DEFAULT_TOKEN, Emulator
from ._server import CONTROLS

_EPILOG = """\
control routes (they need the API token, like every other route):
  POST   /_emulator/faults      {%(faults)s}
  POST   /_emulator/latency     {%(latency)s}
  POST   /_emulator/rate_limit  {%(rate_limit)s}
  POST   /_emulator/chaos       {%(chaos)s}
  DELETE /_emulator/faults      clears every fault, latency, chaos and rate limit

example:
  curl -X POST -H 'Authorization: Token %(token)s' \\
       -d '{"seconds": 0.5}' http://127.0.0.1:8000/_emulator/latency
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m semaphore_async.testing",
        description="Serve the in-memory Semaphore API emulator on a loopback port.",
        epilog=_EPILOG % {**{k: ", ".join(v) for k, v in CONTROLS.items()}, "token": DEFAULT_TOKEN},
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (0 picks a free one)")
    parser.add_argument(
        "--token", default=DEFAULT_TOKEN, help=f"the API token it accepts (default {DEFAULT_TOKEN})"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="answer 400 to request fields the real server would silently drop",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    parser.add_argument("--jitter", type=float, default=0.0, help="up to this many more, at random")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[:STATUS[:TIMES[:PATH]]]",
        help="inject a fault, e.g. status:503:3:/api/v1alpha/pipelines or stall::1 "
        "(kinds: status html malformed truncated drop_before drop_after stall; "
        "TIMES 0 means forever); repeatable",
    )
    parser.add_argument("--chaos", type=float, default=0.0, help="probability of a random 503")
    parser.add_argument(
        "--rate-limit", default="", metavar="N[/SECONDS]", help="429 above N requests a window"
    )
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Exit at once on Ctrl-C or SIGTERM (a supervisor, a test): close, then return.
        with contextlib.suppress(NotImplementedError):  # not on Windows' default loop
            loop.add_signal_handler(sig, stop.set)
    emulator = Emulator(
        host=args.host, port=args.port, token=args.token, seed=args.seed, strict=args.strict
    )
    async with emulator as emu:
        emu.set_latency(args.latency, jitter=args.jitter)
        for spec in args.fault:
            kind, status, times, path = [*spec.split(":", 3), "", "", ""][:4]
            count = int(times) if times else 1
            emu.inject(kind, status=int(status or 500), times=count or None, path_prefix=path)
        if args.chaos:
            emu.chaos(args.chaos)
        if args.rate_limit:
            requests, _, window = args.rate_limit.partition("/")
            emu.rate_limit(int(requests), float(window or 1.0))
        print(f"Semaphore emulator on {emu.url} (token {emu.token!r})", flush=True)
        print(f"projects: {', '.join(emu.project_ids)}", flush=True)
        print(f"steer faults with POST {emu.url}/_emulator/faults (see --help)", flush=True)
        await stop.wait()


if __name__ == "__main__":
    main()
