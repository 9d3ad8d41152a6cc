from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from intranet import access
        from profiles.models import Profile, TeamMembership

        user = get_user_model()
        # What a person's access follows: their department, their teams and
        # whether their account is active (intranet.access).
        access.watch(
            Profile,
            users=lambda profile: [profile.user_id],
            when=_saves("department", "user"),
        )
        access.watch(TeamMembership, users=_users_of_memberships)
        access.watch_relation(Profile.teams.through, users=_users_of_team_change)
        access.watch(user, users=lambda account: [account.pk], when=_saves("is_active"))
        # A person's groups carry the grants to departments and teams.
        access.watch(user.groups.through)
        access.watch_relation(user.groups.through)


def _saves(*fields):
    """A `when` for access.watch: a save of every field, or of one of these."""

    def concerns_access(instance, update_fields) -> bool:
        return update_fields is None or bool(set(fields) & set(update_fields))

    return concerns_access


def _users_of_memberships(membership):
    from profiles.models import Profile

    # The profile may be going too (a cascade): ask, do not follow the relation.
    return Profile.objects.filter(pk=membership.profile_id).values_list(
        "user_id", flat=True
    )


def _users_of_team_change(instance, pk_set):
    from profiles.models import Profile

    if isinstance(instance, Profile):
        return [instance.user_id]
    return Profile.objects.filter(pk__in=pk_set or ()).values_list("user_id", flat=True)
