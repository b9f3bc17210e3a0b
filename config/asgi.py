import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

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
