import logging

from django.core.paginator import Paginator
from django.shortcuts import render

from search import selectors

logger = logging.getLogger(__name__)

PAGE_SIZE = 20


def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "page": None, "unavailable": False}
    if query:
        results = selectors.search(user=request.user, query=query)
        try:
            page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
            # Force the query here, so a broken index is caught, not met mid-render.
            list(page.object_list)
        except Exception:
            # A missing, locked or corrupt index must not take the page down.
            logger.exception("search: the index could not be read")
            context["unavailable"] = True
        else:
            context["page"] = page
    return render(request, "search/search.html", context)
