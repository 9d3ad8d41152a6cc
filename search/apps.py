from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_save

        from intranet import access as core_access
        from intranet import health, indexing
        from search import access, outbox, signals
        from search.health import index_state

        health.register("search_index", index_state)
        indexing.register_queue(outbox.index_ids_later)
        # Who may see what changed: cached audience tokens are out of date.
        core_access.subscribe(access.on_access_changed)

        user = get_user_model()
        pre_save.connect(
            signals.user_saving, sender=user, dispatch_uid="search.user.saving"
        )
        post_save.connect(
            signals.user_saved, sender=user, dispatch_uid="search.user.saved"
        )
