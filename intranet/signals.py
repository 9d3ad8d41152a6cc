"""Signal receivers, connected in `IntranetConfig.ready()`."""

from intranet.live import publish


def user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    # However an account is deactivated (offboarding, the admin), its open
    # sockets close: a leaver must not keep reading live.
    if update_fields is not None and "is_active" not in update_fields:
        return
    if not instance.is_active:
        publish.user_deactivated(instance.pk)
