import os

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGI handler with the whole middleware chain and the view run in ONE hop to the worker thread.

    Django builds the ASGI chain around its async inner handler: with our sync-only middleware that means the
    request goes to the thread for the middleware, back to the event loop to resolve the URL, to the thread again for
    each `process_view` and once more for the view (about ten context switches a request, each copying every context
    variable). Every view here is sync, so the chain is built as under WSGI (`_get_response`, which would still run
    an async view through async_to_sync) and entered once."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)

    async def handle(self, scope, receive, send):
        """With HTTP_THREADS > 1 each request runs, from its `request_started` to its response's close, on one thread
        of a small pool of its own (`sanggar.core.http_threads`): while one request waits for PostgreSQL, Redis or
        a provider, another one's Python runs. Without it every sync request of the process queued for asgiref's
        one shared thread, and a worker's core idled through each of its database round trips."""
        threads = _http_threads()
        if threads is None:
            return await super().handle(scope, receive, send)
        executor = await threads.take()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await super().handle(scope, receive, send)
        finally:
            threads.give(executor)


django.setup(set_prefix=False)

from sanggar.core.http_threads import pool_for_running_loop  # noqa: E402


def _http_threads():
    return pool_for_running_loop(settings.HTTP_THREADS) if settings.HTTP_THREADS > 1 else None


django_asgi_app = SyncChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from sanggar.core.warmup import process_warm  # noqa: E402


class OriginCheckedUnlessNative:
    """Browsers always send Origin on a websocket: theirs must be one of ALLOWED_HOSTS (no cross-site use of the
    session cookie). The mobile apps send none and sign in with a JWT (`?token=`), which a foreign page cannot
    borrow, so a connection without Origin skips that check."""

    def __init__(self, app):
        self.app = app
        self.checked = AllowedHostsOriginValidator(app)

    async def __call__(self, scope, receive, send):
        if any(name == b"origin" for name, _value in scope.get("headers", [])):
            return await self.checked(scope, receive, send)
        return await self.app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheckedUnlessNative(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

process_warm()  # last: everything above is loaded and frozen out of the collector's reach
