"""Who may deactivate or reactivate an account.

The services in `profiles.services.accounts` refuse with this answer, and the
admin's change form asks it first, so that a refused change shows its reason
beside the field instead of saving half the form.
"""

from __future__ import annotations

from profiles.selectors.access import is_it_admin


def account_change_refusal(actor, user, *, active: bool) -> str | None:
    """Why `actor` may not make `user`'s account active (or inactive), or None
    when they may. IT admins may, except on their own account: an IT admin who
    deactivated themselves would be signed out in the middle of the change."""
    if not is_it_admin(actor):
        return "Only IT admins can deactivate or reactivate accounts"
    if not active and actor.pk == user.pk:
        return "You cannot deactivate your own account"
    return None
