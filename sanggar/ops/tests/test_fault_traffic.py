"""`bench.faults.traffic` (the webhook traffic of the PostgreSQL and Redis faults) against a stub web server on
loopback: the orders are paced so the fault falls inside the traffic, every attempt is counted against the fault's
window, answers other than 200 are retried until paid, and a fault that misses the traffic fails the run. A few
seconds, no database: the real faults run in `make faults`."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.faults import traffic


class _Stub:
    def __init__(self):
        self.down = threading.Event()
        self.held = threading.Event()  # set: requests wait until it clears, then are answered (a database restart)
        self.paid: dict[str, int] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                while stub.held.is_set():
                    time.sleep(0.01)
                if stub.down.is_set():
                    self.send_response(503)
                else:
                    invoice = body.decode().split('"external_id": "')[1].split('"')[0]
                    stub.paid[invoice] = stub.paid.get(invoice, 0) + 1
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, web, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def stub():
    s = _Stub()
    yield s
    s.server.shutdown()
    s.server.server_close()


def _orders(n):
    return [(f"INV-{i}", f"ref-{i}", 100_000, None) for i in range(n)]


def _traffic_through(stub, event: threading.Event) -> dict:
    """16 orders paced over 3 s with `event` set for 1.5 s of them (the fault); every order paid exactly once."""

    def fault():
        event.set()
        time.sleep(1.5)
        event.clear()

    stats = traffic(stub, _orders(16), fault, fault_after=0.5, spread=3)
    assert stats["sent"] == 16 and sorted(stub.paid.values()) == [1] * 16
    return stats


def test_the_fault_falls_inside_the_traffic_and_every_order_is_paid_once(stub):
    stats = _traffic_through(stub, stub.down)
    assert stats["before_ok"] > 0 and stats["during_failed"] > 0 and stats["after_ok"] > 0
    assert stats["non_200"] >= stats["during_failed"] and stats["fault_seconds"] >= 1.5


def test_requests_that_wait_out_the_fault_count_as_during_it(stub):
    """A server that holds its requests through the fault (as web processes wait for PostgreSQL to come back) answers
    each of them after the window: they met the fault all the same."""
    stats = _traffic_through(stub, stub.held)
    assert stats["before_ok"] > 0 and stats["during_ok"] > 0 and stats["after_ok"] > 0
    assert stats["during_failed"] == 0 and stats["non_200"] == 0


def test_a_fault_after_the_traffic_fails_the_run(stub):
    with pytest.raises(AssertionError, match="did not fall inside the traffic"):
        traffic(stub, _orders(4), lambda: None, fault_after=1.0, spread=0.2)
