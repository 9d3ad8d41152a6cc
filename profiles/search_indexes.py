"""People in the search index: current staff, with only what all staff may see."""

from haystack import indexes

from profiles.models import Profile

AUDIENCE_ALL_STAFF = "org"


class PersonIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    name = indexes.CharField(model_attr="user__get_full_name")
    job_title = indexes.CharField(model_attr="job_title", default="")
    department = indexes.CharField(model_attr="department__acronym")
    # Who may see the document: filtered on every query (see DESIGN.md, Search).
    audience = indexes.MultiValueField(indexed=True, stored=False)

    def get_model(self):
        return Profile

    def index_queryset(self, using=None):
        return (
            self.get_model()
            .objects.filter(user__is_active=True)
            .select_related("user", "department", "team", "grade")
        )

    def prepare_text(self, profile):
        parts = [
            profile.user.get_full_name(),
            profile.user.username,
            profile.job_title,
            profile.team.name if profile.team else "",
            profile.department.name,
            profile.department.acronym,
        ]
        return "\n".join(part for part in parts if part)

    def prepare_audience(self, profile):
        return [AUDIENCE_ALL_STAFF]
