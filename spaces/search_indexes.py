"""Spaces, threads and messages in the search index.

A space's document holds what `can_view_space` shows to whoever may see the space
at all: its name, its description and its department. Open and restricted spaces
are listed to all staff, so their documents are for everyone; a private space
exists only for those who may read it, so its document carries that space's own
audience token and nothing else (see DESIGN.md, Search).

A thread's document is its title; each message (a post in a thread) has its own
document, its text as its readers see it. Both are for whoever may read the
space's content (`can_view_content`): all staff in an open space, the space's
readers otherwise. An OFFICIAL-SENSITIVE thread and its messages are for the
space's own members only (`can_view_sensitive`), whatever the space's
visibility. A deleted message leaves its place in the thread but not its words:
it has no document.

Who may see a thread or a message depends on its space, so a change to the
space (its visibility, archiving, name, address or department) queues all of its
threads and messages again (`spaces.services`). A thread's marking is fixed when
it is started.

Archived spaces stay in the index, marked, as they stay in the directory: their
discussions are still worth finding.
"""

from django.urls import reverse
from haystack import indexes

from intranet import audience
from intranet.indexing import NAME_BOOST, WORDS
from intranet.markdown import markdown_to_text
from spaces.models import Marking, Message, Space, Thread
from spaces.selectors import LISTED, person_name
from spaces.thread_services import thread_url

# The `kind` of every document each index writes (search.query.KINDS; "posts"
# is for blog posts). search_index_ensure rebuilds an index holding another.
SPACE_KIND, THREAD_KIND, MESSAGE_KIND = "spaces", "threads", "messages"


def space_audience(space: Space) -> list[str]:
    """The audience tokens of a space's own document (its name and description).

    Computed from the visibility alone, so a change of visibility must queue the
    space for re-indexing (`spaces.services` does).
    """
    if space.visibility in LISTED:
        return [audience.ALL_STAFF]
    return [audience.space_members(space.pk)]


def content_audience(space: Space, marking: str) -> list[str]:
    """The audience tokens of a thread or message in `space` marked `marking`."""
    if marking == Marking.OFFICIAL_SENSITIVE:
        return [audience.space_sensitive(space.pk)]
    if space.visibility == Space.Visibility.OPEN:
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
    document_kind = SPACE_KIND
    text = indexes.CharField(document=True, stored=False)
    kind = indexes.FacetCharField()
    # Shown in results (search/templates/search/results/spaces_space.html).
    name = indexes.CharField(model_attr="name", boost=NAME_BOOST)
    slug = indexes.CharField(model_attr="slug", indexed=False)
    url = indexes.CharField(indexed=False)
    # Already in `text`; stored as plain text for the result's snippet.
    description = indexes.CharField(indexed=False, default="")
    department = indexes.CharField()
    department_id = indexes.FacetCharField()
    visibility = indexes.CharField(model_attr="visibility", indexed=False)
    archived = StoredBooleanField(model_attr="archived")
    date = indexes.DateTimeField(model_attr="created_at")
    complete = indexes.CharField(model_attr="name", stored=False, analyzer=WORDS)
    # Who may see the document: filtered on every query.
    audience = indexes.MultiValueField(indexed=True, stored=False)

    def get_model(self):
        return Space

    def index_queryset(self, using=None):
        return self.get_model().objects.select_related("department")

    def prepare_kind(self, space):
        return self.document_kind

    def prepare_url(self, space):
        return reverse("spaces:home", kwargs={"slug": space.slug})

    def prepare_description(self, space):
        return markdown_to_text(space.description)

    def prepare_department(self, space):
        return space.department.acronym

    def prepare_department_id(self, space):
        return str(space.department_id)

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


class _ContentIndex(indexes.SearchIndex):
    """What threads and messages share: where they were written, by whom, and
    who may read them."""

    kind = indexes.FacetCharField()
    department = indexes.CharField()
    department_id = indexes.FacetCharField()
    # For in:<space> and by:<username> (ids: slugs and usernames can change).
    space = indexes.MultiValueField(stored=False)
    author = indexes.MultiValueField(stored=False)
    # Shown in results (search/templates/search/results/).
    space_name = indexes.CharField(indexed=False)
    author_name = indexes.CharField(indexed=False, default="")
    marking = indexes.CharField(indexed=False)
    url = indexes.CharField(indexed=False)
    date = indexes.DateTimeField(model_attr="created_at")
    audience = indexes.MultiValueField(indexed=True, stored=False)

    @staticmethod
    def thread_of(obj) -> Thread:
        return obj if isinstance(obj, Thread) else obj.thread

    def space_of(self, obj) -> Space:
        return self.thread_of(obj).space

    def prepare_department(self, obj):
        return self.space_of(obj).department.acronym

    def prepare_department_id(self, obj):
        return str(self.space_of(obj).department_id)

    def prepare_space(self, obj):
        return [str(self.space_of(obj).pk)]

    def prepare_author(self, obj):
        return [str(obj.author_id)] if obj.author_id else []

    def prepare_space_name(self, obj):
        return self.space_of(obj).name

    def prepare_author_name(self, obj):
        return person_name(obj.author) if obj.author_id else ""

    def prepare_marking(self, obj):
        return self.thread_of(obj).marking

    def prepare_audience(self, obj):
        return content_audience(self.space_of(obj), self.thread_of(obj).marking)


class ThreadIndex(_ContentIndex, indexes.Indexable):
    document_kind = THREAD_KIND
    text = indexes.CharField(document=True, stored=False)
    name = indexes.CharField(model_attr="title", boost=NAME_BOOST)
    complete = indexes.CharField(model_attr="title", stored=False, analyzer=WORDS)

    def get_model(self):
        return Thread

    def index_queryset(self, using=None):
        return self.get_model().objects.select_related(
            "space__department", "author__profile"
        )

    def prepare_kind(self, thread):
        return self.document_kind

    def prepare_text(self, thread):
        return thread.title

    def prepare_url(self, thread):
        return thread_url(thread)


class MessageIndex(_ContentIndex, indexes.Indexable):
    document_kind = MESSAGE_KIND
    text = indexes.CharField(document=True, stored=False)
    # Already in `text`; stored as plain text for the result's snippet.
    body = indexes.CharField(indexed=False)
    thread_title = indexes.CharField(indexed=False)

    def get_model(self):
        return Message

    def index_queryset(self, using=None):
        return (
            self.get_model()
            .objects.filter(deleted_at__isnull=True)
            .select_related("thread__space__department", "author__profile")
        )

    def prepare_kind(self, message):
        return self.document_kind

    def prepare(self, message):
        # Rendered once per document, for `text` and `body` alike.
        self._plain = markdown_to_text(message.body)
        return super().prepare(message)

    def prepare_text(self, message):
        return self._plain

    def prepare_body(self, message):
        return self._plain

    def prepare_thread_title(self, message):
        return message.thread.title

    def prepare_url(self, message):
        # The thread's page that ends with this message, scrolled to it.
        seq = message.seq
        return f"{thread_url(message.thread)}?before={seq + 1}#message-{seq}"
