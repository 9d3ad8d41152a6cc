"""The session engine stores each session with its account, so one person's
sessions can be ended without reading anyone else's."""

import pytest
from django.test import Client
from django.urls import reverse

from intranet.models import AccountSession
from intranet.sessions import SessionStore, sessions_end
from tests.profiles.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    return client


def _signed_out(client) -> bool:
    answer = client.get(HOME)
    return answer.status_code == 302 and answer.url.startswith(reverse("login"))


def test_a_session_is_stored_with_the_account_signed_in_to_it():
    user = UserFactory()
    client = _signed_in(user)
    stored = AccountSession.objects.get(session_key=client.session.session_key)
    assert stored.user_id == user.pk


def test_an_anonymous_session_has_no_account():
    session = SessionStore()
    session["seen"] = True
    session.create()
    assert AccountSession.objects.get(session_key=session.session_key).user is None


def test_a_cycled_session_key_keeps_its_account():
    # Django cycles the key at sign-in and when a password is changed.
    user = UserFactory()
    session = SessionStore(_signed_in(user).session.session_key)
    old_key = session.session_key
    session.cycle_key()
    assert session.session_key != old_key
    stored = AccountSession.objects.get(session_key=session.session_key)
    assert stored.user_id == user.pk


def test_ending_an_account_s_sessions_signs_out_every_browser_it_is_in():
    user, other = UserFactory(), UserFactory()
    laptop, phone, others = _signed_in(user), _signed_in(user), _signed_in(other)

    assert sessions_end(user_id=user.pk) == 2

    assert _signed_out(laptop)
    assert _signed_out(phone)
    assert others.get(HOME).status_code == 200
