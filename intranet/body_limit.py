"""Request bodies over MAX_REQUEST_BODY are refused before they are read.

Django reads a whole request body before it runs a view, and refuses one that is
too big (DATA_UPLOAD_MAX_MEMORY_SIZE, an upload handler) only after that, so a
stranger's 100 MB POST costs the process its size several times over. This ASGI
middleware wraps the HTTP app in asgi.py, so the limit holds under any ASGI
server (daphne, uvicorn), and the proxy in front keeps the same one
(docs/deployment.md):

- a declared Content-Length over the limit is answered 413 before the app runs
  or a byte of the body is received;
- a body without one (chunked) is counted as it arrives, and once it passes the
  limit the client is answered 413 and the app is told the client went away.

WebSocket and lifespan traffic passes through untouched.
"""

from __future__ import annotations

from django.conf import settings


class RequestBodyLimit:
    """ASGI middleware: refuse HTTP request bodies over settings.MAX_REQUEST_BODY."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = settings.MAX_REQUEST_BODY
        declared = declared_length(scope.get("headers", []))
        if declared is not None and declared > limit:
            await refuse(send, limit)
            return
        body = _CountedBody(receive, send, limit)
        await self.app(scope, body.receive, body.send)


def declared_length(headers) -> int | None:
    """The largest Content-Length the request declares, if any is a number.

    The server has already rejected a malformed or contradictory one; a body
    whose declaration is odd anyway is still counted as it arrives.
    """
    lengths = [
        int(value)
        for name, value in headers
        if name.lower() == b"content-length" and value.strip().isdigit()
    ]
    return max(lengths, default=None)


class _CountedBody:
    """The app's receive and send, counting the body as it arrives."""

    def __init__(self, receive, send, limit: int):
        self._receive = receive
        self._send = send
        self._limit = limit
        self._received = 0
        self._refused = False
        self._response_started = False

    async def receive(self):
        if self._refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit:
                self._refused = True
                # An app that answered before reading its body has already
                # started its own answer; the server closes the connection.
                if not self._response_started:
                    await refuse(self._send, self._limit)
                # Django stops reading and answers nothing (RequestAborted).
                return {"type": "http.disconnect"}
        return message

    async def send(self, message):
        if self._refused:
            return  # the client already has its answer
        if message["type"] == "http.response.start":
            self._response_started = True
        await self._send(message)


async def refuse(send, limit: int) -> None:
    """Answer 413 with a short page saying how much may be sent."""
    body = (
        f"The request is too large. At most {_size(limit)} can be sent at once: "
        "choose a smaller file and try again.\n"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                # The rest of the body is never read, so the connection cannot
                # carry another request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _size(count: int) -> str:
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{count / size:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"
