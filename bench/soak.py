"""`make soak` (`python -m bench.soak`): a mixed workload through the production topology for a fixed time, with
latency percentiles and errors per target and the memory of every process over time.

The topology is `make prod-check`'s (two web processes, two workers, beat, the machine's PostgreSQL in a scratch
database and Redis in a database number of its own, moto's S3 store), seeded with `--members` members each holding a
pending Xendit order. Requests go alternately to both web processes, over loopback only, with `--concurrency`
connections kept busy for `--duration` seconds (default 600; `--ci`: 60), in this mix:

| target | request | weight |
| --- | --- | --- |
| front door | `GET /` (visitor) | 3 |
| checkout page | `GET /checkout/gold` | 3 |
| product list | `GET /produk` | 2 |
| plans API | `GET /api/v1/plans` | 2 |
| admin sales list | `GET /admin/sales` (admin session) | 1 |
| member dashboard | `GET /dashboard/` (member session) | 2 |
| webhook | `POST /webhooks/xendit` PAID for the next pending order (until they run out) | 1 |
| readiness | `GET /readyz` | 1 |

Output: per target requests, errors, p50 / p95 / p99 (ms); per process the resident memory sampled every
`--sample` seconds and its growth from the first to the last quarter of the run (after a warm-up). Exit code 1 when
a request failed or a process grew by more than `--max-growth` percent (default 25) and 20 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import threading
import time
from collections import defaultdict

import httpx

from .prodcheck import PASSWORD, xendit_paid
from .topology import CALLBACK_TOKEN, Topology, log, seed_code

MAX_DURATION = 3600
MAX_CONCURRENCY = 64

MIX = (
    ("front door", "GET", "/", None, 3),
    ("checkout page", "GET", "/checkout/gold", None, 3),
    ("product list", "GET", "/produk", None, 2),
    ("plans API", "GET", "/api/v1/plans", None, 2),
    ("admin sales list", "GET", "/admin/sales", "admin", 1),
    ("member dashboard", "GET", "/dashboard/", "member", 2),
    ("webhook", "POST", "/webhooks/xendit", None, 1),
    ("readiness", "GET", "/readyz", None, 1),
)


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


async def _load(topo: Topology, state: dict, duration: float, concurrency: int) -> dict:
    schedule = [entry for entry in MIX for _ in range(entry[4])]
    pending = list(state["pending"])
    results: dict[str, dict] = defaultdict(lambda: {"latencies": [], "errors": 0, "statuses": defaultdict(int)})
    counter = itertools.count()
    cookies = {"admin": state["admin_session"], "member": state["member_session"]}
    deadline = time.perf_counter() + duration

    async def worker(client: httpx.AsyncClient):
        while time.perf_counter() < deadline:
            n = next(counter)
            name, method, path, who, _weight = schedule[n % len(schedule)]
            headers, body = {}, None
            if name == "webhook":
                if not pending:
                    continue
                invoice, reference, amount, _buyer = pending.pop()
                body = xendit_paid(invoice, reference, amount)
                headers = {"x-callback-token": CALLBACK_TOKEN, "Content-Type": "application/json"}
            if who:
                headers["Cookie"] = f"sessionid={cookies[who]}"
            url = topo.url(n % 2, path)
            started = time.perf_counter()
            try:
                answer = await client.request(method, url, headers=headers, content=body)
                status = answer.status_code
            except httpx.HTTPError:
                status = "transport error"
            took = time.perf_counter() - started
            row = results[name]
            row["statuses"][status] += 1
            if status == 200:
                row["latencies"].append(took)
            else:
                row["errors"] += 1

    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2)
    async with httpx.AsyncClient(limits=limits, timeout=30, follow_redirects=False) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load (default 600)")
    parser.add_argument("--ci", action="store_true", help="CI mode: 60 seconds")
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between memory samples")
    parser.add_argument("--max-growth", type=float, default=25.0, help="allowed memory growth, percent")
    parser.add_argument("--database", default="sanggar_soak")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--json", help="write the report as JSON to this file")
    args = parser.parse_args(argv)
    duration = max(5.0, min(60.0 if args.ci else args.duration, MAX_DURATION))
    concurrency = max(1, min(args.concurrency, MAX_CONCURRENCY))

    topo = Topology(database=args.database, redis_db=args.redis_db, var_dir=Topology().var_dir.parent / "soak")
    samples: list[tuple[float, dict]] = []
    try:
        topo.prepare()
        topo.manage("migrate", "--noinput", "-v", "0")
        topo.manage("collectstatic", "--noinput", "-v", "0")
        state = topo.django(seed_code(PASSWORD).replace("range(1, 41)", f"range(1, {args.members + 1})"))
        topo.start_all(webs=2, workers=2)
        topo.wait_ready(0)
        topo.wait_ready(1)
        log(f"soak: {duration:.0f} s, {concurrency} connections over 2 web processes, {args.members} members")

        stop = threading.Event()
        started = time.monotonic()

        def sampler():
            while not stop.is_set():
                samples.append((time.monotonic() - started, topo.memory()))
                stop.wait(max(1.0, args.sample))

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        results = asyncio.run(_load(topo, state, duration, concurrency))
        stop.set()
        thread.join()
        samples.append((time.monotonic() - started, topo.memory()))
    finally:
        topo.stop_all()

    failed = False
    report = {"duration": duration, "concurrency": concurrency, "targets": {}, "memory": {}}
    log(f"{'target':<18} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, *_rest in MIX:
        row = results.get(name, {"latencies": [], "errors": 0, "statuses": {}})
        lat = sorted(row["latencies"])
        total = sum(row["statuses"].values())
        p50, p95, p99 = (percentile(lat, p) * 1000 for p in (50, 95, 99))
        log(f"{name:<18} {total:>9} {row['errors']:>7} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}")
        report["targets"][name] = {
            "requests": total,
            "errors": row["errors"],
            "statuses": {str(k): v for k, v in row["statuses"].items()},
            "p50_ms": p50,
            "p95_ms": p95,
            "p99_ms": p99,
        }
        failed |= row["errors"] > 0
    log("memory (MiB) per process over time; growth = last quarter vs first quarter after warm-up")
    for name in sorted({n for _t, m in samples for n in m}):
        series = [(t, m[name] / 1024) for t, m in samples if name in m]
        body = series[1:] if len(series) > 4 else series  # the first sample is the start-up
        quarter = max(1, len(body) // 4)
        first = statistics.mean(v for _t, v in body[:quarter])
        last = statistics.mean(v for _t, v in body[-quarter:])
        growth = (last - first) / first * 100 if first else 0.0
        grew = growth > args.max_growth and (last - first) > 20
        failed |= grew
        points = " ".join(f"{v:.0f}" for _t, v in series)
        log(f"  {name:<8} {points}  growth {growth:+.1f}%{'  GROWING' if grew else ''}")
        report["memory"][name] = {"samples_mib": [round(v, 1) for _t, v in series], "growth_percent": growth}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1)
    log("soak passed" if not failed else "soak FAILED (errors or memory growth)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
