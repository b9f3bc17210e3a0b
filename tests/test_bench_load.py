"""The bench's load generator: its own HTTP/1.1 client reads whole answers (Content-Length, chunked, closed), keeps
the connection alive between requests, re-opens one the server closed, and counts statuses and errors."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load import Request, run_load

ANSWERS = {
    b"/len": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhallo",
    b"/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhal\r\n2\r\nlo\r\n0\r\n\r\n",
    b"/close": b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    b"/missing": b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
}


def _serve():
    """A loopback server answering each path above; it counts connections and the request bodies it read."""
    state = {"connections": 0, "bodies": [], "port": None}
    ready = threading.Event()
    loop = asyncio.new_event_loop()

    async def handle(reader, writer):
        state["connections"] += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ")[1]
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                state["bodies"].append(await reader.readexactly(length))
                writer.write(ANSWERS[path])
                await writer.drain()
                if path == b"/close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    def serve():
        srv = loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
        state["port"] = srv.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()
        srv.close()
        loop.run_until_complete(srv.wait_closed())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(5)
    yield state
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


@pytest.fixture
def server():
    yield from _serve()


@pytest.fixture
def other_server():
    yield from _serve()


def _load(server, paths, *, concurrency=2, method="GET", body=None, expected=frozenset({200})):
    queue = list(paths)

    def make(i):
        return Request(method, queue[i], {"X-Test": "1"}, body) if i < len(queue) else None

    servers = server if isinstance(server, list) else [server]
    # in a thread of its own, as in `python -m bench`: a test run may already hold a running event loop here
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(
            run_load,
            [f"http://127.0.0.1:{each['port']}" for each in servers],
            "t",
            make,
            concurrency=concurrency,
            duration=10,
            expected=expected,
        ).result()


def test_reads_length_and_chunked_answers_on_kept_alive_connections(server):
    result = _load(server, ["/len", "/chunked"] * 10)
    assert result.statuses == {200: 20} and result.errors == 0 and len(result.latencies) == 20
    assert server["connections"] == 2  # one per concurrent worker, kept alive


def test_connections_are_dealt_to_several_servers_in_turn(server, other_server):
    result = _load([server, other_server], ["/len"] * 60, concurrency=6)
    assert result.statuses == {200: 60} and result.errors == 0
    assert server["connections"] == 3 and other_server["connections"] == 3
    assert len(server["bodies"]) + len(other_server["bodies"]) == 60
    assert server["bodies"] and other_server["bodies"]


def test_reopens_a_connection_the_server_closed_and_sends_bodies(server):
    result = _load(server, ["/close"] * 6, concurrency=1, method="POST", body=b'{"a":1}', expected=frozenset({201}))
    assert result.statuses == {201: 6} and result.errors == 0
    assert server["connections"] == 6 and server["bodies"] == [b'{"a":1}'] * 6


def test_unexpected_status_counts_as_error(server):
    result = _load(server, ["/len", "/missing"], concurrency=1)
    assert result.statuses == {200: 1, 404: 1} and result.errors == 1 and len(result.latencies) == 1


def test_only_loopback():
    with pytest.raises(ValueError):
        run_load("http://example.com", "t", lambda i: None, concurrency=1, duration=1)
    with pytest.raises(ValueError):  # every server of a list
        run_load(["http://127.0.0.1:8001", "http://example.com"], "t", lambda i: None, concurrency=1, duration=1)
