"""WebSocket routes, mounted by asgi.py under the origin and session checks."""

websocket_urlpatterns: list = []
