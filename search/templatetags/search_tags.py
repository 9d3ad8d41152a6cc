"""Template helpers for the search page and its results.

    {% load search_tags %}
    {% snippet result.description %}          about two lines around the first match
    {% mark result.job_title %}               the whole text, marked
    {% matches result.bio as bio_matches %}   whether the words are in it
    {% facet_url "department" option.value %} this page's link with one filter set

The words are those of the search page's `marker` (a search.highlight.Marker)
in the context; without one (a result shown elsewhere) the text is only
escaped. The text is always escaped: the only markup these tags add is <mark>.
"""

from urllib.parse import urlencode

from django import template

from search.highlight import Marker

register = template.Library()

_NO_MARKS = Marker([])


def _marker(context) -> Marker:
    marker = context.get("marker")
    return marker if isinstance(marker, Marker) else _NO_MARKS


@register.simple_tag(takes_context=True)
def mark(context, text):
    return _marker(context).mark(text)


@register.simple_tag(takes_context=True)
def snippet(context, text):
    return _marker(context).snippet(text)


@register.simple_tag(takes_context=True)
def matches(context, text) -> bool:
    return _marker(context).matches(text)


@register.simple_tag(takes_context=True)
def facet_url(context, name: str, value=None, **also) -> str:
    """The current search with filter `name` set to `value` (or taken off, for
    None) and back on the first page; `also` sets other parameters the same way.
    """
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, chosen in {name: value, **also}.items():
        if chosen in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(chosen)
    return "?" + urlencode(sorted(params.items()))
