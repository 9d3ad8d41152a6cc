"""Pay at start-up what a server's first request would otherwise pay.

Django loads lazily: the URL routes (and with them every view module) on the
first request, the reverse-URL table on the first `{% url %}`, the template
engine with its tag libraries and each template on first render, and haystack
its search backend (and Whoosh) when the first request starts. Left to the first
request, that made it answer 20 to 30 times slower than the tenth
(docs/performance.md, "Cold start"). asgi.py calls `warm_up()` once, before the
server takes connections. Nothing here touches the database or the network.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils.module_loading import import_string

# The page every session starts on; compiling it compiles the shell it extends.
TEMPLATES = ("registration/login.html",)


def warm_up() -> None:
    # Reversing imports the URL routes (every view module) and builds the table.
    reverse("home")
    for connection in getattr(settings, "HAYSTACK_CONNECTIONS", {}).values():
        import_string(connection["ENGINE"])
    for name in TEMPLATES:
        get_template(name)
