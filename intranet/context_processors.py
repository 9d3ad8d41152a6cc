from django.conf import settings


def shell(request):
    """What every page's layout needs: the organisation's name and the marking."""
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "security_marking": settings.SECURITY_MARKING,
    }
