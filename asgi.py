"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Served by uvicorn (`make run`) or daphne (`daphne asgi:application`). The Django
app is built first so that the app registry is ready before any consumer module
imports models. When
SEARCH_DRAIN_IN_PROCESS is on (the embedded default), the process starts draining
the search outbox once it serves its first connection (search.drainer). What
Django would load on the first request is loaded here, before the server listens
(intranet.warmup), so the first request answers as fast as the tenth. A request
body over MAX_REQUEST_BODY is refused before it is read (intranet.body_limit).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from intranet.body_limit import RequestBodyLimit  # noqa: E402
from intranet.routing import websocket_urlpatterns  # noqa: E402
from intranet.warmup import warm_up  # noqa: E402
from search.drainer import DrainsSearchOutbox  # noqa: E402

# The URL routes, templates and search backend load now, not on the first request.
warm_up()

application = DrainsSearchOutbox(
    ProtocolTypeRouter(
        {
            "http": RequestBodyLimit(django_asgi_app),
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
