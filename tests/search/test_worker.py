"""`manage.py search_worker`, the production writer, as real processes sharing a
database: one at a time, a clear refusal for a second, a clean stop on SIGTERM.

The processes need a database they can all open, so they share an SQLite file of
their own (migrated once for this module) rather than the test database.
"""

import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from profiles.models import Profile
from search.drainer import drain_until_stopped
from search.lease import DatabaseLease
from search.models import OutboxEntry
from search.outbox import index_ids_later
from tests.profiles.factories import ProfileFactory
from tests.search.helpers import indexed_pks

ROOT = Path(__file__).resolve().parents[2]
STARTED = "Search worker started"
WAITING = "waiting to take over"
QUEUE_SOMEONE = """
from profiles.models import Department, Profile, User
from intranet.indexing import index_later
department = Department.objects.create(
    name="Cabinet Office", acronym="CO", slug="co", kind="ministerial"
)
user = User.objects.create_user("ada.lovelace", first_name="Ada", last_name="Lovelace")
index_later(Profile.objects.create(user=user, department=department))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Environment variables for processes sharing one migrated database."""
    base = tmp_path_factory.mktemp("worker")
    ours = {"DATABASE_URL", "REDIS_URL", "SEARCH_PATH", "SEARCH_DRAIN_IN_PROCESS"}
    env = {key: value for key, value in os.environ.items() if key not in ours}
    env |= {
        "DATABASE_URL": f"sqlite:///{base / 'crossgov.sqlite3'}",
        "SEARCH_PATH": str(base / "whoosh"),
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    return env


def manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result


def start_worker(env, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", "search_worker", "--interval", "0.2", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_output(process, text: str, timeout: float = 60) -> str:
    """Read the process's stdout until a line holds `text`; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            seen.append(line)
            if text in line:
                return line
    raise AssertionError(f"{text!r} never came; got {seen!r}")


def stop(process, timeout: float = 30) -> tuple[int, str, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, out, err


def test_the_worker_indexes_what_is_queued_and_stops_cleanly_on_sigterm(site):
    manage(site, "shell", "-c", QUEUE_SOMEONE)
    worker = start_worker(site)
    try:
        wait_for_output(worker, STARTED)
        deadline = time.monotonic() + 30
        while not indexed_pks(site["SEARCH_PATH"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(indexed_pks(site["SEARCH_PATH"])) == 1
    finally:
        code, out, err = stop(worker)
    assert code == 0, err
    assert "Search worker stopped." in out


def test_a_second_worker_exits_saying_who_runs_or_waits_if_told(site):
    first = start_worker(site)
    try:
        holder = wait_for_output(first, STARTED)
        second = subprocess.run(
            [sys.executable, "manage.py", "search_worker"],
            cwd=ROOT,
            env=site,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode != 0
        assert "Another search worker is running" in second.stderr
        assert "--wait" in second.stderr
        # It names the one running, as that one introduced itself.
        pid = f"pid {first.pid}"
        assert pid in second.stderr and pid in holder

        waiting = start_worker(site, "--wait")
        assert pid in wait_for_output(waiting, WAITING)
        code, out, err = stop(waiting)
        assert code == 0, err  # stopped while waiting: quietly
        assert STARTED not in out
    finally:
        code, _, err = stop(first)
    assert code == 0, err


def test_a_waiting_worker_takes_over_when_the_first_stops(site):
    first = start_worker(site)
    waiting = None
    try:
        wait_for_output(first, STARTED)
        waiting = start_worker(site, "--wait")
        line = wait_for_output(waiting, WAITING)
        assert f"pid {first.pid}" in line
        assert waiting.poll() is None
        code, _, err = stop(first)
        assert code == 0, err
        line = wait_for_output(waiting, STARTED)
        assert f"pid {waiting.pid}" in line
    finally:
        for process in (first, waiting):
            if process is not None and process.poll() is None:
                stop(process)


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_drains_until_stopped_and_keeps_its_lease(search_index_path):
    lease = DatabaseLease("search.worker", ttl=30, purpose="test worker")
    lease.acquire()
    people = ProfileFactory.create_batch(3)
    index_ids_later(Profile, [p.pk for p in people])
    stopping = threading.Event()
    renewals = []

    def heartbeat():
        renewals.append(1)
        lease.renew()

    def run():
        try:
            drain_until_stopped(
                stopping, interval=0.05, batch_size=2, heartbeat=heartbeat
            )
        finally:
            connection.close()

    loop = threading.Thread(target=run)
    loop.start()
    deadline = time.monotonic() + 30
    while OutboxEntry.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    stopping.set()
    loop.join(10)

    assert not loop.is_alive()
    assert indexed_pks(search_index_path) == {p.pk for p in people}
    assert len(renewals) >= 2  # before each batch
    lease.release()
