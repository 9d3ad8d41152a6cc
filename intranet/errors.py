"""The refusals services raise, each of a kind that carries its answer.

A service that will not do what it was asked raises one of the kinds below:
the class says what sort of "no" it is, and so the HTTP status and the `code` a
JSON answer carries; `message` says why, in words the person can act on; `field`
names the form field the message belongs next to, when there is one. Services
raise before writing anything, or inside their transaction, so a refused change
saves nothing half-way.

Each app's errors subclass these (`profiles.errors`, `spaces.errors`), so code
may catch an app's refusals or a kind across apps. A view turns a refusal into
its answer from the kind alone (`json_error`, `raise_refusal`) and never asks
again whether the person was allowed: that was the service's question.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse


class ServiceError(Exception):
    """A refusal, with a reason to show; raise one of its kinds."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ServiceError):
    """What was sent cannot be used: missing, too long, not one of the choices."""

    status = 400
    code = "invalid"


class Forbidden(ServiceError):
    """The action is not the actor's to take, here or now."""

    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    """What the action is about does not exist, or not for the actor."""

    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """What was sent clashes with how things are now: already decided, already
    a member, a client id already used for something else."""

    status = 409
    code = "conflict"


class RateLimited(ServiceError):
    """Too many at once, or too fast: the same request may go through later."""

    status = 429
    code = "rate_limited"


def json_error(error: ServiceError) -> JsonResponse:
    """A refusal as a JSON client reads it: the kind's status, and
    `{"error": {"code": …, "detail": …}}`."""
    return JsonResponse(
        {"error": {"code": error.code, "detail": error.message}}, status=error.status
    )


def raise_refusal(error: ServiceError) -> None:
    """Answer a refusal that no form shows: Forbidden with 403 and NotFound with
    404, Django's error pages, raised here. Any other kind returns, for the page
    to show next to its form."""
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message) from error
    if isinstance(error, NotFound):
        raise Http404(error.message) from error
