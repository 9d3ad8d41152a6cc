from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from intranet import health


def home(request):
    return render(request, "intranet/home.html")


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
