"""People in the search index: found by what all staff may see, and only by that."""

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet
from whoosh.index import open_dir

from profiles.models import Visibility
from profiles.search_indexes import PersonIndex
from search.selectors import search
from tests.profiles.factories import (
    LocationFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PHONE_WORK = "020 7946 0123"
PHONE_MOBILE = "07700 900456"


@pytest.fixture
def viewer():
    return ProfileFactory().user


def rebuild():
    call_command("rebuild_index", interactive=False, verbosity=0)


def found(viewer, query: str) -> list[str]:
    """Usernames of the people a search by `viewer` finds, as the search page does."""
    return sorted(
        result.object.user.username for result in search(user=viewer, query=query)
    )


def stored_documents(search_index_path) -> list[dict]:
    """Every document's stored fields, read from the Whoosh files themselves."""
    with open_dir(str(search_index_path)).searcher() as searcher:
        return list(searcher.documents())


def stored_document(search_index_path, profile) -> dict:
    (document,) = (
        document
        for document in stored_documents(search_index_path)
        if document["django_id"] == str(profile.pk)
    )
    return document


def person(username: str, **fields):
    return ProfileFactory(
        user=UserFactory(username=username, first_name="Ada", last_name="Lovelace"),
        **fields,
    )


def test_a_person_is_found_by_a_key_skill(viewer):
    ada = person("ada")
    ada.key_skills.add(SkillFactory(name="Procurement law"))
    rebuild()
    assert found(viewer, "procurement law") == ["ada"]


def test_a_key_skill_has_a_field_of_its_own(viewer):
    """So that a query can weigh it above a skill merely listed."""
    expert, dabbler = person("expert"), person("dabbler")
    skill = SkillFactory(name="Freedom of Information")
    expert.key_skills.add(skill)
    dabbler.other_skills.add(skill)
    rebuild()

    both = SearchQuerySet().filter(content="freedom information")
    assert sorted(result.object.user.username for result in both) == [
        "dabbler",
        "expert",
    ]
    keyed = SearchQuerySet().filter(key_skills="freedom information")
    assert [result.object.user.username for result in keyed] == ["expert"]


def test_a_person_is_found_by_their_team(viewer):
    ada = person("ada")
    TeamMembershipFactory(
        profile=ada,
        team=TeamFactory(name="Spending Review", department=ada.department),
        job_title="Spending Review Lead",
    )
    rebuild()
    assert found(viewer, "spending review") == ["ada"]


def test_a_person_is_found_and_shown_by_their_preferred_name(viewer):
    kit = ProfileFactory(
        user=UserFactory(
            username="c.marlowe", first_name="Christopher", last_name="Marlowe"
        ),
        preferred_name="Kit",
    )
    rebuild()
    assert found(viewer, "kit") == ["c.marlowe"]
    # The name on their birth certificate still finds them.
    assert found(viewer, "christopher marlowe") == ["c.marlowe"]
    (result,) = search(user=viewer, query="kit marlowe")
    assert result.name == "Kit Marlowe"
    assert kit.pk == int(result.pk)


def test_what_colleagues_write_is_searchable(viewer):
    person(
        "ada",
        ask_me_about="the Green Book",
        bio="I built the **analytical engine**. See [my notes](https://notes.example/x).",
        languages=["English", "Welsh"],
    ).professions.create(name="Operational Research", slug="operational-research")
    rebuild()
    for query in ("green book", "analytical engine", "welsh", "operational research"):
        assert found(viewer, query) == ["ada"], query
    # A link's target is not part of what anyone reads.
    assert found(viewer, "notes.example") == []


def test_learning_interests_do_not_make_an_expert(viewer):
    person("ada").learning_interests.add(SkillFactory(name="Quantum computing"))
    rebuild()
    assert found(viewer, "quantum computing") == []


def test_a_location_shown_to_everyone_is_searchable(viewer):
    person(
        "ada",
        location=LocationFactory(name="Quay House, Cardiff", city="Cardiff"),
        location_visibility=Visibility.EVERYONE,
    )
    rebuild()
    assert found(viewer, "quay house") == ["ada"]


@pytest.mark.parametrize("visibility", [Visibility.DEPARTMENT, Visibility.NOBODY])
def test_a_hidden_location_is_neither_indexed_nor_stored(
    visibility, viewer, search_index_path
):
    ada = person(
        "ada",
        location=LocationFactory(name="Quay House, Cardiff", city="Cardiff"),
        location_visibility=visibility,
    )
    # Someone in Ada's own department may see it, but the index serves everyone.
    colleague = ProfileFactory(department=ada.department).user
    rebuild()

    for asker in (viewer, colleague):
        assert found(asker, "quay house") == []
        assert found(asker, "cardiff") == []
    assert found(viewer, "lovelace") == ["ada"]  # the person is there
    assert stored_document(search_index_path, ada)["name"] == "Ada Lovelace"
    stored = repr(stored_documents(search_index_path))
    assert "Quay" not in stored
    assert "Cardiff" not in stored


@pytest.mark.parametrize(
    "visibility", [Visibility.EVERYONE, Visibility.DEPARTMENT, Visibility.NOBODY]
)
def test_phone_numbers_are_never_indexed_nor_stored(
    visibility, viewer, search_index_path
):
    ada = person(
        "ada",
        phone_work=PHONE_WORK,
        phone_mobile=PHONE_MOBILE,
        phone_visibility=visibility,
    )
    rebuild()

    for number in (PHONE_WORK, PHONE_MOBILE, "7946", "900456", "0123"):
        assert found(viewer, number) == [], number
    document = stored_document(search_index_path, ada)
    assert document["name"] == "Ada Lovelace"
    stored = repr(stored_documents(search_index_path))
    for digits in ("7946", "07700", "900456"):
        assert digits not in stored, digits


def test_leavers_are_not_in_the_index(viewer, search_index_path):
    person("ada")
    leaver = person("old.timer")
    leaver.user.is_active = False
    leaver.user.save()
    leaver.key_skills.add(SkillFactory(name="Tax policy"))
    rebuild()

    assert found(viewer, "lovelace") == ["ada"]
    assert found(viewer, "tax policy") == []
    documents = stored_documents(search_index_path)
    assert str(leaver.pk) not in {document["django_id"] for document in documents}
    assert "old.timer" not in repr(documents)
    assert not PersonIndex().should_update(leaver)


def test_every_document_is_for_all_staff(viewer):
    person("ada")
    rebuild()
    (document,) = SearchQuerySet().filter(content="lovelace")
    assert document.department == document.object.department.acronym
    assert SearchQuerySet().filter(content="lovelace", audience="org").count() == 1


@pytest.mark.parametrize("people", [3, 12])
def test_indexing_reads_a_batch_in_a_fixed_number_of_queries(
    people, django_assert_max_num_queries
):
    for n in range(people):
        profile = ProfileFactory(line_manager=ProfileFactory() if n % 2 else None)
        profile.key_skills.add(SkillFactory(name=f"Skill {n % 4}"))
        profile.other_skills.add(SkillFactory(name=f"Other {n % 3}"))
        TeamMembershipFactory(profile=profile)
    index = PersonIndex()
    with django_assert_max_num_queries(7):
        documents = [index.full_prepare(p) for p in index.index_queryset()]
    assert len(documents) == people + people // 2
