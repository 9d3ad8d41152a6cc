from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from intranet import health
from intranet.notifications import notifications_for, notifications_mark_read

NOTIFICATIONS_PAGE_SIZE = 50


def home(request):
    return render(request, "intranet/home.html")


@require_http_methods(["GET", "POST"])
def notifications(request):
    """Your notifications, newest first; POST marks them all read."""
    if request.method == "POST":
        count = notifications_mark_read(user=request.user)
        if count:
            messages.success(
                request,
                f"{count} notification{'s' if count != 1 else ''} marked as read",
            )
        return redirect("notifications")
    page = Paginator(notifications_for(request.user), NOTIFICATIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "intranet/notifications.html", {"page": page})


@login_not_required
def accessibility(request):
    return render(request, "intranet/accessibility.html")


@login_not_required
@never_cache
async def healthz(request):
    """JSON state of each dependency; 503 when any is not "ok"."""
    checks = await health.run_checks()
    healthy = all(state == health.OK for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks},
        status=200 if healthy else 503,
    )
