"""Memory that profile photos and large request bodies cost a server process (Linux).

    .venv/bin/python bench/upload_memory.py photos      # decoding profile photos
    .venv/bin/python bench/upload_memory.py requests    # bodies sent to a server
    .venv/bin/python bench/upload_memory.py             # both

`photos`: each case runs `profiles.services.photos.photo_validate_and_process` in
a fresh interpreter on a file made beforehand (so making it costs nothing here).
The interpreter imports Django, reads the file, resets its peak resident memory
(`/proc/self/clear_refs`), notes its resident memory, processes the photo (in
several threads at once for the concurrent cases) and reads the peak (`VmHWM`).
The figure is peak minus before: what Pillow's C buffers cost too, which
tracemalloc does not see. The baseline, in another fresh interpreter, is bare
Pillow decoding the same file the same number of times at once
(`Image.open(...).load()`): what the file costs anyone who decodes it.

`requests`: starts daphne and uvicorn on the embedded default (SQLite file and
Whoosh index in a scratch directory, seeded with the demo organisation), gets a
CSRF cookie (and, for the photo uploads, signs in as `demo`), resets the server's
peak, sends one large body over a raw socket while reading the answer on the same
socket, and reads the server's peak. It reports the answer's status, how much of
the body the server took before answering, and the peak's growth. The baseline is
the same server running a bare ASGI app that reads the body and throws it away
(`bare_app` below): what taking that body costs the server itself. Each request
gets a fresh server, since a peak left by one body would hide the next.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cold_start import (  # noqa: E402 - the same server set-up
    HOST,
    ROOT,
    SERVERS,
    environment,
    free_port,
    say,
    wait_for_port,
)

MiB = 1024 * 1024
DEMO_USER = ("demo", "crossgov-demo")
BARE_APP = "bench.upload_memory:bare_app"

# name: (format, content, size, threads). "flat" is one colour: a few hundred
# kilobytes for 49 megapixels, as the outside probe's PNG was, and the most
# pixels a file under 5 MB can hold; "clear" is one colour, transparent, which
# costs the most to decode; "photo" is smooth content, as a camera's photo has.
# The "largest" are the most pixels each format may have (photos.MAX_PIXELS).
PHOTOS = {
    "bomb: 7000×7000 flat PNG": ("PNG", "flat", (7000, 7000), 1),
    "phone photo: 4032×3024 JPEG": ("JPEG", "photo", (4032, 3024), 1),
    "recent iPhone: 5712×4284 JPEG": ("JPEG", "photo", (5712, 4284), 1),
    "largest JPEG: 5000×5000": ("JPEG", "photo", (5000, 5000), 1),
    "largest PNG: 4000×3000 transparent": ("PNG", "clear", (4000, 3000), 1),
    "largest GIF: 4000×3000 transparent": ("GIF", "clear", (4000, 3000), 1),
    "largest WebP: 3000×2000": ("WEBP", "photo", (3000, 2000), 1),
    "six bombs at once: 7000×7000 flat PNG": ("PNG", "flat", (7000, 7000), 6),
    "six at once: largest PNG, 4000×3000 transparent": (
        "PNG",
        "clear",
        (4000, 3000),
        6,
    ),
}

# name: (path, bytes of body, how the body is framed, signed in)
REQUESTS = {
    "50 MB sign-in POST": ("/accounts/login/", 50_000_000, "urlencoded", False),
    "50 MB sign-in POST, chunked": ("/accounts/login/", 50_000_000, "chunked", False),
    "100 MB photo upload": ("/people/demo/photo/", 100_000_000, "multipart", True),
    "6 MB photo upload": ("/people/demo/photo/", 6_000_000, "multipart", True),
}
# What the photo form answers a file over its own limit with.
PHOTO_FORM_ERROR = b"The photo must be smaller than 5 MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "part", nargs="?", choices=["photos", "requests", "both"], default="both"
    )
    parser.add_argument(
        "--servers", nargs="+", default=["daphne", "uvicorn"], choices=SERVERS
    )
    args = parser.parse_args()
    result = {}
    with tempfile.TemporaryDirectory(prefix="upload-memory-") as scratch_name:
        scratch = Path(scratch_name)
        if args.part in {"photos", "both"}:
            result["photos"] = measure_photos(scratch)
        if args.part in {"requests", "both"}:
            result["requests"] = measure_requests(scratch, args.servers)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False))


# Photos ------------------------------------------------------------------------


def measure_photos(scratch: Path) -> dict:
    figures = {}
    for name, (fmt, content, size, threads) in PHOTOS.items():
        path = scratch / f"photo.{fmt.lower()}"
        path.write_bytes(make_photo(fmt, content, size))
        ours = photo_in_a_fresh_interpreter(scratch, "ours", path, threads)
        bare = photo_in_a_fresh_interpreter(scratch, "bare", path, threads)
        figure = {
            "file_kb": round(path.stat().st_size / 1024),
            **ours,
            "bare_pillow_peak_added_mib": bare["peak_added_mib"],
            "ratio": round(ours["peak_added_mib"] / bare["peak_added_mib"], 2),
        }
        figures[name] = figure
        say(f"{name}: {figure}")
    return figures


def make_photo(fmt: str, content: str, size: tuple[int, int]) -> bytes:
    from PIL import Image

    if content == "flat":
        image = Image.new("RGB", size, "teal")
    elif content == "clear":
        image = Image.new("RGBA", size, (0, 128, 128, 0))
    else:
        # A small random picture scaled up: smooth, as a photo is, so that it
        # compresses as a photo does rather than as noise or a flat colour.
        small = (size[0] // 64, size[1] // 64)
        image = Image.merge(
            "RGB", [Image.effect_noise(small, 64 + 16 * band) for band in range(3)]
        ).resize(size, Image.Resampling.BICUBIC)
    output = BytesIO()
    options = {"quality": 90} if fmt in {"JPEG", "WEBP"} else {}
    image.save(output, format=fmt, **options)
    return output.getvalue()


def photo_in_a_fresh_interpreter(
    scratch: Path, which: str, path: Path, threads: int
) -> dict:
    child = subprocess.run(  # noqa: S603 - this script, in a fresh interpreter
        [sys.executable, __file__, "_photo", which, str(path), str(threads)],
        cwd=ROOT,
        env=environment(scratch),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.splitlines()[-1])


def photo_child(which: str, path: str, threads: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from profiles.errors import ProfileError
    from profiles.services.photos import photo_validate_and_process

    data = Path(path).read_bytes()
    outcomes = []

    def ours() -> None:
        try:
            photo_validate_and_process(SimpleUploadedFile("me", data))
            outcomes.append("accepted")
        except ProfileError as error:
            outcomes.append(f"refused: {error.message}")

    def bare() -> None:
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(BytesIO(data)) as image:
            image.load()
        outcomes.append("decoded")

    before = reset_peak("self")
    start = time.perf_counter()
    target = ours if which == "ours" else bare
    workers = [threading.Thread(target=target) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "outcome": sorted(set(outcomes)),
                "peak_added_mib": round((peak("self") - before) / MiB, 1),
                "seconds": round(seconds, 2),
            },
            ensure_ascii=False,
        )
    )


# Request bodies ----------------------------------------------------------------


async def bare_app(scope, receive, send) -> None:
    """The baseline: an ASGI app that reads the whole body and throws it away."""
    if scope["type"] != "http":
        return
    taken = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        taken += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": f"read {taken}\n".encode()})


def measure_requests(scratch: Path, servers: list[str]) -> dict:
    env = environment(scratch)
    for command in (
        ["migrate", "--verbosity", "0"],
        ["seed_demo", "--people", "20", "--messages", "0", "--no-progress"],
        ["search_index_ensure"],
    ):
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    figures: dict[str, dict] = {}
    for kind in servers:
        figures[kind] = {}
        for name, (path, size, framing, signed_in) in REQUESTS.items():
            ours = one_request_on_a_fresh_server(
                kind, "asgi:application", env, scratch, path, size, framing, signed_in
            )
            bare = one_request_on_a_fresh_server(
                kind, BARE_APP, env, scratch, path, size, framing, False
            )
            figure = {
                **ours,
                "bare_app_peak_added_mib": bare["peak_added_mib"],
                "ratio": round(
                    ours["peak_added_mib"] / max(bare["peak_added_mib"], 0.1), 2
                ),
            }
            figures[kind][name] = figure
            say(f"{kind} {name}: {figure}")
    return figures


def one_request_on_a_fresh_server(
    kind: str,
    app: str,
    env: dict,
    scratch: Path,
    path: str,
    size: int,
    framing: str,
    signed_in: bool,
) -> dict:
    port = free_port()
    log = scratch / f"{kind}.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own venv's servers
            [*SERVERS[kind](port), app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, log)
        cookies = sign_in(port) if signed_in else csrf_cookie(port)
        before = reset_peak(str(process.pid))
        start = time.perf_counter()
        status, sent, answer = send_body(port, path, size, framing, cookies)
        seconds = time.perf_counter() - start
        time.sleep(0.5)  # let the server finish with what it was given
        figure = {
            "status": status,
            "body_mb_sent_before_answer": round(sent / 1_000_000, 1),
            "peak_added_mib": round((peak(str(process.pid)) - before) / MiB, 1),
            "seconds": round(seconds, 2),
        }
        if status == 413:
            figure["answer"] = answer.split(b"\r\n\r\n", 1)[-1].decode()[:200]
        elif PHOTO_FORM_ERROR in answer:
            figure["answer"] = PHOTO_FORM_ERROR.decode()
        return figure
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def csrf_cookie(port: int) -> dict[str, str]:
    """The cookies a stranger gets from the sign-in page (the bare app sets none)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    response.read()
    cookies = _cookies(response)
    connection.close()
    return cookies


