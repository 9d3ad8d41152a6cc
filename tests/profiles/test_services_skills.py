"""Skills as normalised tags: keys, creating from typed names, and merging."""

import pytest

from intranet.models import AuditEvent
from profiles.errors import ProfileError
from profiles.models import Skill
from profiles.services.skills import skill_key, skill_merge, skills_from_names
from tests.profiles.factories import ProfileFactory, SkillFactory, UserFactory

# Spellings people really type for one skill, each group folding to one key.
SAME_SKILL = [
    ("Data analysis", "data  analysis", "Data Analyses", "DATA ANALYSIS"),
    ("Business analysis", "business analyses", "Business  Analysis"),
    ("Process improvement", "process improvements", "Process Improvement"),
    ("Business process", "business processes"),
    ("Stakeholder management", "Stakeholders management", "stakeholder management"),
    ("Policy development", "Policies development"),
    ("API design", "APIs design", "apis design", "Api Design"),
    ("KPI", "KPIs", "kpis"),
    ("User interface", "User interfaces"),
    ("UI design", "UIs design"),
    ("Crisis management", "Crises management"),
    ("Data protection impact assessment", "data protection impact assessments"),
    ("Freedom of Information requests", "freedom of information request"),
    ("Ministerial correspondence", "Ministerial\tcorrespondence"),
    ("Parliamentary question", "Parliamentary questions"),
    ("Spending review", "spending reviews"),
    ("Business case", "business cases"),
    ("Risk and issue management", "Risks and issues management"),
    ("Contract management", "Contracts management"),
    ("Census design", "census  design"),
    ("Status reporting", "statuses reporting"),
    ("Hypothesis testing", "hypotheses testing"),
    ("Diagnosis", "Diagnoses"),
    ("Address matching", "addresses matching"),
    ("Tax policy", "Taxes policy"),
    ("Large language models", "large language model"),
    ("LLM", "LLMs"),
    ("Statistics", "statistics"),
    ("Python", "PYTHON", "python"),
    ("Cafe\u0301 culture", "café culture"),  # a decomposed é and a precomposed one
    ("Welsh\u00a0language", "Welsh language"),  # a no-break space
]

# Each name with the key it must have: words inflect would cut short or turn into
# another word, acronyms, and names with punctuation.
KEYS = {
    "Data": "data",
    "Data science": "data science",
    "Open data": "open data",
    "Analysis": "analysis",
    "Business": "business",
    "Process": "process",
    "Series analysis": "series analysis",
    "Time series": "time series",
    "News writing": "news writing",
    "GIS": "gis",
    "ArcGIS": "arcgis",
    "QGIS": "qgis",
    "Redis": "redis",
    "GDPR": "gdpr",
    "AWS": "aws",
    "SAS": "sas",
    "NHS": "nhs",
    "iOS": "ios",
    "macOS": "macos",
    "DevOps": "devops",
    "MLOps": "mlops",
    "Kubernetes": "kubernetes",
    "PostgreSQL": "postgresql",
    "Postgres": "postgres",
    "Microsoft Windows": "microsoft windows",
    "Jenkins": "jenkins",
    "Python pandas": "python pandas",
    "Chaos engineering": "chaos engineering",
    "Unconscious bias": "unconscious bias",
    "Means testing": "means testing",
    "Premises management": "premises management",
    "Devolution in Wales": "devolution in wales",
    "Access management": "access management",
    "Fitness assessment": "fitness assessment",
    "Corpus linguistics": "corpus linguistic",
    "Consensus building": "consensus building",
    "Criteria setting": "criteria setting",
    "People management": "people management",
    "Children's services": "children's service",
    "Social media": "social media",
    "Node.js": "node.js",
    "C#": "c#",
    "S3": "s3",
    "Microsoft 365": "microsoft 365",
    "e-Learning": "e-learning",
}

# Different skills that must keep different keys.
DIFFERENT = [
    ("Data", "Datum"),
    ("People management", "Person management"),
    ("GIS", "GI"),
    ("Analysis", "Analysi"),
    ("Business", "Busines"),
    ("Means testing", "Mean testing"),
    ("Python", "Python 3"),
]


