"""People in the search index: current staff, with only what all staff may see.

Each document is built from `profile_public_data(ANY_STAFF, profile)`, the one
function that decides what of a profile a viewer may see, asked on behalf of every
member of staff at once: `can_see(ANY_STAFF, ...)` holds only for fields whose
owner's choice is Visibility.EVERYONE. A field its owner limited to their department
or to nobody is therefore never indexed or stored (see DESIGN.md, Search). That
matters because one document serves every asker, its stored text comes back in
results and highlights, and anyone who can read the index files can read it all.
"""

from haystack import indexes

from intranet import audience
from intranet.markdown import markdown_to_text
from profiles.models import Profile
from profiles.selectors.access import ANY_STAFF, profile_public_data
from profiles.selectors.loading import with_public_data

AUDIENCE_ALL_STAFF = audience.ALL_STAFF

# Key skills count for more than anything else written about someone: they are
# what the person chose to be found for.
KEY_SKILL_BOOST = 2.0


class PersonIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    # Shown in results (search/templates/search/search.html).
    name = indexes.CharField()
    job_title = indexes.CharField(default="")
    department = indexes.CharField()
    # A field of its own, so a query can weigh a match here above one in `text`.
    key_skills = indexes.CharField(boost=KEY_SKILL_BOOST, default="")
    # Who may see the document: filtered on every query (see DESIGN.md, Search).
    audience = indexes.MultiValueField(indexed=True, stored=False)

    def get_model(self):
        return Profile

    def index_queryset(self, using=None):
        """Current staff only: leavers keep their profile but drop out of search.

        Loads everything `profile_public_data` reads, so a batch of documents costs
        a fixed number of queries however many people it holds.
        """
        return with_public_data(self.get_model().objects.filter(user__is_active=True))

    def should_update(self, instance, **kwargs):
        # A leaver's profile changes for history's sake; it must not come back.
        return instance.user.is_active

    def prepare(self, profile):
        # Asked once per document, for every prepare_* below to read. haystack
        # keeps its own per-document state on the index the same way
        # (`prepared_data`): one index object prepares one document at a time.
        self._public = profile_public_data(ANY_STAFF, profile)
        return super().prepare(profile)

    def prepare_name(self, profile):
        return self._public["display_name"]

    def prepare_job_title(self, profile):
        return self._public["job_title"]

    def prepare_department(self, profile):
        return self._public["department"]["acronym"]

    def prepare_key_skills(self, profile):
        return "\n".join(self._public["key_skills"])

    def prepare_text(self, profile):
        # Each phrase once: a job title repeated as a team title is not twice as
        # relevant.
        parts = (part.strip() for part in _searchable(self._public))
        return "\n".join(dict.fromkeys(part for part in parts if part))

    def prepare_audience(self, profile):
        return [AUDIENCE_ALL_STAFF]


def _searchable(public: dict) -> list[str]:
    """The words a colleague might search for someone by.

    Phone numbers are left out even when their owner shows them to everyone: no
    one finds a colleague by their number, and a number in the index would outlive
    its owner changing their mind until the next re-index. Learning interests are
    left out too: a search for "Python" is after people who know it.
    """
    department = public["department"]
    grade = public["grade"]
    location = public.get("location")  # absent when not shown to all staff
    return [
        public["display_name"],
        # Both names: colleagues search by whichever they know.
        f"{public['first_name']} {public['last_name']}",
        public["username"],
        public["job_title"],
        *(
            part
            for team in public["teams"]
            for part in (team["name"], team["job_title"])
        ),
        department["name"],
        department["acronym"],
        *((grade["code"], grade["name"]) if grade else ()),
        *public["professions"],
        *public["key_skills"],
        *public["other_skills"],
        *public["languages"],
        public["ask_me_about"],
        markdown_to_text(public["bio"]),
        *((location["name"], location["city"]) if location else ()),
    ]
