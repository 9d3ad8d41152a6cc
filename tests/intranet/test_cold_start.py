"""Loading the URL routes stays cheap, so a server's first request is not its slowest.

The first request makes Django import every view module; a heavy library imported
at the top of one of them is paid by whoever asks first (10 to 28 s for inflect on
a busy machine). These run in a fresh interpreter, since this one has long since
imported everything.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Seconds to import, each measured with `python -X importtime`: worth loading
# only when used.
HEAVY = ["inflect"]


def modules_after(tmp_path, code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "intranet.settings"
    env["SEARCH_PATH"] = str(tmp_path / "whoosh")
    result = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys; print('\\n'.join(sys.modules))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("module", HEAVY)
def test_loading_the_url_routes_does_not_import(tmp_path, module):
    loaded = modules_after(
        tmp_path,
        "import django; django.setup(); import django.urls; "
        "django.urls.get_resolver().url_patterns",
    )
    assert "profiles.views" in loaded
    assert module not in loaded


def test_the_asgi_application_loads_the_url_routes_before_it_serves(tmp_path):
    # Loaded at import, before daphne or uvicorn listens: the first request
    # does not wait for every view module, the search backend and the shell.
    loaded = modules_after(tmp_path, "import asgi")
    assert {"intranet.urls", "profiles.views", "search.backend"} <= loaded
