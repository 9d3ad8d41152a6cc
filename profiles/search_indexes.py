"""People in the search index: current staff, with only what all staff may see.

Each document is built from `profile_public_data(ANY_STAFF, profile)`, the one
function that decides what of a profile a viewer may see, asked on behalf of every
member of staff at once: `can_see(ANY_STAFF, ...)` holds only for fields whose
owner's choice is Visibility.EVERYONE. A field its owner limited to their department
or to nobody is therefore never indexed or stored (see DESIGN.md, Search). That
matters because one document serves every asker, its stored text comes back in
results and highlights, and anyone who can read the index files can read it all.
The filters (department, grade, profession, location) index ids, and only of
what that public data shows.

Ranking. A match counts for more in some fields than in others: the boosts below
are read by the search query (`search.query.ranked`), which adds up a word's
weight in every field it matches. So a person's name comes first, then their key
skills (what they chose to be found for), their other skills, their job title
and teams, and last the rest of the profile (`text`: bio, languages...), which
holds every word and so matches whatever else does.
"""

from django.urls import reverse
from haystack import indexes

from intranet import audience
from intranet.indexing import NAME_BOOST, WORDS
from intranet.markdown import markdown_to_text
from profiles.models import Profile
from profiles.selectors.access import ANY_STAFF, profile_public_data
from profiles.selectors.loading import with_public_data

AUDIENCE_ALL_STAFF = audience.ALL_STAFF
KIND = "people"

KEY_SKILL_BOOST = 6.0
OTHER_SKILL_BOOST = 3.5
ROLE_BOOST = 2.0


class PersonIndex(indexes.SearchIndex, indexes.Indexable):
    document_kind = KIND
    text = indexes.CharField(document=True, stored=False)
    kind = indexes.FacetCharField()
    # Shown in results (search/templates/search/results/profiles_profile.html).
    name = indexes.CharField(boost=NAME_BOOST)
    job_title = indexes.CharField(default="", boost=ROLE_BOOST)
    teams = indexes.CharField(default="", stored=False, boost=ROLE_BOOST)
    key_skills = indexes.CharField(default="", boost=KEY_SKILL_BOOST)
    other_skills = indexes.CharField(default="", stored=False, boost=OTHER_SKILL_BOOST)
    # Already in `text`; kept as plain text for the result's snippet.
    bio = indexes.CharField(indexed=False, default="")
    department = indexes.CharField()
    url = indexes.CharField(indexed=False)
    date = indexes.DateTimeField(model_attr="updated_at")
    # Filters and facets: ids, never shown as they are.
    department_id = indexes.FacetCharField()
    grade_id = indexes.FacetCharField(null=True)
    profession_ids = indexes.MultiValueField(stored=False)
    location_id = indexes.FacetCharField(null=True)
    complete = indexes.CharField(stored=False, analyzer=WORDS)
    # "Did you mean": names and skills, which every member of staff may see.
    spelling = indexes.CharField(stored=False, analyzer=WORDS)
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

    def prepare_kind(self, profile):
        return self.document_kind

    def prepare_name(self, profile):
        return self._public["display_name"]

    def prepare_job_title(self, profile):
        return self._public["job_title"]

    def prepare_teams(self, profile):
        return "\n".join(
            part
            for team in self._public["teams"]
            for part in (team["name"], team["job_title"])
            if part
        )

    def prepare_key_skills(self, profile):
        return ", ".join(self._public["key_skills"])

    def prepare_other_skills(self, profile):
        return ", ".join(self._public["other_skills"])

    def prepare_bio(self, profile):
        return markdown_to_text(self._public["bio"])

    def prepare_department(self, profile):
        return self._public["department"]["acronym"]

    def prepare_url(self, profile):
        return reverse("profiles:person", kwargs={"username": self._public["username"]})

    def prepare_department_id(self, profile):
        return str(self._public["department"]["id"])

    def prepare_grade_id(self, profile):
        # The public data holds the grade itself; the id is the same grade's.
        return str(profile.grade_id) if self._public["grade"] else None

    def prepare_profession_ids(self, profile):
        public = set(self._public["professions"])
        return [str(p.pk) for p in profile.professions.all() if p.name in public]

    def prepare_location_id(self, profile):
        # Absent from the public data when its owner limited who sees it.
        location = self._public.get("location")
        return str(location["id"]) if location else None

    def prepare_complete(self, profile):
        return "\n".join(_names(self._public))

    def prepare_spelling(self, profile):
        public = self._public
        return "\n".join(
            [*_names(public), *public["key_skills"], *public["other_skills"]]
        )

    def prepare_text(self, profile):
        # Each phrase once: a job title repeated as a team title is not twice as
        # relevant.
        parts = (part.strip() for part in _searchable(self._public))
        return "\n".join(dict.fromkeys(part for part in parts if part))

    def prepare_audience(self, profile):
        return [AUDIENCE_ALL_STAFF]


def _names(public: dict) -> list[str]:
    return [public["display_name"], public["first_name"], public["last_name"]]


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
