"""WebSocket routes, mounted by asgi.py under the origin and session checks."""

from django.urls import path

from intranet.live.consumer import LiveConsumer

websocket_urlpatterns = [path("ws/live/", LiveConsumer.as_asgi())]
