"""Cold start: a server's first request against its tenth.

    .venv/bin/python bench/cold_start.py              # daphne and uvicorn, 3 rounds
    .venv/bin/python bench/cold_start.py --servers daphne --rounds 5

For each ASGI server and each URL (the sign-in page, /healthz) it starts a fresh
server process on the embedded default (DEBUG on, SQLite, the in-memory channel
layer, the in-process search drainer), waits until the port accepts connections
without sending it a request, then times ten requests one after another, each on
a new connection. The first request is the one that loads the URL routes and
every view module; the tenth is the baseline. The scratch directory holds the
SQLite file (a `sqlite:///` DATABASE_URL, tuned like the embedded default's file)
and the Whoosh index, so the `var/` of a working checkout is left alone.

The last line printed is one JSON object: for each server and URL the median of
the rounds' time from starting the process to listening, its first and tenth
request in milliseconds and their ratio, and the machine's load average.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
URLS = {"sign-in": "/accounts/login/", "healthz": "/healthz"}
REQUESTS = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--servers", nargs="+", default=["daphne", "uvicorn"], choices=SERVERS
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cold-start-") as scratch_name:
        scratch = Path(scratch_name)
        env = environment(scratch)
        say("migrating a fresh database and building its search index")
        # What `make run` does before it serves; /healthz reports a missing index.
        for command in (["migrate", "--verbosity", "0"], ["search_index_ensure"]):
            subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        rounds: dict[str, dict[str, list[list[float]]]] = {
            kind: {name: [] for name in URLS} for kind in args.servers
        }
        # Servers and URLs in turn within each round, so that others' work on
        # a shared machine slows them alike.
        for number in range(1, args.rounds + 1):
            for kind in args.servers:
                for name, url in URLS.items():
                    start, timings = timed_requests(kind, url, env, scratch)
                    rounds[kind][name].append([start, *timings])
                    say(
                        f"round {number} {kind} {name}: listening after "
                        f"{start:.0f} ms, first request {timings[0]:.0f} ms, "
                        f"tenth {timings[-1]:.1f} ms"
                    )

    result = {"by_server": {}, "load_average": [round(x, 2) for x in os.getloadavg()]}
    for kind, by_url in rounds.items():
        result["by_server"][kind] = {}
        for name, runs in by_url.items():
            start = statistics.median(run[0] for run in runs)
            first = statistics.median(run[1] for run in runs)
            tenth = statistics.median(run[-1] for run in runs)
            result["by_server"][kind][name] = {
                "listening_after_ms": round(start),
                "first_ms": round(first, 1),
                "tenth_ms": round(tenth, 1),
                "ratio": round(first / tenth, 1),
                "first_ms_each_round": [round(run[1], 1) for run in runs],
            }
    print(json.dumps(result))


def environment(scratch: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DEBUG": "true",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": f"sqlite:///{scratch}/crossgov.sqlite3",
            "SEARCH_PATH": str(scratch / "whoosh"),
            "DJANGO_SETTINGS_MODULE": "intranet.settings",
        }
    )
    return env


SERVERS = {
    "daphne": lambda port: [str(BIN / "daphne"), "-b", HOST, "-p", str(port)],
    "uvicorn": lambda port: [
        str(BIN / "uvicorn"),
        "--host",
        HOST,
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--ws-per-message-deflate",
        "false",
        "--log-level",
        "warning",
    ],
}


def timed_requests(
    kind: str, url: str, env: dict, scratch: Path
) -> tuple[float, list[float]]:
    """How long the server took to listen, and each request's milliseconds."""
    port = free_port()
    log = scratch / f"{kind}.log"
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own venv's servers
            [*SERVERS[kind](port), "asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, log)
        start_ms = (time.perf_counter() - started) * 1000
        return start_ms, [request_ms(port, url) for _ in range(REQUESTS)]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Until the server listens; a TCP connect alone, so no request warms it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{log.name} exited:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{log.name} did not start:\n{log.read_text()[-3000:]}")


def request_ms(port: int, url: str) -> float:
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    start = time.perf_counter()
    connection.request("GET", url)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    if response.status != 200:
        sys.exit(f"GET {url} answered {response.status}")
    return elapsed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
