"""Signal receivers, connected in `SpacesConfig.ready()`: each only hands the person
concerned to `spaces.groups.sync_user_groups`, or a renamed department to
`spaces.services.department_renamed`."""

from profiles.models import Profile
from spaces.groups import sync_user_groups
from spaces.services import department_renamed

# The department's fields that space, thread and message documents show.
RENAMING = {"name", "acronym"}


def profile_changed(sender, instance, **kwargs) -> None:
    sync_user_groups(instance.user)


def team_membership_changed(sender, instance, **kwargs) -> None:
    profile = Profile.objects.filter(pk=instance.profile_id).select_related("user")
    for found in profile:
        sync_user_groups(found.user)


def team_memberships_replaced(sender, instance, **kwargs) -> None:
    # `profile.teams.add/remove/clear` write the through table without save signals.
    if kwargs.get("action") not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Profile):
        sync_user_groups(instance.user)
        return
    for found in Profile.objects.filter(pk__in=kwargs.get("pk_set") or ()):
        sync_user_groups(found.user)


def user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "is_active" not in update_fields:
        return
    sync_user_groups(instance)


def department_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    # A new department is in no document yet; a change to its other fields
    # (kind, parent, slug) is in none at all.
    if created or (update_fields is not None and not RENAMING & set(update_fields)):
        return
    department_renamed(department=instance)
