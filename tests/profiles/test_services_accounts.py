"""Deactivating an account: signed out everywhere, live sockets closed, out of
every grant that follows a department or team, on the record. Or, when refused,
nothing at all."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client

from asgi import application
from intranet.live.consumer import CLOSE_DEACTIVATED, CLOSE_UNAUTHENTICATED
from intranet.models import AccountSession, AuditEvent
from profiles.errors import ProfileConflict, ProfileError, ProfileForbidden
from profiles.services.accounts import (
    REASON_MAX_LENGTH,
    account_deactivate,
    account_reactivate,
)
from search import access
from spaces.groups import group_for_department
from tests.profiles.factories import ProfileFactory, UserFactory

HOME = "/"
# asgi.py's Origin check allows localhost in the test settings (DEBUG).
ORIGIN = (b"origin", b"http://localhost:8000")


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    # The in-memory layer keeps groups between tests otherwise.
    channel_layers.backends.clear()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    return client


def _events(action):
    return list(AuditEvent.objects.filter(action=action))


@pytest.mark.django_db
class TestDeactivate:
    def test_the_account_is_inactive_and_on_the_record_with_its_reason(self):
        admin, leaver = UserFactory(it_admin=True), UserFactory()
        account_deactivate(
            actor=admin, user=leaver, reason=" Left HMRC ", ip_address="10.0.0.7"
        )

        leaver.refresh_from_db()
        assert not leaver.is_active
        [event] = _events("account.deactivate")
        assert (event.actor, event.target_id, event.ip_address) == (
            admin,
            str(leaver.pk),
            "10.0.0.7",
        )
        assert event.details == {
            "before": {"is_active": True},
            "after": {"is_active": False},
            "reason": "Left HMRC",
            "sessions_ended": 0,
        }

    def test_every_session_of_the_account_ends_and_stays_ended(self):
        admin, leaver, colleague = (
            UserFactory(it_admin=True),
            *UserFactory.create_batch(2),
        )
        laptop, phone = _signed_in(leaver), _signed_in(leaver)
        theirs = _signed_in(colleague)

        account_deactivate(actor=admin, user=leaver)

        assert not AccountSession.objects.filter(user=leaver).exists()
        assert _events("account.deactivate")[0].details["sessions_ended"] == 2
        # Back from a mistake, the account does not bring the old browsers back.
        account_reactivate(actor=admin, user=leaver)
        for client in (laptop, phone):
            assert client.get(HOME).status_code == 302
        assert theirs.get(HOME).status_code == 200

    def test_grants_through_the_department_and_cached_audiences_go(self):
        admin = UserFactory(it_admin=True)
        leaver = ProfileFactory().user
        group = group_for_department(leaver.profile.department)
        assert group.user_set.filter(pk=leaver.pk).exists()
        generation = access.generation()

        account_deactivate(actor=admin, user=leaver)

        assert not group.user_set.filter(pk=leaver.pk).exists()
        assert access.generation() != generation

    @pytest.mark.parametrize(
        ("case", "error"),
        [
            ("not an IT admin", ProfileForbidden),
            ("own account", ProfileForbidden),
            ("already deactivated", ProfileConflict),
        ],
    )
    def test_a_refused_deactivation_changes_nothing(self, case, error):
        admin = UserFactory(it_admin=True)
        target = admin if case == "own account" else UserFactory()
        actor = UserFactory() if case == "not an IT admin" else admin
        if case == "already deactivated":
            account_deactivate(actor=admin, user=target)
        client = _signed_in(target) if target.is_active else None
        events = AuditEvent.objects.count()

        with pytest.raises(error) as refused:
            account_deactivate(actor=actor, user=target)

        assert type(refused.value) is error
        assert AuditEvent.objects.count() == events
        if client is not None:
            assert client.get(HOME).status_code == 200
            target.refresh_from_db()
            assert target.is_active

    def test_a_reason_too_long_is_refused(self):
        admin, leaver = UserFactory(it_admin=True), UserFactory()
        with pytest.raises(ProfileError) as refused:
            account_deactivate(
                actor=admin, user=leaver, reason="x" * (REASON_MAX_LENGTH + 1)
            )
        assert refused.value.field == "reason"
        leaver.refresh_from_db()
        assert leaver.is_active


@pytest.mark.django_db
class TestReactivate:
    def test_a_leaver_is_current_again_on_the_record(self):
        admin = UserFactory(it_admin=True)
        leaver = ProfileFactory().user
        account_deactivate(actor=admin, user=leaver)

        account_reactivate(actor=admin, user=leaver, reason="Came back")

        leaver.refresh_from_db()
        assert leaver.is_active
        assert group_for_department(leaver.profile.department).user_set.filter(
            pk=leaver.pk
        )
        [event] = _events("account.reactivate")
        assert event.details["reason"] == "Came back"

    def test_only_an_it_admin_may_and_only_a_leaver(self):
        admin, leaver = UserFactory(it_admin=True), UserFactory()
        with pytest.raises(ProfileError):
            account_reactivate(actor=admin, user=leaver)
        account_deactivate(actor=admin, user=leaver)
        with pytest.raises(ProfileForbidden):
            account_reactivate(actor=UserFactory(), user=leaver)
        leaver.refresh_from_db()
        assert not leaver.is_active


# Live sockets -------------------------------------------------------------------


@sync_to_async
def _cookie(user) -> tuple[bytes, bytes]:
    return (
        b"cookie",
        f"sessionid={_signed_in(user).cookies['sessionid'].value}".encode(),
    )


async def _open(cookie) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/live/", [ORIGIN, cookie])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_deactivating_closes_every_open_socket_of_the_account_and_no_other():
    admin, leaver, colleague = await sync_to_async(
        lambda: (UserFactory(it_admin=True), UserFactory(), UserFactory())
    )()
    cookie = await _cookie(leaver)
    tabs = [await _open(cookie), await _open(await _cookie(leaver))]
    theirs = await _open(await _cookie(colleague))

    await sync_to_async(account_deactivate)(actor=admin, user=leaver)

    for tab in tabs:
        assert await tab.receive_output(2) == {
            "type": "websocket.close",
            "code": CLOSE_DEACTIVATED,
        }
    await theirs.send_json_to({"type": "ping"})
    assert (await theirs.receive_json_from(2))["type"] == "pong"
    await theirs.disconnect()
    # The tab reconnecting with its cookie finds the session ended.
    again = await _open(cookie)
    assert await again.receive_output(2) == {
        "type": "websocket.close",
        "code": CLOSE_UNAUTHENTICATED,
    }


@pytest.mark.django_db(transaction=True)
async def test_a_refused_deactivation_leaves_the_sockets_open():
    leaver = await sync_to_async(UserFactory)()
    tab = await _open(await _cookie(leaver))

    with pytest.raises(ProfileForbidden):
        await sync_to_async(account_deactivate)(actor=leaver, user=leaver)

    assert await tab.receive_nothing(0.3)
    await tab.disconnect()
