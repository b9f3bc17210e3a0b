"""The threads that serve HTTP requests in an ASGI server process (config/asgi.py, setting HTTP_THREADS).

Every view here is sync. Under ASGI, asgiref runs thread-sensitive sync code on one shared thread per process, so a
process served one request at a time and its core idled through every database round trip and commit. Here each
request borrows one of HTTP_THREADS single-thread executors for its whole life: Django's request signals, the
middleware, the view and the response's close run on that one thread, so the thread's database connection (taken
from the pool at the first query, given back at `request_finished`) is used by one request at a time, as under a
threaded WSGI server. The threads outlive requests; a request that finds them all busy waits its turn on the event
loop, in arrival order.

A pool belongs to one event loop (a server process has one; tests may start several), so a waiting request is
always woken on its own loop."""

import asyncio
import collections
import weakref
from concurrent.futures import ThreadPoolExecutor


class ThreadPool:
    def __init__(self, size: int):
        self.size = size
        self.started = 0
        self.idle: collections.deque[ThreadPoolExecutor] = collections.deque()
        self.waiting: collections.deque[asyncio.Future] = collections.deque()

    async def take(self) -> ThreadPoolExecutor:
        if self.idle:
            return self.idle.pop()  # the most recently used thread: its connection and caches are warm
        if self.started < self.size:
            self.started += 1
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sanggar-http-{self.started}")
        waiter = asyncio.get_running_loop().create_future()
        self.waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a thread just as the request was cancelled
                self.give(waiter.result())
            raise

    def give(self, executor: ThreadPoolExecutor) -> None:
        while self.waiting:
            waiter = self.waiting.popleft()
            if not waiter.done():
                waiter.set_result(executor)
                return
        self.idle.append(executor)


_pools: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ThreadPool]" = weakref.WeakKeyDictionary()


def pool_for_running_loop(size: int) -> ThreadPool:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        pool = _pools[loop] = ThreadPool(size)
    return pool
