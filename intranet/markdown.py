"""Rendering what people write: markdown in, safe HTML out.

markdown-it-py renders (CommonMark, no raw HTML), nh3 sanitises whatever comes out,
so a bug in either alone cannot let script through. Links get
`rel="noopener nofollow"` so a posted link cannot reach back into the page.
"""

from __future__ import annotations

from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "ul", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def render_markdown(text: str) -> SafeString:
    html = _renderer.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_to_text(text: str) -> str:
    """The words of `text` as its readers see them, without markup: for search
    documents, where link targets and formatting are not what anyone looks for.

    The result is plain text, not HTML: escape it wherever it is shown.
    """
    if not text:
        return ""
    return unescape(strip_tags(render_markdown(text))).strip()
