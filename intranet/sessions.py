"""The session engine (`SESSION_ENGINE = "intranet.sessions"`): Django's database
sessions, each stored with the account signed in to it, so that one person's
sessions can be ended without reading anyone else's.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.exceptions import ValidationError


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls):
        from intranet.models import AccountSession

        return AccountSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _account_id(data.get(SESSION_KEY))
        return session


def _account_id(value):
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


def sessions_end(*, user_id) -> int:
    """Sign the account out everywhere, in the current transaction: every browser
    holding one of its sessions is anonymous on its next request. Returns how
    many sessions there were."""
    from intranet.models import AccountSession

    deleted, _ = AccountSession.objects.filter(user_id=user_id).delete()
    return deleted
