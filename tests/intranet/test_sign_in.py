import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/people/", "/spaces/", "/blogs/", "/search/?q=tax"]


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        "sam.jones", password="a-long-test-password", first_name="Sam"
    )


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_a_signed_in_user(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_member_reaches_pages(client, member, path):
    client.force_login(member)
    assert client.get(path).status_code == 200


def test_sign_in_and_out(client, member):
    response = client.post(
        reverse("login"),
        {"username": "sam.jones", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200

    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client, member):
    response = client.post(
        reverse("login"), {"username": "sam.jones", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deactivated_user_loses_access_at_once(client, member):
    client.force_login(member)
    assert client.get("/").status_code == 200
    member.is_active = False
    member.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_deactivated_user_cannot_sign_in(client, member):
    member.is_active = False
    member.save()
    client.post(
        reverse("login"),
        {"username": "sam.jones", "password": "a-long-test-password"},
    )
    assert "_auth_user_id" not in client.session


def test_accessibility_statement_is_public(client):
    assert client.get(reverse("accessibility")).status_code == 200
