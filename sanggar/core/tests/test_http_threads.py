"""HTTP requests under ASGI run side by side on HTTP_THREADS threads per process (config/asgi.py,
sanggar/core/http_threads.py): each request keeps one thread from its `request_started` to its response's close,
and requests beyond the pool's size wait their turn in arrival order."""

import asyncio
import threading
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from config.asgi import application
from sanggar.core import views
from sanggar.core.http_threads import ThreadPool


def _in_own_thread(run):
    """`run()` on a thread of its own: an earlier test in this worker (Playwright's sync API) may have left an event
    loop running in the main thread, where neither asyncio.run nor async_to_sync may start another."""
    outcome = {}

    def target():
        try:
            outcome["value"] = run()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _scope(path: str) -> dict:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip


async def _get(path: str) -> int:
    communicator = ApplicationCommunicator(application, _scope(path))
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(10)
    while (await communicator.receive_output(10)).get("more_body"):
        pass
    await communicator.wait(10)
    return start["status"]


@pytest.mark.django_db(transaction=True)
def test_two_requests_run_their_views_at_the_same_time_on_two_threads(settings):
    settings.HTTP_THREADS = 2
    barrier = threading.Barrier(2, timeout=10)
    threads = []
    answer = views.JsonResponse

    def meet_then_answer(*args, **kwargs):
        threads.append(threading.current_thread().name)
        barrier.wait()  # passes only when both requests are inside the view at once (raises after 10 s otherwise)
        return answer(*args, **kwargs)

    async def both():
        return await asyncio.gather(_get("/healthz"), _get("/healthz"))

    with mock.patch.object(views, "JsonResponse", meet_then_answer):
        statuses = _in_own_thread(async_to_sync(both))

    assert statuses == [200, 200]
    assert len(set(threads)) == 2
    assert all(name.startswith("sanggar-http") for name in threads)


@pytest.mark.django_db(transaction=True)
def test_a_request_keeps_one_thread_from_its_start_signal_to_its_close(settings):
    from django.core.signals import request_finished, request_started

    settings.HTTP_THREADS = 3
    seen = []

    def started(**kwargs):
        seen.append(("started", threading.current_thread().name))

    def finished(**kwargs):
        seen.append(("finished", threading.current_thread().name))

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        assert _in_own_thread(lambda: async_to_sync(_get)("/healthz")) == 200
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)

    # The database connection opened by the view is closed (or given back to the pool) by `request_finished` on the
    # thread that used it.
    assert [kind for kind, _name in seen] == ["started", "finished"]
    assert seen[0][1] == seen[1][1]
    assert seen[0][1].startswith("sanggar-http")


def test_with_one_thread_the_process_keeps_asgirefs_shared_thread(settings):
    from config import asgi

    settings.HTTP_THREADS = 1
    assert asgi._http_threads() is None


def test_the_pool_lends_each_thread_to_one_request_and_queues_the_rest_in_order():
    async def run():
        pool = ThreadPool(2)
        first, second = await pool.take(), await pool.take()
        assert first is not second
        third = asyncio.ensure_future(pool.take())
        fourth = asyncio.ensure_future(pool.take())
        await asyncio.sleep(0)
        assert not third.done() and not fourth.done()  # both threads are lent
        pool.give(second)
        assert await third is second  # the first to wait gets the first thread given back
        assert not fourth.done()
        pool.give(first)
        assert await fourth is first
        pool.give(second)
        pool.give(first)
        assert pool.started == 2  # never more threads than the pool's size
        assert await pool.take() is first  # the most recently used one first
        for executor in (first, second):
            executor.shutdown()

    _in_own_thread(lambda: asyncio.run(run()))


def test_a_request_cancelled_while_waiting_does_not_lose_a_thread():
    async def run():
        pool = ThreadPool(1)
        only = await pool.take()
        waiting = asyncio.ensure_future(pool.take())
        await asyncio.sleep(0)
        waiting.cancel()  # the client went away before a thread was free
        await asyncio.gather(waiting, return_exceptions=True)
        pool.give(only)
        assert await pool.take() is only
        pool.give(only)
        only.shutdown()

    _in_own_thread(lambda: asyncio.run(run()))
