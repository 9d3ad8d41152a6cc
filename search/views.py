import logging

from django.core.paginator import Paginator
from django.shortcuts import render

from search import selectors

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
GENERIC_PARTIAL = "search/results/generic.html"


def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "page": None, "results": [], "unavailable": False}
    if query:
        results = selectors.search(user=request.user, query=query)
        try:
            page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
            # Force the query here, so a broken index is caught, not met mid-render.
            found = list(page.object_list)
        except Exception:
            # A missing, locked or corrupt index must not take the page down.
            logger.exception("search: the index could not be read")
            context["unavailable"] = True
        else:
            context["page"] = page
            context["results"] = [(result, partials(result)) for result in found]
    return render(request, "search/search.html", context)


def partials(result) -> list[str]:
    """The templates that can show `result`, its kind's own first: each app
    shows its documents its own way (search/results/<app_label>_<model_name>)."""
    return [
        f"search/results/{result.app_label}_{result.model_name}.html",
        GENERIC_PARTIAL,
    ]