def sign_in(port: int) -> dict[str, str]:
    cookies = csrf_cookie(port)
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    username, password = DEMO_USER
    connection.request(
        "POST",
        "/accounts/login/",
        body=urlencode(
            {
                "csrfmiddlewaretoken": cookies["csrftoken"],
                "username": username,
                "password": password,
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": _cookie_header(cookies),
        },
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        sys.exit(f"signing in as {username} answered {response.status}")
    cookies.update(_cookies(response))
    connection.close()
    return cookies


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def send_body(
    port: int, path: str, size: int, framing: str, cookies: dict[str, str]
) -> tuple[int, int, bytes]:
    """(status, bytes of body sent when the answer came, the answer)."""
    chunk = b"a" * 65536
    boundary = "crossgovbenchboundary"
    token = cookies.get("csrftoken", "")
    headers = [f"Host: {HOST}", "Connection: close"]
    if cookies:
        headers.append(f"Cookie: {_cookie_header(cookies)}")
    if framing == "multipart":
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n"
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="photo"; filename="big.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        headers.append(f"Content-Type: multipart/form-data; boundary={boundary}")
    else:
        head = f"csrfmiddlewaretoken={token}&username=demo&password=".encode()
        tail = b""
        headers.append("Content-Type: application/x-www-form-urlencoded")
    total = len(head) + size + len(tail)
    if framing == "chunked":
        headers.append("Transfer-Encoding: chunked")
    else:
        headers.append(f"Content-Length: {total}")
    sock = socket.create_connection((HOST, port), timeout=120)
    request_head = f"POST {path} HTTP/1.1\r\n" + "\r\n".join(headers)
    sock.sendall(request_head.encode() + b"\r\n\r\n")
    sent = 0
    answered = threading.Event()

    def write(data: bytes) -> None:
        if framing == "chunked":
            sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        else:
            sock.sendall(data)

    def sender() -> None:
        nonlocal sent
        try:
            write(head)
            left = size
            while left > 0 and not answered.is_set():
                piece = chunk[: min(left, len(chunk))]
                write(piece)
                sent += len(piece)
                left -= len(piece)
            if not answered.is_set():
                write(tail)
                if framing == "chunked":
                    sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and hung up

    thread = threading.Thread(target=sender)
    thread.start()
    reader = sock.makefile("rb")
    try:
        status_line = reader.readline()
    except OSError:
        status_line = b""
    answered.set()
    sent_at_answer = sent
    try:
        answer = status_line + reader.read(1_000_000)
    except OSError:
        answer = status_line
    thread.join()
    sock.close()
    match = re.match(rb"HTTP/1\.[01] (\d{3})", status_line)
    return (int(match.group(1)) if match else 0), sent_at_answer, answer


# Peak memory -------------------------------------------------------------------


def reset_peak(pid: str) -> int:
    """Reset the process's peak resident memory; its resident memory now."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status(pid, "VmRSS")


def peak(pid: str) -> int:
    return _status(pid, "VmHWM")


def _status(pid: str, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", text).group(1)) * 1024


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "_photo":
        photo_child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
