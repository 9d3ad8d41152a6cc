"""Deactivating and reactivating accounts: the only code that writes `is_active`.

A leaver's account is deactivated, never deleted. Deactivating does all of this
in one transaction, or none of it:

- the account is saved inactive with `save(update_fields=["is_active"])`, never
  by `QuerySet.update`, because the apps above profiles react to that save
  through their receivers: spaces takes the person out of their department and
  team audience groups (and re-checks live subscriptions through them), search
  moves its audience cache on and queues their profile out of the index;
- every session of the account is ended, so a browser left signed in does not
  come back to life if the account is reactivated;
- on commit, every open live socket of the account closes with 4403, in every
  server process: one message to the account's group on the channel layer;
- the change goes on the audit record, with its reason.

tests/security/test_account_writes.py fails if any other code writes
`is_active`, so a bulk update cannot skip these steps.
"""

from __future__ import annotations

from django.db import transaction

from intranet.audit import audit_record
from intranet.live import publish as live
from intranet.sessions import sessions_end
from profiles.errors import (
    ProfileConflict,
    ProfileForbidden,
    ProfileInvalid,
    ProfileNotFound,
)
from profiles.models import User
from profiles.selectors.accounts import account_change_refusal

REASON_MAX_LENGTH = 500


@transaction.atomic
def account_deactivate(
    *, actor: User, user: User, reason: str = "", ip_address: str | None = None
) -> User:
    """Make `user` a leaver: signed out everywhere, live sockets closed, out of
    the directory, search and every grant that follows a department or team.
    Only IT admins may, and not on their own account."""
    reason = _checked_reason(actor, user, reason, active=False)
    _lock(user, expect_active=True)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end(user_id=user.pk)
    live.user_deactivated(user.pk)
    audit_record(
        actor=actor,
        action="account.deactivate",
        target=user,
        target_label=user.display_name,
        details={
            "before": {"is_active": True},
            "after": {"is_active": False},
            "reason": reason,
            "sessions_ended": ended,
        },
        ip_address=ip_address,
    )
    return user


@transaction.atomic
def account_reactivate(
    *, actor: User, user: User, reason: str = "", ip_address: str | None = None
) -> User:
    """Make a leaver's account current again (someone who came back, or was
    deactivated by mistake). They sign in afresh: their old sessions were ended."""
    reason = _checked_reason(actor, user, reason, active=True)
    _lock(user, expect_active=False)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="account.reactivate",
        target=user,
        target_label=user.display_name,
        details={
            "before": {"is_active": False},
            "after": {"is_active": True},
            "reason": reason,
        },
        ip_address=ip_address,
    )
    return user


def _checked_reason(actor, user: User, reason: str, *, active: bool) -> str:
    refusal = account_change_refusal(actor, user, active=active)
    if refusal is not None:
        raise ProfileForbidden(refusal)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ProfileInvalid(
            f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
            field="reason",
        )
    return reason


def _lock(user: User, *, expect_active: bool) -> None:
    """Lock the account's row and check it is in the state the change starts
    from, as stored: two IT admins deactivating one leaver at once make one
    change, not two."""
    stored = (
        User.objects.select_for_update()
        .filter(pk=user.pk)
        .values_list("is_active", flat=True)
        .first()
    )
    if stored is None:
        raise ProfileNotFound("There is no such account")
    if stored != expect_active:
        state = "active" if stored else "deactivated"
        raise ProfileConflict(f"The account of {user.display_name} is already {state}")
