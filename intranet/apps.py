from django.apps import AppConfig


class IntranetConfig(AppConfig):
    name = "intranet"
    verbose_name = "Crossgov core"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from intranet import signals

        post_save.connect(
            signals.user_saved,
            sender=get_user_model(),
            dispatch_uid="intranet.live.user_saved",
        )
