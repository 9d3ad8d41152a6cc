"""Template helpers for the GOV.UK component includes in templates/components/."""

from django import template

register = template.Library()


@register.simple_tag
def described_by(field, hint=""):
    """The ids a form field's input points at with aria-describedby.

    Matches the GOV.UK input macro: the hint first, then the error message.
    """
    ids = []
    if hint:
        ids.append(f"{field.id_for_label}-hint")
    if field.errors:
        ids.append(f"{field.id_for_label}-error")
    return " ".join(ids)


@register.simple_tag
def page_items(page, on_each_side=1, on_ends=1):
    """Page numbers for GOV.UK pagination, with None where the range is elided.

    The Design System shows the first, last, current and adjacent pages only.
    """
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
