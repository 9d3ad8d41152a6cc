from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_save,
        )

        from intranet import health, indexing
        from profiles.models import Profile, TeamMembership
        from search import outbox, signals
        from search.health import index_state
        from spaces.models import (
            Space,
            SpaceGrant,
            SpaceGroupObjectPermission,
            SpaceMembership,
            SpaceUserObjectPermission,
        )

        health.register("search_index", index_state)
        indexing.register_queue(outbox.index_ids_later)

        user = get_user_model()
        access_rows = [
            SpaceUserObjectPermission,
            SpaceGroupObjectPermission,
            SpaceMembership,
            SpaceGrant,
            Space,
            TeamMembership,
            user.groups.through,
        ]
        for model in access_rows:
            label = model._meta.label_lower
            post_save.connect(
                signals.access_row_changed,
                sender=model,
                dispatch_uid=f"search.access.{label}.save",
            )
            post_delete.connect(
                signals.access_row_changed,
                sender=model,
                dispatch_uid=f"search.access.{label}.delete",
            )
        for through in (user.groups.through, Profile.teams.through):
            m2m_changed.connect(
                signals.access_relation_changed,
                sender=through,
                dispatch_uid=f"search.access.{through._meta.label_lower}.m2m",
            )
        post_save.connect(
            signals.profile_saved, sender=Profile, dispatch_uid="search.profile"
        )
        pre_save.connect(
            signals.user_saving, sender=user, dispatch_uid="search.user.saving"
        )
        post_save.connect(
            signals.user_saved, sender=user, dispatch_uid="search.user.saved"
        )
