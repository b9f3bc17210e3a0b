"""A small load generator: N concurrent connections for T seconds against one target, over loopback only.

`run_load(base_url, make_request, concurrency=…, duration=…)` keeps `concurrency` requests in flight until the time
is up (or `make_request` has nothing left to send) and returns the latencies and status codes. Bounded on purpose:
at most MAX_CONCURRENCY connections, MAX_DURATION seconds, and only to 127.0.0.1 / localhost / ::1."""

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

MAX_CONCURRENCY = 256
MAX_DURATION = 300.0
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class LoadResult:
    target: str
    elapsed: float
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # unexpected status or transport error

    @property
    def completed(self) -> int:
        return sum(self.statuses.values())

    @property
    def rps(self) -> float:
        return self.completed / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]


def _check_loopback(base_url: str) -> None:
    host = urlsplit(base_url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"the load generator only talks to this machine (got {host!r})")


async def _worker(client, make_request, counter, deadline, expected, result: LoadResult):
    while time.perf_counter() < deadline:
        request = make_request(next(counter))
        if request is None:  # nothing left to send (e.g. every prepared webhook used)
            return
        started = time.perf_counter()
        try:
            response = await client.request(request.method, request.path, headers=request.headers, content=request.body)
        except httpx.HTTPError:
            result.errors += 1
            result.statuses["transport error"] += 1
            continue
        took = time.perf_counter() - started
        result.statuses[response.status_code] += 1
        if response.status_code in expected:
            result.latencies.append(took)
        else:
            result.errors += 1


async def _run(base_url, target, make_request, concurrency, duration, expected) -> LoadResult:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    result = LoadResult(target=target, elapsed=0.0)
    counter = itertools.count()
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT) as client:
        started = time.perf_counter()
        deadline = started + duration
        await asyncio.gather(
            *(_worker(client, make_request, counter, deadline, expected, result) for _ in range(concurrency))
        )
        result.elapsed = time.perf_counter() - started
    return result


def run_load(
    base_url: str,
    target: str,
    make_request: Callable[[int], Request | None],
    *,
    concurrency: int,
    duration: float,
    expected: frozenset[int] = frozenset({200}),
) -> LoadResult:
    _check_loopback(base_url)
    concurrency = max(1, min(int(concurrency), MAX_CONCURRENCY))
    duration = max(0.5, min(float(duration), MAX_DURATION))
    return asyncio.run(_run(base_url, target, make_request, concurrency, duration, expected))
