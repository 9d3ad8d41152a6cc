"""A space's access history: every change of who may do what in it, from the
audit log, newest first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from spaces import history as sentences
from spaces import selectors
from spaces.views.common import header_context, require, space_or_404
from spaces.views.members import PAGE_SIZE


@require_GET
def history(request, slug):
    space = space_or_404(request, slug)
    require(selectors.can_see_access_history(request.user, space))
    page = Paginator(selectors.access_history(space), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = selectors.history_names(page.object_list)
    return render(
        request,
        "spaces/history.html",
        {
            **header_context(request.user, space),
            "page": page,
            "rows": [
                (event, sentences.entry(event, names.people, names.departments))
                for event in page.object_list
            ],
        },
    )
