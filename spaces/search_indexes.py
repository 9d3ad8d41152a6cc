"""Spaces in the search index: found by their name, description and department.

A space's document holds what `can_view_space` shows to whoever may see the space
at all: its name, its description and its department. Open and restricted spaces
are listed to all staff, so their documents are for everyone; a private space
exists only for those who may read it, so its document carries that space's own
audience token and nothing else (see DESIGN.md, Search).

Archived spaces stay in the index, marked, as they stay in the directory: their
discussions are still worth finding.
"""

from haystack import indexes

from intranet import audience
from intranet.markdown import markdown_to_text
from spaces.models import Space
from spaces.selectors import LISTED


def space_audience(space: Space) -> list[str]:
    """The audience tokens of a space's own document (its name and description).

    Computed from the visibility alone, so a change of visibility must queue the
    space for re-indexing (`spaces.services` does).
    """
    if space.visibility in LISTED:
        return [audience.ALL_STAFF]
    return [audience.space_members(space.pk)]


class StoredBooleanField(indexes.BooleanField):
    """A boolean that reads back right from Whoosh.

    haystack's Whoosh backend stores True and False as "true" and "false", and
    `BooleanField.convert` reads them back with `bool()`, which makes "false" true.
    """

    def convert(self, value):
        if isinstance(value, str):
            return value == "true"
        return super().convert(value)


class SpaceIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    # Shown in results (search/templates/search/results/spaces_space.html).
    name = indexes.CharField(model_attr="name")
    slug = indexes.CharField(model_attr="slug", indexed=False)
    # Already in `text`; stored as plain text for the result's snippet.
    description = indexes.CharField(indexed=False, default="")
    department = indexes.CharField()
    visibility = indexes.CharField(model_attr="visibility", indexed=False)
    archived = StoredBooleanField(model_attr="archived")
    # Who may see the document: filtered on every query.
    audience = indexes.MultiValueField(indexed=True, stored=False)

    def get_model(self):
        return Space

    def index_queryset(self, using=None):
        return self.get_model().objects.select_related("department")

    def prepare_description(self, space):
        return markdown_to_text(space.description)

    def prepare_department(self, space):
        return space.department.acronym

    def prepare_text(self, space):
        department = space.department
        parts = (
            space.name,
            markdown_to_text(space.description),
            department.name,
            department.acronym,
        )
        return "\n".join(part.strip() for part in parts if part.strip())

    def prepare_audience(self, space):
        return space_audience(space)
