"""Template helpers for the page layout shared by every page."""

from django import template
from django.contrib import messages as django_messages

from intranet import context_processors
from intranet.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def shell_defaults(context):
    """Fill in the organisation's name and the marking where they are missing.

    Django renders the 500 page and the CSRF failure page with a bare context, so
    no context processor runs for them; the marking must still be shown.
    """
    for name, value in context_processors.shell(None).items():
        if not context.get(name):
            context[name] = value
    return ""


@register.simple_tag
def notification_banners(messages):
    """Group Django messages into at most two GOV.UK notification banners.

    The Design System asks for one banner at a time, so success messages share a
    success banner (announced with role=alert) and everything else shares an
    "Important" banner.
    """
    success, important = [], []
    for message in messages:
        if message.level == django_messages.SUCCESS:
            success.append(message)
        else:
            important.append(message)
    banners = []
    if success:
        banners.append(
            {"type": "success", "title_id": "success-title", "messages": success}
        )
    if important:
        banners.append(
            {"type": "", "title_id": "important-title", "messages": important}
        )
    return banners


@register.simple_tag(takes_context=True)
def nav_current(context, view_name):
    """The aria-current value for a service navigation link to `view_name`.

    "page" on the section's own page; "true" on any other page of the same
    namespace (a person's profile is inside People); "" elsewhere.
    """
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == view_name:
        return "page"
    namespace, _, _ = view_name.rpartition(":")
    if namespace and match.namespace == namespace:
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many notifications the signed-in user has not read.

    Kept on the request, so the header and the page itself share one query.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(user)
    return request._unread_notifications
