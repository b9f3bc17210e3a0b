"""WebSocket routes. Each app that pushes realtime events adds its consumers here."""

from django.urls import path

from sanggar.chat.consumers import ChatConsumer
from sanggar.community.consumers import CommunityConsumer
from sanggar.notifications.consumers import NotificationConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
    path("ws/komunitas/", CommunityConsumer.as_asgi()),
]
