"""The search page and the autocomplete behind the header's search box.

Both only read the search selectors, which narrow every query to what the asker
may see. A missing, locked or corrupt index must not take a page down: the
search page says that search is being rebuilt, the autocomplete answers an empty
list, and the rest of the site carries on.
"""

import logging

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search import selectors
from search.forms import SearchForm

logger = logging.getLogger(__name__)

GENERIC_PARTIAL = "search/results/generic.html"
FACET_TITLES = {
    "department": "Department",
    "grade": "Grade",
    "profession": "Profession",
    "location": "Location",
}
SENSITIVE = "OFFICIAL-SENSITIVE"


def search(request):
    form = SearchForm(request.GET)
    context = {
        "query": form.query,
        "filters": form.filters,
        "sort": form.order,
        "sorts": selectors.SORTS,
        "search": None,
        "page": None,
        "results": [],
        "unavailable": False,
    }
    if form.query:
        try:
            found = selectors.search_page(
                user=request.user,
                query=form.query,
                filters=form.filters,
                sort=form.order,
                page=form.page_number,
            )
        except Exception:
            logger.exception("search: the index could not be read")
            context["unavailable"] = True
        else:
            context["unavailable"] = found.index_empty
            context["search"] = found
            context["page"] = found.page
            context["results"] = [
                (result, partials(result)) for result in found.page.object_list
            ]
            context["facet_groups"] = [
                (name, title, found.facets[name])
                for name, title in FACET_TITLES.items()
                if name in found.facets
            ]
            context["chosen_facets"] = [
                name for name in FACET_TITLES if getattr(form.filters, name)
            ]
    return render(request, "search/search.html", context)


def partials(result) -> list[str]:
    """The templates that can show `result`, its kind's own first: each app
    shows its documents its own way (search/results/<app_label>_<model_name>)."""
    return [
        f"search/results/{result.app_label}_{result.model_name}.html",
        GENERIC_PARTIAL,
    ]


@require_GET
@never_cache
def suggest(request):
    """Names and titles completing what is typed in a search box, as JSON:
    {"results": [{"label", "kind", "detail", "url"}, ...]}."""
    try:
        found = selectors.complete(user=request.user, text=request.GET.get("q", ""))
    except Exception:
        logger.exception("search: the index could not be read for autocomplete")
        return JsonResponse({"results": [], "unavailable": True}, status=503)
    return JsonResponse({"results": [_suggestion(result) for result in found]})


def _suggestion(result) -> dict:
    kind = getattr(result, "kind", "")
    if kind == "people":
        detail = [result.job_title, result.department]
    elif kind == "spaces":
        detail = ["Space", result.department]
    else:
        marking = getattr(result, "marking", "")
        detail = [
            f"Thread in {getattr(result, 'space_name', '')}",
            marking if marking == SENSITIVE else "",
        ]
    return {
        "label": result.name,
        "kind": kind,
        "detail": " · ".join(part for part in detail if part),
        "url": result.url,
    }
