"""Parallel test workers keep to their own Redis database."""

import pytest

from tests.worker_services import worker_redis_url


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/0", "gw3", "redis://127.0.0.1:6379/4"),
        ("redis://:secret@cache:6380", "gw1", "redis://:secret@cache:6380/2"),
    ],
)
def test_each_worker_has_a_redis_database_of_its_own(url, worker, expected):
    assert worker_redis_url(url, worker) == expected
