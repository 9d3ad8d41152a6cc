"""The organisation's reference lists: departments, grades, professions and
locations, kept by IT admins in the Django admin.

Their names are part of people's search documents (and a department's of its
spaces'), so a change queues every document that shows it, in the same
transaction; and every change is on the audit record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction

from intranet.audit import audit_record
from intranet.indexing import index_ids_later
from profiles.errors import ProfileForbidden, ProfileInvalid
from profiles.models import Department, Grade, Location, Profession, Profile
from profiles.selectors.access import is_it_admin

# Each list, and how to find the profiles whose documents show one of its rows.
PROFILES_SHOWING = {
    Department: "department",
    Grade: "grade",
    Location: "location",
    Profession: "professions",
}


@transaction.atomic
def reference_save(
    *, actor, instance: models.Model, changed: Iterable[str], created: bool
) -> models.Model:
    """Save a new or changed row of one of the reference lists.

    `changed` names the fields that differ from what was stored (the admin
    form's `changed_data`). Only IT admins may change the lists.
    """
    if type(instance) not in PROFILES_SHOWING:
        raise ProfileInvalid(f"{type(instance).__name__} is not a reference list")
    if not is_it_admin(actor):
        raise ProfileForbidden("Only IT admins can change the organisation's lists")
    changed = sorted(set(changed))
    if not created and not changed:
        return instance
    before = {}
    if not created:
        stored = type(instance).objects.select_for_update().get(pk=instance.pk)
        before = {name: _value(stored, name) for name in changed}
        instance.save(update_fields=changed)
        index_ids_later(
            Profile,
            Profile.objects.filter(
                **{PROFILES_SHOWING[type(instance)]: instance}
            ).values_list("pk", flat=True),
        )
    else:
        instance.save()
    audit_record(
        actor=actor,
        action=f"{instance._meta.model_name}.{'create' if created else 'update'}",
        target=instance,
        details={
            "before": before or None,
            "after": {name: _value(instance, name) for name in changed},
        },
    )
    return instance


def _value(instance: models.Model, name: str):
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)
