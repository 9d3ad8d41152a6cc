"""The access history's sentences, from audit events as the services record them.

No database: `spaces.history` is pure, and these events are plain objects."""

from types import SimpleNamespace

import pytest

from spaces.history import entry, state_lines

PEOPLE = {
    "asha.patel": "Asha Patel",
    "ben.lee": "Ben Lee",
    "sam.jones": "Sam Jones",
}
DEPARTMENTS = {7: "Home Office"}


def sentence(action, details=None, actor="asha.patel"):
    return describe(action, details, actor).sentence


def describe(action, details=None, actor="asha.patel"):
    event = SimpleNamespace(action=action, actor_label=actor, details=details or {})
    return entry(event, PEOPLE, DEPARTMENTS)


@pytest.mark.parametrize(
    ("action", "details", "expected"),
    [
        (
            "space.membership.role",
            {
                "user": "ben.lee",
                "how": "set",
                "before": {"role": "member"},
                "after": {"role": "moderator"},
            },
            "Asha Patel changed Ben Lee’s role from member to moderator",
        ),
        (
            "space.membership.role",
            {
                "user": "asha.patel",
                "how": "transfer",
                "before": {"role": "owner"},
                "after": {"role": "moderator"},
            },
            "Asha Patel changed their own role from owner to moderator, "
            "handing over ownership",
        ),
        (
            "space.grant.create",
            {"department": 7, "name": "Home Office", "after": {"role": "member"}},
            "Asha Patel granted the Home Office department the member role",
        ),
        (
            "space.grant.revoke",
            {"team": 3, "name": "Data science", "before": {"role": "guest"}},
            "Asha Patel took away the guest role of the Data science team",
        ),
        (
            "space.join_request.declined",
            {"user": "sam.jones", "reason": "The space is for the project board"},
            "Asha Patel declined Sam Jones’s request to join: "
            "The space is for the project board",
        ),
        (
            "space.join_request.approved",
            {"user": "sam.jones", "reason": ""},
            "Asha Patel approved Sam Jones’s request to join",
        ),
        (
            "space.membership.add",
            {"user": "ben.lee", "how": "join", "after": {"role": "member"}},
            "Ben Lee joined as member",
        ),
        (
            "space.membership.add",
            {"user": "sam.jones", "how": "request", "after": {"role": "member"}},
            "Asha Patel added Sam Jones as member, approving their request to join",
        ),
        (
            "space.membership.add",
            {"user": "ben.lee", "how": "invitation", "after": {"role": "guest"}},
            "Ben Lee accepted an invitation and joined as guest",
        ),
        (
            "space.membership.remove",
            {"user": "ben.lee", "how": "removed", "before": {"role": "member"}},
            "Asha Patel removed Ben Lee (was member)",
        ),
        (
            "space.membership.remove",
            {"user": "ben.lee", "how": "leave", "before": {"role": "member"}},
            "Ben Lee left the space",
        ),
        (
            "space.invitation.create",
            {"invitee": "ben.lee", "role": "guest"},
            "Asha Patel invited Ben Lee to join as guest",
        ),
        (
            "space.invitation.accepted",
            {"invitee": "ben.lee"},
            "Ben Lee accepted their invitation",
        ),
        ("space.create", {}, "Asha Patel created the space"),
        ("space.archive", {}, "Asha Patel archived the space"),
        ("space.unarchive", {}, "Asha Patel restored the space from the archive"),
        (
            "space.update",
            {
                "before": {"name": "Old", "visibility": "open"},
                "after": {"name": "New", "visibility": "private"},
            },
            "Asha Patel changed the space’s name and who can see it",
        ),
    ],
)
def test_each_change_reads_as_a_sentence(action, details, expected):
    assert sentence(action, details) == expected


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        (
            {"attempt": "membership.role", "user": "ben.lee", "role": "owner"},
            "Refused: Ben Lee tried to change Ben Lee’s role to owner",
        ),
        (
            {"attempt": "membership.role", "user": "ben.lee", "role": "emperor"},
            "Refused: Ben Lee tried to change Ben Lee’s role to ‘emperor’",
        ),
        (
            {"attempt": "grant.create", "role": "owner"},
            "Refused: Ben Lee tried to give a department or team the owner role",
        ),
        (
            {"attempt": "invitation.create", "invitee": "sam.jones"},
            "Refused: Ben Lee tried to invite Sam Jones",
        ),
        (
            {"attempt": "update", "fields": ["slug", "visibility"]},
            "Refused: Ben Lee tried to change the space’s web address and who can "
            "see it",
        ),
        (
            {"attempt": "ownership.transfer", "to": "ben.lee"},
            "Refused: Ben Lee tried to hand ownership to Ben Lee",
        ),
        (
            {"attempt": "something.new"},
            "Refused: Ben Lee tried to do something not allowed (something.new)",
        ),
    ],
)
def test_a_refused_attempt_says_what_was_tried(details, expected):
    assert sentence("space.denied", details, actor="ben.lee") == expected


def test_unknown_people_and_the_system_are_named_plainly():
    assert sentence("space.archive", actor="system") == "The system archived the space"
    assert (
        sentence("space.membership.remove", {"user": "gone.person", "how": "leave"})
        == "gone.person left the space"
    )
    assert sentence("space.archive", actor="x.y") == "x.y archived the space"


def test_an_action_with_no_sentence_still_says_who_did_what():
    assert sentence("space.thread.lock") == "Asha Patel: space.thread.lock"


def test_malformed_details_do_not_break_the_page():
    assert (
        sentence("space.membership.role", {"user": 42, "before": "x", "after": None})
        == "Asha Patel changed someone’s role from no role to no role"
    )
    assert describe("space.update", ["not", "a", "dict"]).before == []


def test_before_and_after_states_are_readable():
    found = describe(
        "space.update",
        {
            "before": {"department": 7, "archived": False, "visibility": "open"},
            "after": {"department": 99, "archived": True, "visibility": "private"},
        },
    )
    assert found.before == [
        "Owning department: Home Office",
        "Archived: no",
        "Who can see it: Open",
    ]
    assert found.after == [
        "Owning department: department 99",
        "Archived: yes",
        "Who can see it: Private",
    ]


def test_a_long_description_is_cut_short_and_nothing_reads_as_none():
    lines = state_lines({"description": "x" * 500, "slug": ""}, {})
    assert lines[0] == "Description: " + "x" * 79 + "…"
    assert lines[1] == "Web address: none"
    assert state_lines(None, {}) == []
