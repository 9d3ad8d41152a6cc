from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from profiles.errors import ProfileError
from profiles.models import Profile
from profiles.services.freshness import (
    FRESHNESS,
    PROMPTS,
    completeness,
    is_stale,
    profile_confirm,
    stale_filter,
)
from tests.profiles.factories import (
    GradeFactory,
    LocationFactory,
    ProfessionFactory,
    ProfileFactory,
    SkillFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profile = ProfileFactory(
        job_title="Analyst",
        grade=GradeFactory(),
        line_manager=ProfileFactory(),
        bio="I work on tax policy.",
        ask_me_about="VAT",
        location=LocationFactory(),
        phone_mobile="07700 900002",
        working_days=["mon", "tue"],
    )
    profile.photo.save("face.jpg", ContentFile(b"jpeg"))
    TeamMembershipFactory(profile=profile)
    profile.key_skills.add(SkillFactory())
    profile.professions.add(ProfessionFactory())
    return profile


class TestCompleteness:
    def test_the_weights_add_up_to_100(self):
        assert sum(prompt.weight for prompt in PROMPTS) == 100
        assert len({prompt.field for prompt in PROMPTS}) == len(PROMPTS)

    def test_a_complete_profile_scores_100_with_nothing_to_prompt(self, complete):
        assert completeness(complete).score == 100
        assert completeness(complete).missing == []

    def test_an_empty_profile_scores_0_and_is_prompted_for_everything(self):
        result = completeness(ProfileFactory(job_title=""))
        assert result.score == 0
        assert result.missing == list(PROMPTS)

    def test_each_missing_item_costs_its_weight_and_says_what_to_do(self, complete):
        complete.photo = ""
        complete.job_title = ""
        complete.save()
        result = completeness(complete)
        assert result.score == 75
        assert [(p.field, p.label) for p in result.missing] == [
            ("photo", "Add a photo so colleagues can recognise you"),
            ("job_title", "Add your job title"),
        ]

    def test_either_phone_number_counts(self, complete):
        complete.phone_mobile = ""
        complete.save()
        assert [p.field for p in completeness(complete).missing] == ["phone_work"]
        complete.phone_work = "020 7946 0002"
        complete.save()
        assert completeness(complete).score == 100

    def test_relations_count_once_present(self, complete):
        complete.memberships.all().delete()
        complete.key_skills.clear()
        missing = {p.field for p in completeness(complete).missing}
        assert missing == {"teams", "key_skills"}

    def test_prefetched_relations_cost_no_more_queries(
        self, complete, django_assert_num_queries
    ):
        profile = Profile.objects.prefetch_related(
            "memberships", "key_skills", "professions"
        ).get(pk=complete.pk)
        with django_assert_num_queries(0):
            assert completeness(profile).score == 100


def aged(profile, *, created_days_ago, confirmed_days_ago=None):
    now = timezone.now()
    Profile.objects.filter(pk=profile.pk).update(
        created_at=now - timedelta(days=created_days_ago),
        confirmed_at=(
            None
            if confirmed_days_ago is None
            else now - timedelta(days=confirmed_days_ago)
        ),
    )
    profile.refresh_from_db()
    return profile


@pytest.mark.parametrize(
    ("created", "confirmed", "stale"),
    [
        (10, None, False),
        (364, None, False),
        (366, None, True),
        (800, 364, False),
        (800, 366, True),
        (800, 1, False),
    ],
)
def test_stale_after_a_year_without_confirmation(created, confirmed, stale):
    profile = aged(
        ProfileFactory(), created_days_ago=created, confirmed_days_ago=confirmed
    )
    assert is_stale(profile) is stale
    assert Profile.objects.filter(stale_filter(), pk=profile.pk).exists() is stale


def test_is_stale_takes_the_time_to_judge_by():
    profile = ProfileFactory()
    assert not is_stale(profile)
    assert is_stale(profile, now=timezone.now() + FRESHNESS + timedelta(days=1))


class TestConfirm:
    def test_the_owner_restarts_the_clock(self):
        profile = aged(ProfileFactory(), created_days_ago=500)
        assert is_stale(profile)

        profile_confirm(actor=profile.user, profile=profile)

        profile.refresh_from_db()
        assert not is_stale(profile)
        assert timezone.now() - profile.confirmed_at < timedelta(minutes=1)

    @pytest.mark.parametrize("who", ["it_admin", "line_manager", "deactivated_owner"])
    def test_nobody_else_can_confirm(self, who):
        manager = ProfileFactory()
        profile = ProfileFactory(line_manager=manager)
        actor = {
            "it_admin": UserFactory(it_admin=True),
            "line_manager": manager.user,
            "deactivated_owner": profile.user,
        }[who]
        actor.is_active = who != "deactivated_owner"
        with pytest.raises(ProfileError):
            profile_confirm(actor=actor, profile=profile)
        profile.refresh_from_db()
        assert profile.confirmed_at is None
