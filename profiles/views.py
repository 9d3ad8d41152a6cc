from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from profiles import selectors

PAGE_SIZE = 50


def directory(request):
    department = None
    slug = request.GET.get("department")
    if slug:
        department = get_object_or_404(selectors.departments(), slug=slug)
    page = Paginator(
        selectors.directory_profiles(department=department), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "profiles/directory.html",
        {
            "page": page,
            "department": department,
            "departments": selectors.departments(),
        },
    )
