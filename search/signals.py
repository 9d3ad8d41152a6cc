"""Signal receivers, connected in `SearchConfig.ready()`.

Each hands over to `search.access` (access changed: cached audience tokens are
out of date) or to the outbox. Writes that bypass model signals (`bulk_create`,
`QuerySet.update`) are covered by the signals of the rows written beside them:
a role's guardian permissions are bulk-created next to a saved membership, and a
department or team audience group is refilled after a saved profile or team
membership.
"""

from __future__ import annotations

from profiles.models import Profile
from search import access
from search.outbox import index_ids_later

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}
# What of an account a person's search document shows, or decides it: a leaver
# has none.
ACCOUNT_FIELDS = ("is_active", "username", "first_name", "last_name")


def access_row_changed(sender, using=None, **kwargs) -> None:
    access.access_changed(using=using)


def access_relation_changed(sender, action=None, using=None, **kwargs) -> None:
    if action in M2M_CHANGES:
        access.access_changed(using=using)


def profile_saved(sender, update_fields=None, using=None, **kwargs) -> None:
    # A profile's department decides which department grants let its owner in.
    if update_fields is None or "department" in update_fields:
        access.access_changed(using=using)


def user_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Note what an existing account held before this save."""
    if instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(ACCOUNT_FIELDS):
        return
    instance._search_before = (
        sender._default_manager.filter(pk=instance.pk).values(*ACCOUNT_FIELDS).first()
    )


def user_saved(sender, instance, created=False, using=None, **kwargs) -> None:
    before = instance.__dict__.pop("_search_before", None)
    if created or before is None:
        return
    changed = {
        name for name in ACCOUNT_FIELDS if before[name] != getattr(instance, name)
    }
    if "is_active" in changed:
        access.access_changed(using=using)
    if changed:
        # Accounts change in the admin, not through a profiles service, so this
        # is where a leaver's or a renamed person's profile is queued.
        index_ids_later(
            Profile, Profile.objects.filter(user=instance).values_list("pk", flat=True)
        )
