from django.apps import AppConfig


class IntranetConfig(AppConfig):
    name = "intranet"
    verbose_name = "Crossgov core"

    def ready(self) -> None:
        from intranet import access

        access.subscribe(_recheck_live_subscriptions)


def _recheck_live_subscriptions(change) -> None:
    """Sockets following a stream of a changed space check again, on commit, and
    drop what their person may no longer see."""
    from intranet.live import publish

    for space_id in sorted(change.spaces):
        publish.access_changed(space_id)
