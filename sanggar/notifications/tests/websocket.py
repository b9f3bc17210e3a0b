"""A websocket test client for ASGI apps, equivalent to `channels.testing.WebsocketCommunicator`.

`channels.testing` imports daphne (for its live-server helpers) as soon as the package is imported, and daphne is not
a dependency of this project; this keeps the consumer tests independent of it. Like channels' communicator, it stops
Channels from closing the test's database connection between messages."""

import functools
import json
from unittest import mock
from urllib.parse import unquote, urlparse

from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator


def _no_op():
    return None


# How long a frame may take to arrive: generous, as CI runs two workers and a browser on two cores; a test that
# expects silence says so with receive_nothing(timeout).
WAIT = 5


class WebsocketCommunicator(ApplicationCommunicator):
    def __init__(self, application, path: str, headers=None):
        parsed = urlparse(path)
        self.scope = {
            "type": "websocket",
            "path": unquote(parsed.path),
            "query_string": parsed.query.encode(),
            "headers": headers or [],
            "subprotocols": [],
        }
        super().__init__(application, self.scope)

    async def send_input(self, message):
        with mock.patch("channels.db.close_old_connections", _no_op):
            return await super().send_input(message)

    async def receive_output(self, timeout=WAIT):
        with mock.patch("channels.db.close_old_connections", _no_op):
            return await super().receive_output(timeout)

    async def connect(self, timeout=WAIT):
        """(True, subprotocol) when accepted, (False, close code) when rejected."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, response.get("subprotocol")

    async def send_json_to(self, data):
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json_from(self, timeout=WAIT):
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code=1000, timeout=WAIT):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def sync(fn):
    """Runs an async test function; Channels closes "old" database connections around each consumer call, and the
    test's transaction needs its own."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with mock.patch("channels.db.close_old_connections", _no_op):
            return async_to_sync(fn)(*args, **kwargs)

    return wrapper
