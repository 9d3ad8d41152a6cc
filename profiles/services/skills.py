"""Skills as normalised tags, and merging two tags that mean the same thing.

People type skills freely, so "Data  Analyses", "data analysis" and "DATA ANALYSIS"
must land on one tag or the directory's skill filter misses half the people. Each
skill has a `key`: its name with case, spacing and plural endings folded away. The
first spelling anyone typed stays as the name people see.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from intranet.audit import audit_record
from intranet.indexing import index_ids_later
from profiles.errors import ProfileConflict, ProfileForbidden, ProfileInvalid
from profiles.models import Profile, Skill
from profiles.selectors.access import is_it_admin

MAX_LENGTH = Skill._meta.get_field("name").max_length

_WORD = re.compile(r"[^\W\d_]+")

# Words ending in "s" that are not plurals. inflect cuts them down anyway ("means"
# -> "mean", "chaos" -> "chao"), which would fold them into unrelated skills and
# leave keys nobody can read.
_NOT_PLURAL = frozenset(
    {
        "alias",
        "atlas",
        "bias",
        "canvas",
        "chaos",
        "dataops",
        "devops",
        "devsecops",
        "ethos",
        "finops",
        "gitops",
        "jenkins",
        "kubernetes",
        "lens",
        "macos",
        "means",
        "mlops",
        "pandas",
        "postgres",
        "premises",
        "secops",
        "wales",
        "windows",
    }
)
# Singular nouns end like this ("business", "status", "analysis"), and inflect
# would wrongly cut their "s". Plurals that end so are rarer ("menus", which stays
# apart from "menu") or are acronyms, handled just below.
_SINGULAR_ENDINGS = ("ss", "us", "is")
# Acronyms whose plural ("APIs", "UIs") the rules below would keep as it is: it
# ends in "is", or is too short to tell from a name like "AWS".
_ACRONYMS_PLURALISED = frozenset({"api", "gui", "kpi", "ui", "uri"})


def skill_key(name: str) -> str:
    """The key that every spelling of one skill shares.

    Unicode compatibility forms, case and runs of whitespace fold away, then each
    run of letters is made singular. Words of three letters or fewer stay as they
    are: at that length a final "s" is part of a name (AWS, GIS, NHS, Ops) more
    often than a plural.
    """
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return _WORD.sub(lambda match: _singular(match.group()), folded)


def _singular(word: str) -> str:
    if word.endswith("s") and word[:-1] in _ACRONYMS_PLURALISED:
        return word[:-1]
    if (
        len(word) <= 3
        or not word.endswith("s")
        or word.endswith(_SINGULAR_ENDINGS)
        or word in _NOT_PLURAL
    ):
        # Only words ending in "s" are singularised: inflect would otherwise turn
        # "data" into "datum" and "people" into "person".
        return word
    return _inflect().singular_noun(word) or word


@functools.cache
def _inflect():
    """inflect's engine, made on first use.

    Importing inflect takes seconds (typeguard instruments its whole module once
    per checked function), and loading the URL routes reaches this module, so a
    top-level import made every server's first request wait for it.
    """
    import inflect

    return inflect.engine()


@transaction.atomic
def skills_from_names(names: Iterable[str], *, field: str | None = None) -> list[Skill]:
    """The skills named, in the order given, creating those not seen before.

    Names that share a key give one skill; blank names are ignored. `field` is the
    form field the names came from, so a refusal shows next to it.
    """
    if isinstance(names, str):
        # A lone string is iterable too, and would become a skill per letter.
        raise TypeError("skills_from_names takes a list of names, not one string")
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        key = skill_key(name)
        if len(name) > MAX_LENGTH or len(key) > MAX_LENGTH:
            raise ProfileInvalid(
                f"Each skill must be {MAX_LENGTH} characters or fewer", field=field
            )
        wanted.setdefault(key, name)

    existing = {skill.key: skill for skill in Skill.objects.filter(key__in=wanted)}
    for key, name in wanted.items():
        if key not in existing:
            # get_or_create, not create: someone else may add the same skill
            # between our read and our write.
            existing[key], _ = Skill.objects.get_or_create(
                key=key, defaults={"name": name}
            )
    return [existing[key] for key in wanted]


# The three ways a profile lists a skill, each an automatic many-to-many table.
_RELATIONS = ("key_skills", "other_skills", "learning_interests")


@transaction.atomic
def skill_merge(*, actor, source: Skill, target: Skill) -> Skill:
    """Fold `source` into `target`: every profile listing `source` lists `target`
    instead, once, and `source` is deleted. Only IT admins may merge."""
    if not is_it_admin(actor):
        raise ProfileForbidden("Only IT admins can merge skills")
    if source.pk == target.pk:
        raise ProfileInvalid("Choose two different skills to merge", field="target")
    # Locking both rows also holds back anyone adding `source` to a profile until
    # the merge commits, so no link to it slips in before it is deleted.
    locked = Skill.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    if len(locked) != 2:
        raise ProfileConflict("One of these skills has just been merged or removed")

    index_ids_later(
        Profile,
        Profile.objects.filter(
            Q(key_skills__in=[source, target]) | Q(other_skills__in=[source, target])
        )
        .distinct()
        .values_list("pk", flat=True),
    )
    repointed = {}
    for relation in _RELATIONS:
        links = getattr(Profile, relation).through.objects
        has_target = links.filter(skill=target).values("profile_id")
        links.filter(skill=source, profile_id__in=has_target).delete()
        repointed[relation] = links.filter(skill=source).update(skill=target)

    # A person whose key skills now include `target` would see it listed twice
    # if it is also among their other skills.
    key_holders = Profile.key_skills.through.objects.filter(skill=target)
    Profile.other_skills.through.objects.filter(
        skill=target, profile_id__in=key_holders.values("profile_id")
    ).delete()

    audit_record(
        actor=actor,
        action="skill.merge",
        target=target,
        details={
            "before": {"skills": [_snapshot(source), _snapshot(target)]},
            "after": {"skills": [_snapshot(target)]},
            "profiles_repointed": repointed,
        },
    )
    source.delete()
    return target


def _snapshot(skill: Skill) -> dict:
    return {"id": skill.pk, "name": skill.name, "key": skill.key}
