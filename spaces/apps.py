from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "spaces"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from intranet import access
        from intranet.notifications import register_subject
        from profiles.models import Department
        from spaces import groups, selectors, signals
        from spaces.live import register_streams
        from spaces.models import (
            Invitation,
            Space,
            SpaceGrant,
            SpaceGroupObjectPermission,
            SpaceMembership,
            SpaceUserObjectPermission,
            Thread,
        )

        register_streams()
        # What a notification about each of these shows is re-checked when shown.
        register_subject(Thread, selectors.threads_readable_by)
        register_subject(Space, selectors.spaces_visible_to)
        register_subject(Invitation, selectors.invitations_visible_to)

        # People whose department, teams or account changed get the audience
        # groups that follow from them (intranet.access).
        access.subscribe(groups.access_changed)
        # The rows that say who may read a space.
        access.watch(
            Space,
            spaces=lambda space: [space.pk],
            when=lambda space, fields: (
                fields is None or bool({"visibility", "archived"} & set(fields))
            ),
        )
        for model in (SpaceMembership, SpaceGrant):
            access.watch(model, spaces=lambda row: [row.space_id])
        for model in (SpaceUserObjectPermission, SpaceGroupObjectPermission):
            access.watch(model, spaces=lambda row: [row.content_object_id])

        post_save.connect(
            signals.department_saved,
            sender=Department,
            dispatch_uid="spaces.department",
        )
