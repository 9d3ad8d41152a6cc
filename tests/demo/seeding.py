"""Running `seed_demo` in tests: on a test's own database, or once for a module.

A module whose tests only read a seeded demo asks for it once, with a
module-scoped fixture around `seeded_for_module`: the demo is written in a
transaction that stays open while the module's tests run, each in a savepoint of
its own (pytest-django's `db`), and is rolled back after the last of them. So
what a test writes is undone after it, and the seeded demo after the module.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import TypeVar

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

DEMO_SETTINGS = {
    # pytest-django runs tests with DEBUG off, which the command treats as
    # production; and the demo logins' hash need not be slow here.
    "DEBUG": True,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}

T = TypeVar("T")


def seed_demo(**options) -> str:
    """Run `manage.py seed_demo` with `options`; what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@contextmanager
def seeded_for_module(
    django_db_blocker, seed: Callable[[], T], *, on_commit: bool = False
) -> Iterator[T]:
    """Call `seed` in a transaction that is open until the context ends, then
    rolled back; give what it returned. With `on_commit`, run the callbacks the
    seeding left for the commit (notifications) as a commit would."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            # The test-wide settings of tests/conftest.py are per test, so
            # not in force yet.
            override_settings(**DEMO_SETTINGS, SEARCH_DRAIN_IN_PROCESS=False),
            TestCase.captureOnCommitCallbacks(execute=on_commit),
        ):
            seeded = seed()
        yield seeded
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
