from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "spaces"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from intranet.notifications import register_subject
        from profiles.models import Department, Profile, TeamMembership
        from spaces import selectors, signals
        from spaces.live import register_streams
        from spaces.models import Invitation, Space, Thread

        register_streams()
        # What a notification about each of these shows is re-checked when shown.
        register_subject(Thread, selectors.threads_readable_by)
        register_subject(Space, selectors.spaces_visible_to)
        register_subject(Invitation, selectors.invitations_visible_to)

        post_save.connect(
            signals.profile_changed, sender=Profile, dispatch_uid="spaces.profile"
        )
        post_delete.connect(
            signals.profile_changed, sender=Profile, dispatch_uid="spaces.profile_del"
        )
        post_save.connect(
            signals.team_membership_changed,
            sender=TeamMembership,
            dispatch_uid="spaces.team_membership",
        )
        post_delete.connect(
            signals.team_membership_changed,
            sender=TeamMembership,
            dispatch_uid="spaces.team_membership_del",
        )
        m2m_changed.connect(
            signals.team_memberships_replaced,
            sender=Profile.teams.through,
            dispatch_uid="spaces.profile_teams",
        )
        post_save.connect(
            signals.user_changed, sender=get_user_model(), dispatch_uid="spaces.user"
        )
        post_save.connect(
            signals.department_saved,
            sender=Department,
            dispatch_uid="spaces.department",
        )
