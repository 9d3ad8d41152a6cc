import pytest

from intranet.notifications import (
    notification_send,
    notifications_for,
    notifications_mark_read,
    unread_count,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    return (
        django_user_model.objects.create_user("ann"),
        django_user_model.objects.create_user("bob"),
    )


def test_send_and_count(people):
    ann, bob = people
    notification_send(recipient=ann, kind="profile.edited", text="Bob edited")
    notification_send(recipient=ann, kind="profile.edited", text="x" * 600, url="/p/")
    assert unread_count(ann) == 2
    assert unread_count(bob) == 0
    newest = notifications_for(ann).first()
    assert len(newest.text) == 500
    assert newest.url == "/p/"


def test_mark_read_touches_only_the_reader(people):
    ann, bob = people
    notification_send(recipient=ann, kind="k", text="for ann")
    notification_send(recipient=bob, kind="k", text="for bob")
    assert notifications_mark_read(user=ann) == 1
    assert unread_count(ann) == 0
    assert unread_count(bob) == 1
    assert notifications_mark_read(user=ann) == 0