@pytest.mark.parametrize("spellings", SAME_SKILL, ids=lambda group: group[0])
def test_spellings_of_one_skill_share_a_key(spellings):
    assert len({skill_key(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(("name", "key"), KEYS.items())
def test_key(name, key):
    assert skill_key(name) == key


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_skills_keep_different_keys(one, other):
    assert skill_key(one) != skill_key(other)


def test_key_is_stable():
    for name in KEYS:
        assert skill_key(skill_key(name)) == skill_key(name)


@pytest.mark.django_db
def test_skills_from_names_creates_once_per_key_and_keeps_first_spelling():
    first = skills_from_names(["Data  Analysis", " Python ", "data analyses", ""])

    assert [skill.name for skill in first] == ["Data Analysis", "Python"]
    assert [skill.key for skill in first] == ["data analysis", "python"]
    again = skills_from_names(["DATA ANALYSES", "Stakeholders management"])
    assert again[0] == first[0]
    assert again[0].name == "Data Analysis"
    assert again[1].name == "Stakeholders management"
    assert Skill.objects.count() == 3


@pytest.mark.django_db
def test_skills_from_names_ignores_blanks():
    assert skills_from_names(["", "   ", "\t\n"]) == []
    assert not Skill.objects.exists()


@pytest.mark.django_db
def test_skills_from_names_refuses_an_over_long_name_and_creates_nothing():
    with pytest.raises(ProfileError) as refused:
        skills_from_names(["Python", "x" * 101], field="key_skills")

    assert refused.value.field == "key_skills"
    assert "100 characters" in refused.value.message
    assert not Skill.objects.exists()


@pytest.mark.django_db
def test_skills_from_names_accepts_a_name_at_the_limit():
    (skill,) = skills_from_names(["x" * 100])
    assert skill.name == "x" * 100


@pytest.mark.django_db
def test_skills_from_names_reads_known_skills_in_one_query(
    django_assert_num_queries,
):
    skills_from_names([f"Skill {n}" for n in range(20)])
    with django_assert_num_queries(3):  # savepoint, one read, release
        skills_from_names([f"skill  {n}" for n in range(20)])


@pytest.fixture
def it_admin():
    return UserFactory(it_admin=True)


@pytest.mark.django_db
def test_merge_repoints_every_relation_without_duplicates(it_admin):
    source = SkillFactory(name="Data analyses (old)")
    target = SkillFactory(name="Data analysis")
    only_source = ProfileFactory()
    only_source.key_skills.add(source)
    only_source.learning_interests.add(source)
    both = ProfileFactory()
    both.other_skills.add(source, target)
    neither = ProfileFactory()
    neither.key_skills.add(SkillFactory(name="Python"))

    result = skill_merge(actor=it_admin, source=source, target=target)

    assert result == target
    assert not Skill.objects.filter(pk=source.pk).exists()
    assert list(only_source.key_skills.all()) == [target]
    assert list(only_source.learning_interests.all()) == [target]
    assert list(both.other_skills.all()) == [target]
    assert [s.name for s in neither.key_skills.all()] == ["Python"]


@pytest.mark.django_db
def test_merge_keeps_a_skill_once_when_it_becomes_both_key_and_other(it_admin):
    source = SkillFactory(name="Excel")
    target = SkillFactory(name="Microsoft Excel")
    profile = ProfileFactory()
    profile.key_skills.add(source)
    profile.other_skills.add(target)

    skill_merge(actor=it_admin, source=source, target=target)

    assert list(profile.key_skills.all()) == [target]
    assert not profile.other_skills.exists()


@pytest.mark.django_db
def test_merge_is_audited(it_admin):
    source = SkillFactory(name="Excel")
    target = SkillFactory(name="Microsoft Excel")
    ProfileFactory().key_skills.add(source)

    skill_merge(actor=it_admin, source=source, target=target)

    event = AuditEvent.objects.get(action="skill.merge")
    assert event.actor == it_admin
    assert event.target_id == str(target.pk)
    assert [s["name"] for s in event.details["before"]["skills"]] == [
        "Excel",
        "Microsoft Excel",
    ]
    assert [s["name"] for s in event.details["after"]["skills"]] == ["Microsoft Excel"]
    assert event.details["profiles_repointed"]["key_skills"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: UserFactory(),
        lambda: UserFactory(it_admin=True, is_active=False),
    ],
    ids=["member of staff", "deactivated IT admin"],
)
def test_only_a_current_it_admin_may_merge(make_actor):
    source = SkillFactory(name="Excel")
    target = SkillFactory(name="Microsoft Excel")
    profile = ProfileFactory()
    profile.key_skills.add(source)

    with pytest.raises(ProfileError):
        skill_merge(actor=make_actor(), source=source, target=target)

    assert list(profile.key_skills.all()) == [source]
    assert not AuditEvent.objects.filter(action="skill.merge").exists()


@pytest.mark.django_db
def test_merging_a_skill_into_itself_is_refused(it_admin):
    skill = SkillFactory(name="Excel")

    with pytest.raises(ProfileError) as refused:
        skill_merge(actor=it_admin, source=skill, target=skill)

    assert refused.value.field == "target"
    assert Skill.objects.filter(pk=skill.pk).exists()


@pytest.mark.django_db
def test_merging_a_skill_already_merged_away_is_refused(it_admin):
    source = SkillFactory(name="Excel")
    target = SkillFactory(name="Microsoft Excel")
    skill_merge(actor=it_admin, source=source, target=target)

    with pytest.raises(ProfileError):
        skill_merge(actor=it_admin, source=source, target=target)

    assert AuditEvent.objects.filter(action="skill.merge").count() == 1


@pytest.mark.django_db
def test_skills_from_names_refuses_one_string_instead_of_a_list():
    with pytest.raises(TypeError):
        skills_from_names("Python")
