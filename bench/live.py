"""Live fan-out: Crossgov's /ws/live/ against a bare Channels consumer, on real
server processes sharing the Redis channel layer.

    .venv/bin/python bench/live.py                  # the defaults take a few minutes
    .venv/bin/python bench/live.py --sockets 1000 --threads 20 --rate 40

For each ASGI server (daphne, then uvicorn) it starts `--servers` processes of
Crossgov in production mode and, in the same run, as many of the baseline
(bench/live_baseline.py: the same group fan-out with no database), and measures:

1. memory per idle socket: the servers' RSS before and after `--sockets`
   signed-in WebSockets connect and sit idle;
2. steady fan-out: every socket subscribes to `--subscriptions` of `--threads`
   threads; a poster posts over HTTP (JSON, with the CSRF cookie and header the
   live client sends) at `--rate` messages a second for `--duration` seconds,
   each body carrying its send time; deliveries per second and p50/p99 latency
   from send to each socket's receipt. The baseline's publisher process
   group_sends the same events at the same rate;
3. loss under reconnect churn (Crossgov): for `--churn` seconds, while the
   poster goes on, clients drop (half cleanly, half by cutting the connection)
   and reconnect at random, re-subscribing with the last seq they hold and
   de-duplicating by seq; then every client catches up once more and its seqs
   are compared with the database. `lost` must be 0.

With `--rounds N` every server is measured N times, in turn, and each figure is
the median of its rounds (lost messages add up): others' work on a shared machine
comes and goes, and one round each can favour whichever ran while it was quiet.
The servers are chosen between by the numbers: the lower Crossgov p99 latency,
provided nothing was lost. "uvicorn" runs with `--ws-per-message-deflate false`,
as a deployment would; "uvicorn-deflate" (not run unless asked) is uvicorn's
default, which compresses every frame for every socket whose client offers it,
as browsers do.

The sockets' people and sessions are made in the database directly; posters are
members of an open demo space (`seed_demo --spaces 1`) and post in threads of
their own, a few people per thread, so that no one passes the posting rate limit.

Needs Redis: REDIS_URL, default redis://127.0.0.1:6379/11. The servers'
channel layer gets a prefix of its own (`CHANNEL_LAYER_PREFIX=live-bench-<pid>`),
so that no other Crossgov on the same Redis hears the benchmark's events; the
database number keeps the rate-limit counters apart (the benchmark deletes its
own before it starts). With DATABASE_URL unset the
database is a new SQLite file in a temporary directory; when set, it must name
an empty database made for the benchmark (it is migrated and seeded):

    createdb -h 127.0.0.1 -U postgres livebench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/livebench \\
        .venv/bin/python bench/live.py
    dropdb -h 127.0.0.1 -U postgres livebench

The last line printed is one JSON object: the chosen server's figures at the top
level (`sockets`, `deliveries_per_s`, `baseline_deliveries_per_s`, `ratio`,
`p50_ms`, `p99_ms`, `baseline_p99_ms`, `kb_per_idle_socket`, `lost`…), each
server's under `by_server`, and the machine's load average.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import math
import os
import queue
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
HOST = "127.0.0.1"
SENT_AT = re.compile(r"sent at (\d+\.\d+)")
# The posting limit is 30 a minute per person (spaces.thread_services): each
# poster stays well under it.
POSTS_PER_POSTER_MINUTE = 20
# uvicorn compresses every frame for every socket when the client offers
# permessage-deflate (browsers do) unless told not to; "uvicorn-deflate" is its
# default, "uvicorn" the setting a deployment would choose.
SERVERS = ("daphne", "uvicorn", "uvicorn-deflate")
DEFAULT_SERVERS = ("daphne", "uvicorn")
SETTINGS_MODULE = "bench_live_settings"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--clients-worker":
        asyncio.run(ClientsWorker(json.loads(sys.argv[2])).serve())
        return
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="livebench-") as scratch:
        bench = Bench(args, Path(scratch))
        result = bench.run()
    print(json.dumps(result))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument(
        "--subscriptions", type=int, default=3, help="threads each socket follows"
    )
    parser.add_argument("--rate", type=float, default=20, help="posts a second")
    parser.add_argument(
        "--duration", type=float, default=20, help="seconds of steady posting"
    )
    parser.add_argument(
        "--churn", type=float, default=20, help="seconds of reconnect churn"
    )
    parser.add_argument(
        "--churn-interval",
        type=float,
        default=4.0,
        help="mean seconds between one client's drops during churn",
    )
    parser.add_argument("--servers", type=int, default=2, help="processes of each")
    parser.add_argument(
        "--server-kinds",
        default=",".join(DEFAULT_SERVERS),
        help=f"any of {', '.join(SERVERS)}",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each server this many times, in turn, and take medians "
        "(others' work on the machine comes and goes)",
    )
    parser.add_argument(
        "--post-workers", type=int, default=8, help="poster's concurrent requests"
    )
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="clients do not offer permessage-deflate (browsers do)",
    )
    args = parser.parse_args()
    args.server_kinds = [kind for kind in args.server_kinds.split(",") if kind]
    unknown = set(args.server_kinds) - set(SERVERS)
    if unknown:
        parser.error(f"unknown server kinds: {', '.join(sorted(unknown))}")
    args.subscriptions = min(args.subscriptions, args.threads)
    return args


def say(text: str) -> None:
    print(text, flush=True)


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# The scratch environment and the database -------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, scratch: Path) -> None:
        self.args = args
        self.scratch = scratch
        self.redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
        self.prefix = f"live-bench-{os.getpid()}"
        database_url = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{scratch}/live.sqlite3"
        )
        self.sqlite = database_url.startswith("sqlite")
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis_url,
            "SEARCH_PATH": str(scratch / "whoosh"),
            "BEHIND_TLS_PROXY": "true",
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "CHANNEL_LAYER_PREFIX": self.prefix,
            "LIVE_BENCH_PREFIX": self.prefix,
            "PYTHONPATH": os.pathsep.join([str(scratch), str(ROOT), str(BENCH)]),
        }
        self._write_settings()

    def _write_settings(self) -> None:
        """Production settings, plus, on SQLite, the embedded default's WAL and
        IMMEDIATE transactions (a DATABASE_URL alone gives neither, and two
        server processes share the file)."""
        lines = [
            "from intranet.settings import *  # noqa: F403",
            "from intranet import config",
        ]
        if self.sqlite:
            lines.append(
                'DATABASES["default"]["OPTIONS"] = '
                "config.database({}, BASE_DIR)['OPTIONS']"
            )
        lines.append('LOGGING["root"]["level"] = "WARNING"')
        (self.scratch / f"{SETTINGS_MODULE}.py").write_text("\n".join(lines) + "\n")

    def run(self) -> dict:
        args = self.args
        os.environ.update(self.env)
        sys.path[:0] = [str(self.scratch), str(ROOT)]
        import django

        django.setup()
        self._forget_rate_limits()
        say(f"machine load (uptime): {_load()}")
        say(
            f"{args.sockets} sockets over {args.servers} processes, "
            f"{args.threads} threads, {args.subscriptions} per socket, "
            f"{args.rate:g} posts/s for {args.duration:g} s, "
            f"churn {args.churn:g} s; database {'SQLite' if self.sqlite else 'URL'}"
        )
        data = BenchData.prepare(args)
        runs: dict[str, list[dict]] = {kind: [] for kind in args.server_kinds}
        for round_number in range(1, args.rounds + 1):
            for kind in args.server_kinds:
                crossgov = self.run_crossgov(kind, data)
                baseline = self.run_baseline(kind)
                runs[kind].append(summarise(crossgov, baseline))
                say(f"{kind}, round {round_number}: {json.dumps(runs[kind][-1])}")
        by_server = {kind: combine(results) for kind, results in runs.items()}
        chosen = choose(by_server)
        if by_server[chosen]["lost"]:
            say(f"no recommendation: every server lost messages ({chosen} least badly)")
        else:
            say(f"recommendation: {chosen} (lower Crossgov p99 with nothing lost)")
        return {
            **by_server[chosen],
            "server": chosen,
            "sockets": args.sockets,
            "threads": args.threads,
            "subscriptions_per_socket": args.subscriptions,
            "rate": args.rate,
            "server_processes": args.servers,
            "rounds": args.rounds,
            "lost": sum(s["lost"] for s in by_server.values()),
            "by_server": by_server,
            "load": _load(),
        }

    def _forget_rate_limits(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            client.ping()
        except redis.RedisError as error:
            sys.exit(f"Redis is not answering at {self.redis_url}: {error}")
        for key in client.scan_iter("*spaces:post-rate:*"):
            client.delete(key)

    def _assignments(self, streams: list[str]) -> list[list[str]]:
        rng = random.Random(7)  # noqa: S311 - which threads each socket follows
        return [
            rng.sample(streams, self.args.subscriptions)
            for _ in range(self.args.sockets)
        ]

    def run_crossgov(self, kind: str, data: BenchData) -> dict:
        args = self.args
        threads = data.new_threads(args.threads)
        streams = [f"thread:{thread.pk}" for thread in threads]
        follows = self._assignments(streams)
        say(f"-- {kind}: Crossgov")
        app = "asgi:application"
        with Servers(kind, app, args.servers, self.env, self.scratch) as servers:
            clients = [
                {"cookie": f"sessionid={key}", "streams": follows[index]}
                for index, key in enumerate(data.reader_sessions)
            ]
            with ClientsProcess(self._worker_config(servers, clients)) as worker:
                before = worker.warm_up(servers)
                connected = worker.call({"cmd": "connect"})
                time.sleep(2)
                idle_kb = (servers.rss_kb() - before) / max(1, connected["connected"])
                say(
                    f"connected {connected['connected']} sockets "
                    f"(deflate: {connected['deflate']}); "
                    f"{idle_kb:.1f} KB per idle socket"
                )
                worker.call({"cmd": "subscribe"})
                poster = Poster(servers.ports, data, threads, args.post_workers)
                worker.call({"cmd": "measure"})
                posted = poster.run(args.rate, args.duration)
                per_post = Counter(s for f in follows for s in f)
                expected = sum(
                    per_post[stream] * count
                    for stream, count in posted["by_thread"].items()
                )
                steady = worker.drain(expected)
                say(
                    f"posted {posted['ok']} ({posted['errors']} refused), HTTP p50 "
                    f"{posted['http_p50_ms']} ms p99 {posted['http_p99_ms']} ms; "
                    f"{steady['deliveries']} of {expected} deliveries"
                )
                worker.call({"cmd": "churn", "mean_interval": args.churn_interval})
                churned = poster.run(args.rate, args.churn)
                time.sleep(1)
                settled = worker.call({"cmd": "settle"}, timeout=120)
            lost, twice = data.compare(settled["held"], threads)
            say(
                f"churn: {settled['reconnects']} reconnects, {settled['gaps']} gaps "
                f"and {settled['duplicates']} duplicates seen, "
                f"{churned['ok']} posted; lost {lost}, applied twice {twice}"
                + (
                    f" ({settled['pending']} subscriptions never answered)"
                    if settled["pending"]
                    else ""
                )
            )
        return {
            "idle_kb": idle_kb,
            "deflate": connected["deflate"],
            "steady": steady,
            "expected": expected,
            "posted": posted,
            "lost": lost,
            "applied_twice": twice,
            "reconnects": settled["reconnects"],
        }

    def run_baseline(self, kind: str) -> dict:
        args = self.args
        streams = [f"thread:{number}" for number in range(1, args.threads + 1)]
        follows = self._assignments(streams)
        env = {k: v for k, v in self.env.items() if k != "DJANGO_SETTINGS_MODULE"}
        say(f"-- {kind}: baseline")
        app = "live_baseline:application"
        with Servers(kind, app, args.servers, env, self.scratch) as servers:
            clients = [{"cookie": "", "streams": f} for f in follows]
            with ClientsProcess(self._worker_config(servers, clients)) as worker:
                before = worker.warm_up(servers)
                connected = worker.call({"cmd": "connect"})
                time.sleep(2)
                idle_kb = (servers.rss_kb() - before) / max(1, connected["connected"])
                worker.call({"cmd": "subscribe"})
                worker.call({"cmd": "measure"})
                published = subprocess.run(  # noqa: S603 - our own publisher
                    [
                        sys.executable,
                        str(BENCH / "live_baseline.py"),
                        "publish",
                        "--streams",
                        ",".join(streams),
                        "--rate",
                        str(args.rate),
                        "--duration",
                        str(args.duration),
                    ],
                    env=env,
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                sent = json.loads(published.stdout.strip().splitlines()[-1])
                per_post = Counter(s for f in follows for s in f)
                expected = sum(
                    per_post[stream] * count for stream, count in sent["last"].items()
                )
                steady = worker.drain(expected)
                say(f"published {sent['sent']}; {steady['deliveries']} of {expected}")
        return {"idle_kb": idle_kb, "steady": steady, "expected": expected}

    def _worker_config(self, servers: Servers, clients: list[dict]) -> dict:
        return {
            "urls": [f"ws://{HOST}:{port}/ws/live/" for port in servers.ports],
            "clients": clients,
            "deflate": not self.args.no_deflate,
        }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def summarise(crossgov: dict, baseline: dict) -> dict:
    ours, base = crossgov["steady"], baseline["steady"]
    rate = ours["per_s"]
    base_rate = base["per_s"]
    return {
        "deliveries_per_s": rate,
        "baseline_deliveries_per_s": base_rate,
        "ratio": round(rate / base_rate, 3) if rate and base_rate else None,
        "p50_ms": ours["p50_ms"],
        "p99_ms": ours["p99_ms"],
        "max_ms": ours["max_ms"],
        "baseline_p50_ms": base["p50_ms"],
        "baseline_p99_ms": base["p99_ms"],
        "baseline_max_ms": base["max_ms"],
        "delivered": ours["deliveries"],
        "expected": crossgov["expected"],
        "baseline_delivered": base["deliveries"],
        "baseline_expected": baseline["expected"],
        "kb_per_idle_socket": round(crossgov["idle_kb"], 1),
        "baseline_kb_per_idle_socket": round(baseline["idle_kb"], 1),
        "http_post_p50_ms": crossgov["posted"]["http_p50_ms"],
        "http_post_p99_ms": crossgov["posted"]["http_p99_ms"],
        "posts_refused": crossgov["posted"]["errors"],
        "lost": crossgov["lost"],
        "applied_twice": crossgov["applied_twice"],
        "reconnects": crossgov["reconnects"],
        "deflate": crossgov["deflate"],
    }


# Counts add up over rounds; everything else is the median round's.
SUMMED = ("lost", "applied_twice", "reconnects", "posts_refused")


def combine(results: list[dict]) -> dict:
    combined = {}
    for key, value in results[0].items():
        values = [result[key] for result in results]
        if key in SUMMED:
            combined[key] = sum(values)
        elif isinstance(value, bool) or not all(
            isinstance(v, int | float) for v in values
        ):
            combined[key] = value
        else:
            combined[key] = statistics.median(values)
    return combined


def choose(by_server: dict[str, dict]) -> str:
    def key(kind: str) -> tuple:
        figures = by_server[kind]
        return (figures["lost"] > 0, figures["p99_ms"] or math.inf)

    return min(by_server, key=key)


@dataclass
class PosterSeat:
    session: str
    thread_id: int


class BenchData:
    """The benchmark's people, sessions and threads, written with Django."""

    def __init__(self, space, readers, reader_sessions, posters, csrf) -> None:
        self.space = space
        self.readers = readers
        self.reader_sessions = reader_sessions
        self.posters = posters
        self.csrf = csrf
        self.poster_sessions: dict[int, str] = {}
        self.seats: dict[int, list[str]] = {}  # thread id -> poster sessions

    @classmethod
    def prepare(cls, args: argparse.Namespace) -> BenchData:
        from django.contrib.auth.hashers import make_password
        from django.core.management import call_command

        from profiles.models import User
        from spaces import services
        from spaces.models import Space

        call_command("migrate", verbosity=0)
        if User.objects.exists():
            sys.exit("The benchmark database already has users: give it an empty one.")
        call_command(
            "seed_demo",
            people=20,
            spaces=1,
            messages=0,
            allow_production=True,
            no_progress=True,
            verbosity=0,
        )
        space = Space.objects.get(visibility=Space.Visibility.OPEN)
        unusable = make_password(None)
        readers = User.objects.bulk_create(
            [
                User(username=f"live-bench-reader-{n}", password=unusable)
                for n in range(args.sockets)
            ]
        )
        per_thread = max(
            2, math.ceil(args.rate / args.threads * 60 / POSTS_PER_POSTER_MINUTE)
        )
        posters = User.objects.bulk_create(
            [
                User(
                    username=f"live-bench-poster-{n}",
                    first_name="Poster",
                    last_name=str(n),
                    password=unusable,
                )
                for n in range(per_thread * args.threads)
            ]
        )
        for poster in posters:
            services.membership_join(actor=poster, space=space)
        data = cls(
            space=space,
            readers=readers,
            reader_sessions=[_session(user) for user in readers],
            posters=posters,
            csrf=secrets.token_hex(16),
        )
        data.poster_sessions = {user.pk: _session(user) for user in posters}
        return data

    def new_threads(self, count: int) -> list:
        """`count` new threads, each started by the first of its own posters."""
        from spaces.thread_services import thread_start

        per_thread = len(self.posters) // count
        threads = []
        for index in range(count):
            seats = self.posters[index * per_thread : (index + 1) * per_thread]
            thread = thread_start(
                actor=seats[0],
                space=self.space,
                title=f"Live bench thread {index + 1}",
                body="Opening the thread.",
                client_id=uuid.uuid4().hex,
            )
            self.seats[thread.pk] = [self.poster_sessions[u.pk] for u in seats]
            threads.append(thread)
        return threads

    def compare(self, held: list[list], threads: list) -> tuple[int, int]:
        """Messages each client should hold but does not, and messages it applied
        more than once, against the threads' seqs in the database."""
        from spaces.models import Message

        seqs: dict[int, set[int]] = {thread.pk: set() for thread in threads}
        for thread_id, seq in Message.objects.filter(
            thread__in=[thread.pk for thread in threads]
        ).values_list("thread_id", "seq"):
            seqs[thread_id].add(seq)
        lost = twice = 0
        for _, stream, last, applied in held:
            truth = seqs[int(stream.split(":", 1)[1])]
            # A client holds seqs 1..last: it applies only the next one.
            lost += len([seq for seq in truth if seq > last])
            twice += max(0, applied - last)
        return lost, twice


