"""Request bodies over MAX_REQUEST_BODY are refused before they are read, in the
ASGI app, so the limit holds under any server."""

import pytest

import asgi
from intranet.body_limit import RequestBodyLimit

LIMIT = 1000


@pytest.fixture(autouse=True)
def limit(settings):
    settings.MAX_REQUEST_BODY = LIMIT


def http_scope(*headers, path="/accounts/login/"):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


def length(count: int):
    return (b"content-length", str(count).encode())


class Client:
    """The client's side of one request: the body, in chunks, and the answer."""

    def __init__(self, *chunks: bytes):
        self.chunks = list(chunks)
        self.taken = 0
        self.sent = []

    async def receive(self):
        if self.taken == len(self.chunks):
            return {"type": "http.disconnect"}
        self.taken += 1
        return {
            "type": "http.request",
            "body": self.chunks[self.taken - 1],
            "more_body": self.taken < len(self.chunks),
        }

    async def send(self, message):
        self.sent.append(message)

    @property
    def status(self):
        return self.sent[0]["status"]

    @property
    def body(self):
        return b"".join(m.get("body", b"") for m in self.sent[1:])


class Echo:
    """An app that reads the whole body, then answers it back."""

    def __init__(self):
        self.calls = []
        self.received = []

    async def __call__(self, scope, receive, send):
        self.calls.append((scope, receive, send))
        while True:
            message = await receive()
            self.received.append(message)
            if message["type"] == "http.disconnect":
                return
            if not message.get("more_body"):
                break
        body = b"".join(m["body"] for m in self.received)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


async def serve(client, scope, app=None):
    app = app or Echo()
    await RequestBodyLimit(app)(scope, client.receive, client.send)
    return app


class TestOverTheLimit:
    async def test_a_declared_length_is_refused_unread_and_the_app_never_runs(self):
        client = Client(b"x" * 600, b"x" * 600)

        app = await serve(client, http_scope(length(1200)))

        assert client.status == 413
        assert app.calls == []
        assert client.taken == 0
        assert client.body == (
            b"The request is too large. At most 1,000 bytes can be sent at once: "
            b"choose a smaller file and try again.\n"
        )

    async def test_the_answer_says_how_much_may_be_sent(self, settings):
        settings.MAX_REQUEST_BODY = 10 * 1024 * 1024
        client = Client()

        await serve(client, http_scope(length(10 * 1024 * 1024 + 1)))

        assert client.status == 413
        headers = dict(client.sent[0]["headers"])
        assert headers[b"content-type"] == b"text/plain; charset=utf-8"
        assert headers[b"connection"] == b"close"
        assert client.body == (
            b"The request is too large. At most 10 MB can be sent at once: "
            b"choose a smaller file and try again.\n"
        )

    async def test_a_chunked_body_is_refused_once_it_passes_the_limit(self):
        client = Client(*[b"x" * 400] * 10)

        app = await serve(client, http_scope((b"transfer-encoding", b"chunked")))

        assert client.status == 413
        assert b"At most" in client.body
        # Reading stopped at the chunk that passed the limit: 1,200 of 4,000 bytes.
        assert client.taken == 3
        # The app heard the client go away, and whatever it sent after is dropped.
        assert app.received[-1] == {"type": "http.disconnect"}
        assert [m["type"] for m in client.sent] == [
            "http.response.start",
            "http.response.body",
        ]

    async def test_a_body_longer_than_it_declared_is_counted_too(self):
        client = Client(*[b"x" * 400] * 10)

        await serve(client, http_scope(length(400)))

        assert client.status == 413
        assert client.taken == 3

    async def test_django_stops_reading_and_answers_only_the_413(self, settings):
        client = Client(*[b"username=demo&password=" + b"x" * 400] * 50)

        await RequestBodyLimit(asgi.django_asgi_app)(
            http_scope(
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"transfer-encoding", b"chunked"),
            ),
            client.receive,
            client.send,
        )

        assert client.status == 413
        assert client.taken == 3
        assert len(client.sent) == 2

    async def test_the_served_application_refuses_before_reading(self):
        client = Client(b"x" * 2000)

        await asgi.application(http_scope(length(2000)), client.receive, client.send)

        assert client.status == 413
        assert client.taken == 0


class TestUnderTheLimit:
    @pytest.mark.parametrize(
        "headers",
        [(length(LIMIT),), ((b"transfer-encoding", b"chunked"),)],
        ids=["declared", "chunked"],
    )
    async def test_the_body_reaches_the_app_intact(self, headers):
        chunks = [bytes(range(250)), b"\x00\xff" * 125, b"last" * 50, b"!" * 300]
        assert sum(map(len, chunks)) == LIMIT
        client = Client(*chunks)

        app = await serve(client, http_scope(*headers))

        assert client.status == 200
        assert client.body == b"".join(chunks)
        assert [m["body"] for m in app.received] == chunks
        assert [m["more_body"] for m in app.received] == [True, True, True, False]

    async def test_a_request_without_a_body_passes(self):
        client = Client(b"")
        await serve(client, http_scope())
        assert client.status == 200


@pytest.mark.parametrize("kind", ["websocket", "lifespan"])
async def test_other_traffic_passes_untouched(kind):
    scope = {"type": kind, "headers": [length(10**9)]}
    client = Client(b"x" * 5000)
    app = Echo()

    await RequestBodyLimit(app)(scope, client.receive, client.send)

    [(seen_scope, receive, send)] = app.calls
    assert seen_scope is scope
    assert receive == client.receive
    assert send == client.send
