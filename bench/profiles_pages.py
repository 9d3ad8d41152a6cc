"""Time the People directory and a person's page against a bare Django view.

    .venv/bin/python bench/profiles_pages.py --people 50000

With DATABASE_URL unset it migrates and seeds a new SQLite file in a temporary
directory. When it is set, it must name an empty database made for the benchmark
(a database with any users in it is refused), for example:

    createdb -h 127.0.0.1 -U postgres pagebench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pagebench \\
        .venv/bin/python bench/profiles_pages.py --people 50000
    dropdb -h 127.0.0.1 -U postgres pagebench

Every request goes through Django's test Client, signed in as the demo user with
`force_login`: the whole middleware stack (sessions, authentication, the login
requirement, CSRF, messages), URL resolving, the view, its queries and its
templates, but no network and no ASGI server. The baseline is a view that returns
a two-byte HttpResponse, mounted by this script's own URLconf in front of the
project's, so it passes the same middleware and loads the same session and user.

The pages are timed with DEBUG off, as in production: with DEBUG on Django keeps
every query and template debug information, which is not what users wait for.
The three URLs are requested in turn, round after round, so that anything else
running on the machine slows all three alike and the ratios stay fair.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URLCONF = "bench_profiles_pages_urls"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument(
        "--rounds", type=int, default=300, help="timed requests per URL"
    )
    parser.add_argument(
        "--warm-up", type=int, default=20, help="untimed requests per URL"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pagebench-") as scratch:
        # Settings read the environment once, at start-up: set it before Django.
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
        os.environ.setdefault("SEARCH_PATH", f"{scratch}/whoosh")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        seed(args.people)
        run(args.rounds, args.warm_up)


def seed(people: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from profiles.models import User

    call_command("migrate", verbosity=0)
    if User.objects.exists():
        sys.exit("The benchmark database already has users: give it an empty one.")
    start = time.perf_counter()
    call_command(
        "seed_demo",
        people=people,
        no_progress=True,
        allow_production=True,  # a throwaway database, whatever DEBUG says
        verbosity=0,
    )
    seconds = time.perf_counter() - start
    print(
        f"database: {connection.vendor}; seed_demo --people {people}: {seconds:.1f} s"
    )


def baseline_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def install_urlconf() -> None:
    """The project's URLs with the baseline in front, as a module of its own, so
    the benchmark adds nothing to the app's URLs."""
    from django.urls import include, path

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [
        path("bench/baseline/", baseline_view, name="bench-baseline"),
        path("", include("intranet.urls")),
    ]
    sys.modules[URLCONF] = module


def person_page_url(username: str) -> str | None:
    """A person's page, or None while the profiles app has no such page."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("profiles:person", args=[username])
    except NoReverseMatch:
        return None


def run(rounds: int, warm_up: int) -> None:
    from django.test import Client, override_settings

    from demo.logins import DEMO_USERNAME
    from profiles.models import Profile, User

    install_urlconf()
    with override_settings(ROOT_URLCONF=URLCONF, DEBUG=False):
        viewer = User.objects.get(username=DEMO_USERNAME)
        # A typical colleague to look up: the demo user's manager, who heads a
        # team, has reports and a full set of skills and memberships.
        colleague = Profile.objects.select_related("user").get(
            direct_reports__user=viewer
        )
        client = Client()
        client.force_login(viewer)

        pages = {
            "baseline (bare view)": "/bench/baseline/",
            "directory, first page": "/people/",
        }
        person_url = person_page_url(colleague.user.username)
        if person_url is None:
            print("note: no 'profiles:person' URL yet; the person's page is skipped.")
        else:
            pages["a person's page"] = person_url

        for url in pages.values():
            check(client, url)
        timings = time_pages(client, list(pages.values()), rounds, warm_up)
        queries = {url: count_queries(client, url) for url in pages.values()}

    report(pages, timings, queries, rounds)


def check(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}, not 200: nothing to time.")


def time_pages(
    client, urls: list[str], rounds: int, warm_up: int
) -> dict[str, list[float]]:
    """Seconds per request for each URL, requested in turn, round after round."""
    for _ in range(warm_up):
        for url in urls:
            client.get(url)
    timings: dict[str, list[float]] = {url: [] for url in urls}
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            timings[url].append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    return timings


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def percentile(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def report(pages: dict[str, str], timings, queries, rounds: int) -> None:
    base_url = pages["baseline (bare view)"]
    base50 = percentile(timings[base_url], 50)
    base95 = percentile(timings[base_url], 95)
    print(f"{rounds} timed requests per URL, Django test Client, DEBUG off")
    header = (
        f"{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}"
        f"{'ratio p50':>11}{'ratio p95':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, url in pages.items():
        p50 = percentile(timings[url], 50)
        p95 = percentile(timings[url], 95)
        print(
            f"{name:<24}{p50 * 1000:>9.1f}{p95 * 1000:>9.1f}{queries[url]:>9}"
            f"{p50 / base50:>11.1f}{p95 / base95:>11.1f}"
        )


if __name__ == "__main__":
    main()
