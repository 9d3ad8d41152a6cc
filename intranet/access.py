"""One hook for every change to who may see what.

A write that changes access calls `access_changed(...)`, naming what it knows:

- `spaces`: spaces whose readers changed (a membership, a role, a grant, a
  space's visibility or archiving);
- `users`: people whose department, teams or account changed, so that what
  follows from those (the department and team audience groups that grants go
  to) must be worked out again for them.

What each app must do about it is subscribed from its `AppConfig.ready()`:
spaces refills the people's audience groups (and names the spaces whose readers
that changed, in a call of its own), search moves its audience-token generation
on, and the live core makes every socket subscribed to a stream of a named
space check again. The core imports none of them.

Services call the hook. So that a row written anywhere else (the Django admin,
a shell, a factory) is never missed, the apps also name the models whose rows
decide access (`watch`, `watch_relation`): their save and delete signals call
the same hook. Bulk writes (`bulk_create`, `QuerySet.update`) send no signals,
so whatever writes in bulk calls the hook itself when it is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


@dataclass(frozen=True)
class AccessChange:
    spaces: frozenset[int]
    users: frozenset[int]
    # The database the change was written to, whose commit subscribers wait for.
    using: str | None = None


Subscriber = Callable[[AccessChange], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Call `subscriber(change)` on every access change (once, however often
    an app's ready() runs)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def access_changed(
    *, spaces: Iterable[int] = (), users: Iterable[int] = (), using: str | None = None
) -> None:
    """Tell every subscriber that access changed, in the current transaction.

    With neither spaces nor users, it says only that something changed: cached
    answers about access are dropped, and nothing is worked out again.
    """
    change = AccessChange(
        spaces=frozenset(s for s in spaces if s is not None),
        users=frozenset(u for u in users if u is not None),
        using=using,
    )
    for subscriber in list(_subscribers):
        subscriber(change)


IdsOf = Callable[[models.Model], Iterable[int]]


def watch(
    model: type[models.Model],
    *,
    spaces: IdsOf | None = None,
    users: IdsOf | None = None,
    when: Callable[[models.Model, frozenset[str] | None], bool] | None = None,
) -> None:
    """Call the hook whenever a row of `model` is saved or deleted: `spaces(row)`
    and `users(row)` name what it concerns; `when(row, update_fields)`, if
    given, says whether a save concerns access at all."""

    def changed(sender, instance, using=None, update_fields=None, **kwargs) -> None:
        if when is not None and not when(instance, update_fields):
            return
        access_changed(
            spaces=spaces(instance) if spaces else (),
            users=users(instance) if users else (),
            using=using,
        )

    label = model._meta.label_lower
    post_save.connect(
        changed, sender=model, weak=False, dispatch_uid=f"access.{label}.save"
    )
    post_delete.connect(
        changed, sender=model, weak=False, dispatch_uid=f"access.{label}.delete"
    )


def watch_relation(
    through: type[models.Model],
    *,
    users: Callable[[models.Model, set | None], Iterable[int]] | None = None,
) -> None:
    """Call the hook when a many-to-many relation is added to, removed from or
    cleared (`profile.teams.add(...)`, which sends no save signal).
    `users(instance, pk_set)` names the people concerned."""

    def changed(sender, instance, action=None, pk_set=None, using=None, **kwargs):
        if action not in M2M_CHANGES:
            return
        access_changed(users=users(instance, pk_set) if users else (), using=using)

    m2m_changed.connect(
        changed,
        sender=through,
        weak=False,
        dispatch_uid=f"access.{through._meta.label_lower}.m2m",
    )