def _session(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# Server processes ---------------------------------------------------------------


class Servers:
    """`count` processes of one ASGI server, each on a port of its own."""

    def __init__(
        self, kind: str, app: str, count: int, env: dict, scratch: Path
    ) -> None:
        self.kind = kind
        self.app = app
        self.count = count
        self.env = env
        self.scratch = scratch
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def _command(self, port: int) -> list[str]:
        if self.kind == "daphne":
            return [str(BIN / "daphne"), "-b", HOST, "-p", str(port), self.app]
        command = [
            str(BIN / "uvicorn"),
            self.app,
            "--host",
            HOST,
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        if self.kind == "uvicorn":
            command += ["--ws-per-message-deflate", "false"]
        return command

    def __enter__(self) -> Servers:
        for index in range(self.count):
            port = free_port()
            log = self.scratch / f"{self.kind}-{self.app.split(':')[0]}-{index}.log"
            with log.open("w") as out:
                process = subprocess.Popen(  # noqa: S603 - our own venv's servers
                    self._command(port),
                    cwd=ROOT,
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            self.ports.append(port)
            self.processes.append(process)
            self.logs.append(log)
        for port, process, log in zip(
            self.ports, self.processes, self.logs, strict=True
        ):
            _wait_until_serving(port, process, log)
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def rss_kb(self) -> int:
        total = 0
        for process in self.processes:
            status = Path(f"/proc/{process.pid}/status").read_text()
            total += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))
        return total


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server on port {port} exited:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request(
                "GET", "/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server on port {port} did not start:\n{log.read_text()[-3000:]}")


# The poster ---------------------------------------------------------------------


class Poster:
    """Posts replies over HTTP at a fixed rate, as the live client does (JSON,
    CSRF cookie and header), each body saying when it was sent."""

    def __init__(self, ports: list[int], data: BenchData, threads, workers: int):
        self.ports = ports
        self.data = data
        self.threads = threads
        self.workers = workers
        self.sent = 0
        self.turns: Counter = Counter()

    def run(self, rate: float, duration: float) -> dict:
        jobs: queue.Queue = queue.Queue()
        results: list[tuple[str, int, float]] = []
        lock = threading.Lock()
        workers = [
            threading.Thread(target=self._work, args=(jobs, results, lock))
            for _ in range(self.workers)
        ]
        for worker in workers:
            worker.start()
        total = int(rate * duration)
        started = time.monotonic()
        for number in range(total):
            wait = started + number / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            thread = self.threads[(self.sent + number) % len(self.threads)]
            seats = self.data.seats[thread.pk]
            session = seats[self.turns[thread.pk] % len(seats)]
            self.turns[thread.pk] += 1
            jobs.put((number, thread, session))
        self.sent += total
        for _ in workers:
            jobs.put(None)
        for worker in workers:
            worker.join()
        ok = [r for r in results if r[1] == 201]
        timings = [r[2] * 1000 for r in ok]
        p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
        return {
            "ok": len(ok),
            "errors": len(results) - len(ok),
            "statuses": dict(Counter(r[1] for r in results)),
            "by_thread": dict(Counter(r[0] for r in ok)),
            "http_p50_ms": round(p50, 1) if p50 is not None else None,
            "http_p99_ms": round(p99, 1) if p99 is not None else None,
            "seconds": round(time.monotonic() - started, 2),
        }

    def _work(self, jobs: queue.Queue, results: list, lock: threading.Lock) -> None:
        connections: dict[int, http.client.HTTPConnection] = {}
        slug = self.data.space.slug
        csrf = self.data.csrf
        while (job := jobs.get()) is not None:
            number, thread, session = job
            port = self.ports[number % len(self.ports)]
            path = f"/spaces/{slug}/threads/{thread.pk}/"
            headers = {
                "Host": f"{HOST}:{port}",
                "Origin": f"https://{HOST}:{port}",
                "X-Forwarded-Proto": "https",
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
            sent = time.time()
            body = json.dumps(
                {
                    "body": f"Bench message {number} sent at {sent:.6f}",
                    "client_id": uuid.uuid4().hex,
                }
            )
            status = 0
            for _attempt in range(2):
                connection = connections.get(port)
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
                    connections[port] = connection
                try:
                    connection.request("POST", path, body=body, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    break
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connections.pop(port, None)
            with lock:
                results.append((f"thread:{thread.pk}", status, time.time() - sent))
        for connection in connections.values():
            connection.close()


# The clients, in a process of their own ----------------------------------------


class ClientsProcess:
    """bench/live.py --clients-worker, spoken to one JSON line at a time."""

    def __init__(self, config: dict) -> None:
        self.config = config

    def __enter__(self) -> ClientsProcess:
        self.process = subprocess.Popen(  # noqa: S603 - this very script
            [sys.executable, __file__, "--clients-worker", json.dumps(self.config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            try:
                self.call({"cmd": "quit"}, timeout=30)
            except (OSError, RuntimeError):
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def call(self, command: dict, timeout: float = 90) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        answer: list[str] = []
        reader = threading.Thread(
            target=lambda: answer.append(self.process.stdout.readline())
        )
        reader.start()
        reader.join(timeout)
        if not answer or not answer[0]:
            raise RuntimeError(f"clients worker did not answer {command['cmd']}")
        return json.loads(answer[0])

    def warm_up(self, servers: Servers) -> int:
        """Open and close one socket on each server, so that what the first
        connection loads is not counted against the idle sockets; then the
        servers' RSS."""
        self.call({"cmd": "warm"})
        time.sleep(1)
        return servers.rss_kb()

    def drain(self, expected: int, quiet_s: float = 3.0, limit_s: float = 60) -> dict:
        """The steady phase's figures once every expected delivery arrived, or
        nothing more arrived for `quiet_s`."""
        deadline = time.monotonic() + limit_s
        last_count, last_change = -1, time.monotonic()
        while True:
            report = self.call({"cmd": "report"})
            now = time.monotonic()
            if report["deliveries"] != last_count:
                last_count, last_change = report["deliveries"], now
            if (
                report["deliveries"] >= expected
                or now - last_change > quiet_s
                or now > deadline
            ):
                return report
            time.sleep(0.5)


@dataclass
class StreamState:
    last: int = 0
    applied: int = 0
    seen: int = 0  # the highest seq received, applied or not
    pending: bool = False


@dataclass
class Stats:
    measuring: bool = False
    measure_from: float = 0.0
    deliveries: int = 0
    latencies: list[float] = field(default_factory=list)
    first_sent: float | None = None
    last_received: float | None = None
    gaps: int = 0
    duplicates: int = 0
    reconnects: int = 0


class Client:
    """One WebSocket as the browser client uses it: subscribe with the last seq
    held, apply only the next seq, re-subscribe on a gap, drop duplicates."""

    def __init__(self, worker: ClientsWorker, index: int, spec: dict) -> None:
        self.worker = worker
        self.index = index
        self.cookie = spec["cookie"]
        self.streams = {stream: StreamState() for stream in spec["streams"]}
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.rng = random.Random(index)  # noqa: S311 - churn timing
        self.tasks: set[asyncio.Task] = set()

    async def connect(self, attempts: int = 8) -> None:
        """Connect, to its own server the first time and to any after."""
        from websockets.asyncio.client import connect

        worker = self.worker
        delay = 0.2
        for attempt in range(attempts):
            if self.ws is None and attempt == 0:
                url = worker.urls[self.index % len(worker.urls)]
            else:
                url = self.rng.choice(worker.urls)
            try:
                self.ws = await connect(
                    url,
                    origin=f"http://{HOST}",
                    additional_headers={"Cookie": self.cookie} if self.cookie else {},
                    compression="deflate" if worker.deflate else None,
                    open_timeout=30,
                    ping_interval=None,
                    close_timeout=2,
                    max_size=2**20,
                )
            except Exception:  # noqa: BLE001 - refused, timed out, closed: retry
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(delay + self.rng.random() * delay)
                delay = min(delay * 2, 3.0)
                continue
            extensions = self.ws.response.headers.get("Sec-WebSocket-Extensions", "")
            worker.deflate_used = worker.deflate_used or "deflate" in extensions
            self.reader = asyncio.create_task(self._read(self.ws))
            return

    async def subscribe(self, stream: str) -> None:
        state = self.streams[stream]
        state.pending = True
        frame = {"type": "subscribe", "stream": stream, "after": state.last or None}
        try:
            await self.ws.send(json.dumps(frame))
        except Exception:  # noqa: BLE001 - the socket went away: churn reconnects
            state.pending = False

    async def subscribe_all(self) -> None:
        for stream in self.streams:
            await self.subscribe(stream)

    async def drop(self) -> None:
        ws = self.ws
        if ws is None:
            return
        if self.rng.random() < 0.5:
            ws.transport.abort()
        else:
            await ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
        for state in self.streams.values():
            state.pending = False

    async def reconnect(self) -> None:
        await self.connect()
        self.worker.stats.reconnects += 1
        await self.subscribe_all()

    @property
    def open(self) -> bool:
        from websockets.protocol import State

        return self.ws is not None and self.ws.state is State.OPEN

    async def _read(self, ws) -> None:
        try:
            async for raw in ws:
                self._handle(json.loads(raw))
        except Exception:  # noqa: BLE001, S110 - a dropped socket ends its reader
            pass

    def _spawn(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _handle(self, frame: dict) -> None:
        kind = frame.get("type")
        state = self.streams.get(frame.get("stream"))
        if state is None:
            return
        stats = self.worker.stats
        if kind == "subscribed":
            state.pending = False
            if frame.get("truncated") or state.seen > state.last:
                self._spawn(self.subscribe(frame["stream"]))
            return
        if kind != "message":
            return
        seq = frame["seq"]
        state.seen = max(state.seen, seq)
        if seq <= state.last:
            stats.duplicates += 1
            return
        if seq > state.last + 1:
            stats.gaps += 1
            if not state.pending:
                self._spawn(self.subscribe(frame["stream"]))
            return
        state.last = seq
        state.applied += 1
        if stats.measuring:
            match = SENT_AT.search(frame.get("html", ""))
            if match and float(match.group(1)) >= stats.measure_from:
                now = time.time()
                sent = float(match.group(1))
                stats.deliveries += 1
                stats.latencies.append(now - sent)
                stats.first_sent = min(stats.first_sent or sent, sent)
                stats.last_received = now


class ClientsWorker:
    def __init__(self, config: dict) -> None:
        self.urls = config["urls"]
        self.deflate = config["deflate"]
        self.deflate_used = False
        self.stats = Stats()
        self.clients = [
            Client(self, index, spec) for index, spec in enumerate(config["clients"])
        ]
        self.churning: asyncio.Event | None = None
        self.churners: list[asyncio.Task] = []

    async def serve(self) -> None:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                return
            command = json.loads(line)
            handler = getattr(self, f"on_{command['cmd']}")
            answer = await handler(command)
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
            if command["cmd"] == "quit":
                return

    async def _in_batches(self, make, size: int = 50) -> None:
        for start in range(0, len(self.clients), size):
            await asyncio.gather(*(make(c) for c in self.clients[start : start + size]))

    async def _until_subscribed(self, limit_s: float = 60) -> int:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            pending = sum(
                state.pending for c in self.clients for state in c.streams.values()
            )
            if not pending:
                return 0
            await asyncio.sleep(0.05)
        return pending

    async def on_warm(self, command) -> dict:
        from websockets.asyncio.client import connect

        cookie = self.clients[0].cookie
        for url in self.urls:
            async with connect(
                url,
                origin=f"http://{HOST}",
                additional_headers={"Cookie": cookie} if cookie else {},
                compression="deflate" if self.deflate else None,
            ) as ws:
                await ws.send(json.dumps({"type": "ping"}))
                await ws.recv()
        return {}

    async def on_connect(self, command) -> dict:
        await self._in_batches(lambda client: client.connect())
        return {
            "connected": sum(client.open for client in self.clients),
            "deflate": self.deflate_used,
        }

    async def on_subscribe(self, command) -> dict:
        await self._in_batches(lambda client: client.subscribe_all())
        return {"pending": await self._until_subscribed()}

    async def on_measure(self, command) -> dict:
        self.stats = Stats(measuring=True, measure_from=time.time())
        return {}

    async def on_report(self, command) -> dict:
        stats = self.stats
        latencies = [latency * 1000 for latency in stats.latencies]
        elapsed = (
            stats.last_received - stats.first_sent
            if stats.first_sent and stats.last_received
            else 0
        )

        def rounded(value):
            return round(value, 1) if value is not None else None

        return {
            "deliveries": stats.deliveries,
            "per_s": round(stats.deliveries / elapsed, 1) if elapsed else None,
            "p50_ms": rounded(percentile(latencies, 0.5)),
            "p99_ms": rounded(percentile(latencies, 0.99)),
            "max_ms": rounded(max(latencies, default=None)),
            "gaps": stats.gaps,
            "duplicates": stats.duplicates,
        }

    async def on_churn(self, command) -> dict:
        self.stats.measuring = False
        self.stats.gaps = self.stats.duplicates = 0
        self.churning = asyncio.Event()
        interval = command["mean_interval"]
        self.churners = [
            asyncio.create_task(self._churn(client, interval, self.churning))
            for client in self.clients
        ]
        return {}

    async def _churn(self, client: Client, interval: float, stop: asyncio.Event):
        while not stop.is_set():
            try:
                await asyncio.wait_for(
                    stop.wait(), timeout=client.rng.expovariate(1 / interval)
                )
                return
            except TimeoutError:
                pass
            await client.drop()
            await asyncio.sleep(client.rng.uniform(0, 0.3))
            try:
                await client.reconnect()
            except Exception:  # noqa: BLE001, S112 - settle reconnects it
                continue

    async def on_settle(self, command) -> dict:
        self.churning.set()
        await asyncio.gather(*self.churners, return_exceptions=True)
        for client in self.clients:
            if not client.open:
                await client.reconnect()
        await self._in_batches(lambda client: client.subscribe_all())
        # Bounded well inside the orchestrator's wait: a client that never
        # catches up is reported (and counted lost), not waited for.
        pending = await self._until_subscribed(limit_s=60)
        # Anything re-subscribed on a gap while settling has answered too.
        await asyncio.sleep(0.5)
        pending += await self._until_subscribed(limit_s=20)
        return {
            "pending": pending,
            "held": [
                [client.index, stream, state.last, state.applied]
                for client in self.clients
                for stream, state in client.streams.items()
            ],
            "reconnects": self.stats.reconnects,
            "gaps": self.stats.gaps,
            "duplicates": self.stats.duplicates,
        }

    async def on_quit(self, command) -> dict:
        for client in self.clients:
            if client.ws is not None:
                await client.ws.close()
        return {}


if __name__ == "__main__":
    main()
