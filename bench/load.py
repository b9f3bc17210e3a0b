"""A small load generator: N concurrent connections for T seconds against one target, over loopback only.

`run_load(base_url, make_request, concurrency=…, duration=…)` keeps `concurrency` requests in flight until the time
is up (or `make_request` has nothing left to send) and returns the latencies and status codes. Given several base
URLs (one server process each), the connections are dealt to them in turn, as a proxy balancing over them would.
Bounded on purpose: at most MAX_CONCURRENCY connections, MAX_DURATION seconds, and only to 127.0.0.1 / localhost /
::1.

Each connection is a plain HTTP/1.1 keep-alive stream (`_Connection`): the generator shares the server's two cores,
so what it spends per request is taken from the server. httpx spent about 2 ms of CPU a request here (as much as
the bare view itself); this client reads the status line, the headers and the body by Content-Length or chunks and
spends about a tenth of that, so the figures measure the server rather than the client."""

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
    first_error: str = ""  # the first unexpected answer: its status and the start of its body

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


class TransportError(Exception):
    pass


class _Connection:
    """One keep-alive HTTP/1.1 connection to the target (re-opened when the server closes it)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None
        self.host_header = f"{host}:{port}".encode()

    async def _open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
        for attempt in (0, 1):  # a keep-alive connection the server closed meanwhile is re-opened once
            if self.writer is None:
                await self._open()
            try:
                return await asyncio.wait_for(self._exchange(method, path, headers, body), REQUEST_TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError, TransportError) as exc:
                self.close()
                if attempt:
                    raise TransportError(str(exc)) from exc
            except TimeoutError as exc:
                self.close()
                raise TransportError("timeout") from exc
        raise TransportError("unreachable")

    async def _exchange(self, method, path, headers, body) -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self.host_header]
        lines += [f"{name}: {value}".encode("latin-1") for name, value in headers.items()]
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(b"Content-Length: %d" % len(body or b""))
        self.writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + (body or b""))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, _sep, rest = head.partition(b"\r\n")
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise TransportError("not an HTTP response")
        status = int(parts[1])
        length, chunked, close = None, False, False
        for line in rest.split(b"\r\n"):
            name, _c, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            data = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")  # no trailers are sent by the servers measured
                    break
                data += await self.reader.readexactly(size + 2)
                del data[-2:]
            payload = bytes(data)
        elif length is not None:
            payload = await self.reader.readexactly(length)
        elif status in (204, 304) or 100 <= status < 200:
            payload = b""
        else:
            payload = await self.reader.read()
            close = True
        if close:
            self.close()
        return status, payload


def _check_loopback(base_url: str) -> None:
    host = urlsplit(base_url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"the load generator only talks to this machine (got {host!r})")


async def _worker(connection, make_request, counter, deadline, expected, result: LoadResult):
    while time.perf_counter() < deadline:
        request = make_request(next(counter))
        if request is None:  # nothing left to send (e.g. every prepared webhook used)
            break
        started = time.perf_counter()
        try:
            status, _body = await connection.request(request.method, request.path, request.headers, request.body)
        except (TransportError, OSError) as exc:
            result.errors += 1
            result.statuses["transport error"] += 1
            result.first_error = result.first_error or f"transport error: {exc}"
            continue
        took = time.perf_counter() - started
        result.statuses[status] += 1
        if status in expected:
            result.latencies.append(took)
        else:
            result.errors += 1
            result.first_error = result.first_error or f"{status} {_body[:300].decode('utf-8', 'replace')}"


async def _run(base_urls, target, make_request, concurrency, duration, expected) -> LoadResult:
    result = LoadResult(target=target, elapsed=0.0)
    counter = itertools.count()
    addresses = []
    for base_url in base_urls:
        parts = urlsplit(base_url)
        addresses.append(((parts.hostname or "127.0.0.1").strip("[]"), parts.port or 80))
    connections = [_Connection(*addresses[n % len(addresses)]) for n in range(concurrency)]
    started = time.perf_counter()
    deadline = started + duration
    try:
        await asyncio.gather(*(_worker(c, make_request, counter, deadline, expected, result) for c in connections))
    finally:
        result.elapsed = time.perf_counter() - started
        for connection in connections:
            connection.close()
    return result


def run_load(
    base_url: str | Sequence[str],
    target: str,
    make_request: Callable[[int], Request | None],
    *,
    concurrency: int,
    duration: float,
    expected: frozenset[int] = frozenset({200}),
) -> LoadResult:
    base_urls = [base_url] if isinstance(base_url, str) else list(base_url)
    if not base_urls:
        raise ValueError("no server to load")
    for url in base_urls:
        _check_loopback(url)
    concurrency = max(1, min(int(concurrency), MAX_CONCURRENCY))
    duration = max(0.5, min(float(duration), MAX_DURATION))
    return asyncio.run(_run(base_urls, target, make_request, concurrency, duration, expected))
