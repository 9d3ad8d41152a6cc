"""Settings come from the environment: the embedded default, production, mistakes."""

import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from intranet.config import load

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = secrets.token_urlsafe(50)


def production_env(tmp_path, **overrides):
    env = {
        "DEBUG": "false",
        "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": "intranet.example.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def test_no_variables_give_the_embedded_default(tmp_path):
    config = load({}, tmp_path)
    assert config.debug is True
    db = config.databases["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == tmp_path / "var" / "crossgov.sqlite3"
    assert config.channel_layers["default"]["BACKEND"] == (
        "channels.layers.InMemoryChannelLayer"
    )
    assert config.caches["default"]["BACKEND"].endswith("LocMemCache")
    assert config.search_path == tmp_path / "var" / "whoosh"
    assert config.organisation_name == "Crossgov"
    assert config.security_marking == "OFFICIAL"
    assert "127.0.0.1" in config.allowed_hosts


def test_embedded_secret_is_made_once_and_kept(tmp_path):
    first = load({}, tmp_path).secret_key
    assert len(first) >= 50
    assert load({}, tmp_path).secret_key == first
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_production_with_everything_set(tmp_path):
    config = load(
        production_env(
            tmp_path,
            DATABASE_URL="postgres://crossgov:pw@db.internal:5432/crossgov",
            REDIS_URL="redis://cache.internal:6379/0",
            ALLOWED_HOSTS="a.example, b.example",
            SEARCH_PATH="/srv/crossgov/whoosh",
            ORGANISATION_NAME="Department for Examples",
            SECURITY_MARKING="official-sensitive",
        ),
        tmp_path,
    )
    assert config.production
    assert config.secret_key == GOOD_SECRET
    assert config.allowed_hosts == ["a.example", "b.example"]
    db = config.databases["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"]) == ("db.internal", "crossgov")
    layer = config.channel_layers["default"]
    assert layer["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert layer["CONFIG"]["hosts"] == ["redis://cache.internal:6379/0"]
    assert config.caches["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert config.search_path == Path("/srv/crossgov/whoosh")
    assert config.organisation_name == "Department for Examples"
    assert config.security_marking == "OFFICIAL-SENSITIVE"
    assert config.secure_proxy_ssl_header == ("HTTP_X_FORWARDED_PROTO", "https")
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list"),
        ("DATABASE_URL", "DATABASE_URL must point"),
    ],
)
def test_production_refuses_to_start_without(tmp_path, missing, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(production_env(tmp_path, **{missing: None}), tmp_path)


@pytest.mark.parametrize("weak", ["changeme", "k" * 64])
def test_production_refuses_a_weak_secret(tmp_path, weak):
    with pytest.raises(ImproperlyConfigured, match="random string of at least 50"):
        load(production_env(tmp_path, SECRET_KEY=weak), tmp_path)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "perhaps", "DEBUG='perhaps' is not a yes/no value"),
        ("SECURITY_MARKING", "TOP SECRET", "is not one of OFFICIAL"),
        ("DATABASE_URL", "mongodb://x/y", "DATABASE_URL is not usable"),
    ],
)
def test_bad_values_are_refused_clearly(tmp_path, name, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load({name: value}, tmp_path)


def test_request_bodies_are_limited_to_10_mb_unless_told(tmp_path):
    assert load({}, tmp_path).max_request_body == 10 * 1024 * 1024
    assert load(production_env(tmp_path), tmp_path).max_request_body == (
        10 * 1024 * 1024
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000000", 2_000_000),
        ("512k", 512 * 1024),
        ("20m", 20 * 1024 * 1024),
        # The same as nginx's client_max_body_size, which ignores case.
        (" 1G ", 1024**3),
    ],
)
def test_the_request_body_limit_is_written_as_nginx_writes_it(
    tmp_path, value, expected
):
    assert load({"MAX_REQUEST_BODY": value}, tmp_path).max_request_body == expected


@pytest.mark.parametrize("value", ["ten", "10mb", "0", "-5m", "1.5m"])
def test_a_request_body_limit_that_is_not_a_size_is_refused(tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="MAX_REQUEST_BODY=.* is not a size"):
        load({"MAX_REQUEST_BODY": value}, tmp_path)


