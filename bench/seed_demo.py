"""Time `manage.py seed_demo` against a bare bulk_create of as many plain users.

    .venv/bin/python bench/seed_demo.py --people 50000

With DATABASE_URL unset it uses a new SQLite file in a temporary directory. When it
is set, it must name an empty database made for the benchmark (a database with any
users in it is refused), for example:

    createdb -h 127.0.0.1 -U postgres seedbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedbench \\
        .venv/bin/python bench/seed_demo.py --people 50000
    dropdb -h 127.0.0.1 -U postgres seedbench

The baseline runs first, on the freshly migrated database: one transaction that
bulk-creates N users with nothing but a username and an unusable password. Its rows
are then deleted and the database vacuumed (untimed) before the seed runs. Both
timings cover building the rows, inserting them and committing; the seed's also
covers generating the organisation, its reference data, two real password hashes,
the profiles and their professions. Django's start-up and migrations are not timed.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seedbench-") as scratch:
        # Settings read the environment once, at start-up: set it before Django.
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        run(args.people, args.batch_size)


def run(people: int, batch_size: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from profiles.models import Profile, Team, User

    call_command("migrate", verbosity=0)
    if User.objects.exists():
        sys.exit("The benchmark database already has users: give it an empty one.")

    baseline = bare_bulk_create(people, batch_size)
    User.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")

    start = time.perf_counter()
    call_command(
        "seed_demo",
        people=people,
        # People only: the baseline writes users, so spaces would skew the ratio.
        spaces=0,
        batch_size=batch_size,
        no_progress=True,
        allow_production=True,  # a throwaway database, whatever DEBUG says
        verbosity=0,
    )
    seeded = time.perf_counter() - start

    links = Profile.professions.through.objects.count()
    print(f"database: {connection.vendor}, batch size {batch_size}")
    print(f"baseline, bulk_create of {people:,} plain users: {baseline:8.2f} s")
    print(
        f"seed_demo --people {people}: {seeded:8.2f} s "
        f"({User.objects.count():,} users and profiles, {links:,} profession "
        f"links, {Team.objects.count()} teams)"
    )
    print(f"ratio, seed_demo / baseline: {seeded / baseline:.1f}")


def bare_bulk_create(count: int, batch_size: int) -> float:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from profiles.models import User

    password = make_password(None)
    start = time.perf_counter()
    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"user{n}", password=password) for n in range(count)],
            batch_size=batch_size,
        )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
