"""WebSocket routes. Each app that pushes realtime events adds its consumers here."""

websocket_urlpatterns: list = []
