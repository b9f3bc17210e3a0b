"""The ASGI entry point (config.asgi) answers HTTP through the whole middleware chain and the view in one hop to the
worker thread: Django's own handler went back and forth between the event loop and the thread about ten times a
request (middleware, URL resolution on the loop, each process_view, the view)."""

from unittest import mock

import pytest
from asgiref.sync import SyncToAsync, async_to_sync
from asgiref.testing import ApplicationCommunicator

from config.asgi import application
from sanggar.core.tests.test_http_threads import _in_own_thread


def _get(path: str):
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip

    async def run():
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(5)
        body = b""
        while True:
            message = await communicator.receive_output(5)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(5)
        return start, body

    return _in_own_thread(async_to_sync(run))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "status"), [("/healthz", 200), ("/halaman-yang-tidak-ada", 404)])
def test_http_runs_the_chain_and_the_view_in_one_hop(path, status):
    _get(path)  # the handler's middleware is loaded on its first request
    hops = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    with mock.patch.object(SyncToAsync, "__call__", counted):
        start, body = _get(path)

    assert start["status"] == status
    assert body
    # request_started, the chain (middleware + view), the response's close (and the log line of an error answer):
    # nothing else hops to the thread.
    assert len([hop for hop in hops if hop != "log_response"]) <= 3, hops
