"""Placeholder until the benchmarks issue lands: says what `nox -s bench` will measure."""

from __future__ import annotations

PLANNED = """\
nox -s bench will measure, against a canned-response server in a separate process, each
scenario interleaved with its references (A B A B ..., medians, ratios):
  describe overhead   sequential pipelines.get(detailed=True) vs raw aiohttp and httpx
  bulk fetch          1,000 pipelines at 20 ms latency, get_many(concurrency=50)
  pagination prefetch 100 pages of 30 workflows, 10 ms page latency, 10 ms consumer
  blocking facade     Client over AsyncClient per call, beside raw aiohttp via a portal
  memory              peak RSS while iterating 30,000 workflows
  conversion          structuring the detailed pipeline body, vs json.loads alone
"""


def main() -> None:
    print(PLANNED, end="")


if __name__ == "__main__":
    main()
