"""Turn environment variables into settings.

Kept apart from settings.py as a pure function of a mapping, so that tests can check
every mode (embedded default, production, bad values) without reloading Django.

No variables at all gives the embedded default: SQLite, the in-memory channel layer,
the local-memory cache and a Whoosh index, all under `var/`. `DEBUG=false` selects
production mode, where a missing secret key or host list stops start-up with a clear
message instead of running insecurely.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
EMBEDDED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
MARKINGS = {"OFFICIAL", "OFFICIAL-SENSITIVE"}
# The largest upload is a profile photo of at most 5 MB; twice that leaves room
# for the form around it, and lets a photo a little over its own limit get the
# photo form's message rather than the server's refusal.
DEFAULT_MAX_REQUEST_BODY = 10 * 1024 * 1024
SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True)
class Config:
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    databases: dict[str, Any]
    channel_layers: dict[str, Any]
    caches: dict[str, Any]
    search_path: Path
    # Whether the web process drains the search outbox itself (search.drainer).
    search_drain_in_process: bool
    organisation_name: str
    security_marking: str
    redis_url: str | None
    secure_proxy_ssl_header: tuple[str, str] | None
    hsts_preload: bool
    # Bytes; a longer request body is refused before it is read (body_limit).
    max_request_body: int = DEFAULT_MAX_REQUEST_BODY
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return not self.debug


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use true or false."
    )


def env_list(environ: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in environ.get(name, "").split(",") if item.strip()]


def env_size(environ: Mapping[str, str], name: str, default: int) -> int:
    """A size in bytes, written as nginx writes client_max_body_size (`10m`), so
    that the proxy and Crossgov can be given the same value."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    match = re.fullmatch(r"(\d+)\s*([kmg]?)", raw.lower())
    if not match or int(match.group(1)) == 0:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a size: give a number of bytes, or of "
            "kilobytes, megabytes or gigabytes with k, m or g (as in 10m)."
        )
    return int(match.group(1)) * SIZE_UNITS[match.group(2)]


def load(environ: Mapping[str, str], base_dir: Path) -> Config:
    """Read the configuration from `environ`; raise ImproperlyConfigured if unusable."""
    var_dir = base_dir / "var"
    debug = env_bool(environ, "DEBUG", default=True)

    secret_key = environ.get("SECRET_KEY", "").strip()
    allowed_hosts = env_list(environ, "ALLOWED_HOSTS")
    if debug:
        secret_key = secret_key or embedded_secret_key(var_dir)
        allowed_hosts = allowed_hosts or list(EMBEDDED_HOSTS)
    else:
        problems = []
        # The same bar as Django's own deploy check (security.W009).
        if len(secret_key) < 50 or len(set(secret_key)) < 5:
            problems.append(
                "SECRET_KEY must be set to a random string of at least 50 characters"
            )
        if not allowed_hosts:
            problems.append(
                "ALLOWED_HOSTS must list the host names Crossgov is served on"
            )
        if not environ.get("DATABASE_URL"):
            problems.append("DATABASE_URL must point at the production database")
        if problems:
            raise ImproperlyConfigured(
                "Production mode (DEBUG=false) cannot start: " + "; ".join(problems)
            )

    marking = environ.get("SECURITY_MARKING", "OFFICIAL").strip().upper()
    if marking not in MARKINGS:
        raise ImproperlyConfigured(
            f"SECURITY_MARKING={marking!r} is not one of {', '.join(sorted(MARKINGS))}."
        )

    redis_url = environ.get("REDIS_URL", "").strip() or None
    proxy_header = None
    if env_bool(environ, "BEHIND_TLS_PROXY", default=not debug):
        proxy_header = ("HTTP_X_FORWARDED_PROTO", "https")

    return Config(
        debug=debug,
        secret_key=secret_key,
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=env_list(environ, "CSRF_TRUSTED_ORIGINS"),
        databases={"default": database(environ, var_dir)},
        channel_layers={
            "default": channel_layer(
                redis_url, environ.get("CHANNEL_LAYER_PREFIX", "").strip() or None
            )
        },
        caches={"default": cache(redis_url)},
        search_path=Path(environ.get("SEARCH_PATH") or var_dir / "whoosh"),
        # One process (the embedded default) drains its own outbox; several
        # processes (production, or anything sharing Redis) leave it to
        # `manage.py search_worker`.
        search_drain_in_process=env_bool(
            environ, "SEARCH_DRAIN_IN_PROCESS", default=debug and not redis_url
        ),
        organisation_name=environ.get("ORGANISATION_NAME", "").strip() or "Crossgov",
        security_marking=marking,
        redis_url=redis_url,
        secure_proxy_ssl_header=proxy_header,
        hsts_preload=env_bool(environ, "HSTS_PRELOAD", default=True),
        max_request_body=env_size(
            environ, "MAX_REQUEST_BODY", default=DEFAULT_MAX_REQUEST_BODY
        ),
    )


SQLITE_ENGINE = "django.db.backends.sqlite3"
# Every SQLite database, the embedded default's or one named by DATABASE_URL.
# IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue (for up to
# `timeout` seconds) instead of failing with "database is locked" half-way
# through; WAL lets readers carry on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database(environ: Mapping[str, str], var_dir: Path) -> dict[str, Any]:
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": SQLITE_ENGINE,
            "NAME": var_dir / "crossgov.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            "TEST": {"NAME": None},
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {exc}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL scheme is not supported: {url!r}")
    if config["ENGINE"] == SQLITE_ENGINE:
        # Options given in the URL's query string win over the tuning.
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def channel_layer(redis_url: str | None, prefix: str | None = None) -> dict[str, Any]:
    if not redis_url:
        # One process only: the embedded default.
        return {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    # Pub/sub delivers group messages without the per-channel capacity that makes
    # RedisChannelLayer drop them silently when a process falls behind.
    return {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [redis_url],
            "prefix": prefix or default_channel_prefix(redis_url),
        },
    }


def default_channel_prefix(redis_url: str) -> str:
    """`crossgov.<database number>`.

    Redis pub/sub channels belong to the whole server, not to a database, so
    without a prefix of their own two deployments (or a deployment and a test
    run) on one Redis would hear each other's groups. Deriving it from the
    database number keeps apart what an operator already kept apart by choosing
    different numbers.
    """
    path = urlsplit(redis_url).path.strip("/")
    return f"crossgov.{path if path.isdigit() else 0}"


def cache(redis_url: str | None) -> dict[str, Any]:
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "crossgov",
    }


def embedded_secret_key(var_dir: Path) -> str:
    """A random key made once and kept in var/, so sessions survive a restart."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    path.chmod(0o600)
    return key
