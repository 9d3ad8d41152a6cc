"""Signal receivers, connected in `SearchConfig.ready()`.

Accounts change in the admin as well as through the profiles services, so a
leaver's or a renamed person's profile document is queued here. Access changes
reach search through `intranet.access` (search.access.on_access_changed).
"""

from __future__ import annotations

from profiles.models import Profile
from search.outbox import index_ids_later

# What of an account a person's search document shows, or decides it: a leaver
# has none.
ACCOUNT_FIELDS = ("is_active", "username", "first_name", "last_name")


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
    if changed:
        # Accounts change in the admin, not through a profiles service, so this
        # is where a leaver's or a renamed person's profile is queued.
        index_ids_later(
            Profile, Profile.objects.filter(user=instance).values_list("pk", flat=True)
        )
