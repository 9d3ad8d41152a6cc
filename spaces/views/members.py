"""Who is in a space: its direct members, and the departments and teams let in by
a grant."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from spaces import selectors
from spaces.views.common import header_context, require, space_or_404

PAGE_SIZE = 50


@require_GET
def members(request, slug):
    space = space_or_404(request, slug)
    require(selectors.can_see_members(request.user, space))
    grants = list(selectors.space_grants(space))
    page = Paginator(selectors.space_members(space), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "spaces/members.html",
        {
            **header_context(request.user, space),
            "page": page,
            "rows": selectors.member_rows(page.object_list, grants),
            "grants": grants,
            "can_manage_access": selectors.can_manage_access(request.user, space),
        },
    )
