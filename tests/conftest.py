import pytest


@pytest.fixture(autouse=True)
def search_index_path(settings, tmp_path):
    """Each test gets its own empty Whoosh directory, never the developer's var/."""
    path = tmp_path / "whoosh"
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(path),
        }
    }
    return path
