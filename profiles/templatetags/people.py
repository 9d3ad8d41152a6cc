"""Template helpers for the people pages."""

from django import template
from django.urls import reverse

from intranet.markdown import render_markdown
from profiles.models import Weekday

register = template.Library()

# Completeness prompts whose field is not on the edit form, and where to go instead.
PROMPT_PAGES = {"photo": "profiles:photo"}
# Edit form fields drawn as a group: the error summary's anchor is the first input.
PROMPT_ANCHORS = {"teams": "id_membership-0-team"}


@register.filter
def markdown(text: str):
    """A bio or description, rendered from markdown and sanitised."""
    return render_markdown(text)


@register.filter
def weekdays(codes) -> str:
    """["mon", "tue"] -> "Monday, Tuesday", in week order."""
    labels = dict(Weekday.choices)
    return ", ".join(labels[code] for code in Weekday.values if code in codes)


@register.filter
def get(mapping, key):
    return mapping.get(key, "")


@register.simple_tag
def prompt_url(prompt, username: str) -> str:
    """Where to fix what a completeness prompt asks for: the field on the edit
    form, or the photo page."""
    if prompt.field in PROMPT_PAGES:
        return reverse(PROMPT_PAGES[prompt.field], kwargs={"username": username})
    edit = reverse("profiles:edit", kwargs={"username": username})
    return f"{edit}#{PROMPT_ANCHORS.get(prompt.field, f'id_{prompt.field}')}"
