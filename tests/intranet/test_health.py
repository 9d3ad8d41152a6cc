import pytest
from django.db import OperationalError, connections
from whoosh import fields
from whoosh import index as whoosh_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(search_index_path):
    search_index_path.mkdir()
    whoosh_index.create_in(str(search_index_path), fields.Schema(id=fields.ID))
    return search_index_path


def test_healthy_when_everything_answers(client, search_index):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "search_index": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_needs_no_sign_in(client, search_index):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 302


def test_missing_search_index_is_reported(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["search_index"] == "missing"
    assert body["checks"]["database"] == "ok"


def test_corrupt_search_index_is_down(client, search_index):
    for toc in search_index.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not a whoosh table of contents")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["search_index"] == "down"


def test_unreachable_database_is_down(client, search_index, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


def test_unreachable_channel_layer_is_down(client, search_index, settings):
    # Nothing listens on port 1: the connection is refused at once.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"] == "down"