def test_the_web_process_drains_the_search_outbox_only_when_it_is_alone(tmp_path):
    assert load({}, tmp_path).search_drain_in_process is True
    # Several processes: `manage.py search_worker` is the writer.
    assert load(production_env(tmp_path), tmp_path).search_drain_in_process is False
    shared = {"REDIS_URL": "redis://cache.internal:6379/0"}
    assert load(shared, tmp_path).search_drain_in_process is False


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_draining_in_process_can_be_chosen(tmp_path, value, expected):
    env = production_env(tmp_path, SEARCH_DRAIN_IN_PROCESS=value)
    assert load(env, tmp_path).search_drain_in_process is expected
    assert load(
        {"SEARCH_DRAIN_IN_PROCESS": value}, tmp_path
    ).search_drain_in_process is (expected)


def run_manage(env, *args):
    ours = {
        *production_env(Path()),
        "REDIS_URL",
        "SEARCH_PATH",
        "SEARCH_DRAIN_IN_PROCESS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run_manage(production_env(tmp_path), "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_start_up_error_is_clear(tmp_path):
    result = run_manage(production_env(tmp_path, SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "Production mode (DEBUG=false) cannot start" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("redis_url", "prefix"),
    [
        ("redis://cache.internal:6379/0", "crossgov.0"),
        ("redis://cache.internal:6379/3", "crossgov.3"),
        ("redis://cache.internal:6379", "crossgov.0"),
        ("rediss://:pw@cache.internal:6380/12", "crossgov.12"),
    ],
)
def test_channel_prefix_follows_the_redis_database_number(tmp_path, redis_url, prefix):
    # Pub/sub ignores the database number: without this, two deployments on one
    # Redis would receive each other's live events.
    config = load(production_env(tmp_path, REDIS_URL=redis_url), tmp_path)
    assert config.channel_layers["default"]["CONFIG"]["prefix"] == prefix


def test_channel_prefix_can_be_set(tmp_path):
    config = load(
        production_env(
            tmp_path,
            REDIS_URL="redis://cache.internal:6379/0",
            CHANNEL_LAYER_PREFIX=" crossgov-staging ",
        ),
        tmp_path,
    )
    assert config.channel_layers["default"]["CONFIG"]["prefix"] == "crossgov-staging"


def sqlite_url_database(tmp_path, query=""):
    url = f"sqlite:///{tmp_path / 'named.sqlite3'}{query}"
    return load({"DATABASE_URL": url}, tmp_path).databases["default"]


def test_a_sqlite_database_url_gets_the_embedded_defaults_tuning(tmp_path):
    embedded = load({}, tmp_path).databases["default"]
    named = sqlite_url_database(tmp_path)
    assert named["NAME"] == str(tmp_path / "named.sqlite3")
    assert named["OPTIONS"] == embedded["OPTIONS"]
    assert named["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in named["OPTIONS"]["init_command"]


def test_options_in_a_sqlite_url_win_over_the_tuning(tmp_path):
    named = sqlite_url_database(tmp_path, "?timeout=5")
    assert named["OPTIONS"]["timeout"] == 5
    assert named["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_writers_on_a_sqlite_url_queue_instead_of_failing(
    tmp_path, django_db_blocker
):
    """Each reads, then writes, in one transaction, at the same moment.

    Without IMMEDIATE both start reading, and the second to write fails at once
    with "database is locked" (SQLite cannot let it wait: the first needs it to
    finish). With it, the second's BEGIN waits for the first's commit.
    """
    alias = "sqlite_url_concurrency"
    # configure_settings fills in Django's defaults and insists on a default.
    connections.settings[alias] = connections.configure_settings(
        {"default": {}, alias: sqlite_url_database(tmp_path)}
    )[alias]
    both_read = threading.Barrier(2)
    errors = []

    def write(n):
        try:
            with transaction.atomic(using=alias):
                with connections[alias].cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM counter")
                    try:
                        # Under IMMEDIATE the other writer is still queued at
                        # BEGIN, so this gives up waiting for it.
                        both_read.wait(timeout=0.5)
                    except threading.BrokenBarrierError:
                        pass
                    cursor.execute("INSERT INTO counter VALUES (%s)", [n])
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections[alias].close()

    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone() == ("wal",)
                cursor.execute("CREATE TABLE counter (n integer)")
            connections[alias].close()
            threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            assert errors == []
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter ORDER BY n")
                assert cursor.fetchall() == [(1,), (2,)]
    finally:
        connections[alias].close()
        del connections.settings[alias]
