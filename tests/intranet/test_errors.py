import json

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from intranet.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServiceError,
    json_error,
    raise_refusal,
)
from intranet.forms import ServiceErrorsMixin
from profiles import errors as profile_errors
from spaces import errors as space_errors

KINDS = [
    (Invalid, 400, "invalid"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (RateLimited, 429, "rate_limited"),
]


@pytest.mark.parametrize(("kind", "status", "code"), KINDS)
def test_each_kind_carries_its_status_and_code(kind, status, code):
    error = kind("Why not", field="name")
    assert isinstance(error, ServiceError)
    assert (error.status, error.code) == (status, code)
    assert (error.message, error.field, str(error)) == ("Why not", "name", "Why not")


@pytest.mark.parametrize(("kind", "status", "code"), KINDS)
def test_a_refusal_answers_json_with_its_kind(kind, status, code):
    response = json_error(kind("Why not"))
    assert response.status_code == status
    assert json.loads(response.content) == {
        "error": {"code": code, "detail": "Why not"}
    }


@pytest.mark.parametrize(
    ("app_kind", "base", "kind"),
    [
        (space_errors.SpaceInvalid, space_errors.SpaceError, Invalid),
        (space_errors.SpaceForbidden, space_errors.SpaceError, Forbidden),
        (space_errors.SpaceNotFound, space_errors.SpaceError, NotFound),
        (space_errors.SpaceConflict, space_errors.SpaceError, Conflict),
        (space_errors.SpaceRateLimited, space_errors.SpaceError, RateLimited),
        (profile_errors.ProfileInvalid, profile_errors.ProfileError, Invalid),
        (profile_errors.ProfileForbidden, profile_errors.ProfileError, Forbidden),
        (profile_errors.ProfileNotFound, profile_errors.ProfileError, NotFound),
        (profile_errors.ProfileConflict, profile_errors.ProfileError, Conflict),
        (profile_errors.ProfileRateLimited, profile_errors.ProfileError, RateLimited),
    ],
)
def test_an_apps_kinds_are_its_error_and_the_core_kind(app_kind, base, kind):
    error = app_kind("Why not")
    assert isinstance(error, base)
    assert isinstance(error, kind)
    assert (error.status, error.code) == (kind.status, kind.code)


def test_a_forbidden_refusal_is_a_403_and_a_missing_thing_a_404():
    with pytest.raises(PermissionDenied, match="Not yours"):
        raise_refusal(Forbidden("Not yours"))
    with pytest.raises(Http404, match="No such thing"):
        raise_refusal(NotFound("No such thing"))


@pytest.mark.parametrize("kind", [Invalid, Conflict, RateLimited, ServiceError])
def test_any_other_refusal_is_left_for_the_form(kind):
    assert raise_refusal(kind("Try again")) is None


class NameForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField()
    role = forms.CharField(required=False)


class RoleRowForm(NameForm):
    fallback_field = "role"


def _form(kind=NameForm):
    form = kind({"name": "Procurement", "role": ""})
    assert form.is_valid()
    return form


def test_the_mixin_puts_a_refusal_next_to_the_field_it_names():
    form = _form()
    form.add_service_error(Invalid("That name is taken", field="name"))
    assert form.errors == {"name": ["That name is taken"]}
    assert form.non_field_errors() == []


@pytest.mark.parametrize("field", [None, "not_on_this_form"])
def test_the_mixin_puts_a_refusal_with_no_field_here_above_the_form(field):
    form = _form()
    form.add_service_error(Conflict("Already decided", field=field))
    assert form.non_field_errors() == ["Already decided"]
    assert "name" not in form.errors


def test_a_form_with_a_fallback_field_shows_a_refusal_there():
    form = _form(RoleRowForm)
    form.add_service_error(Forbidden("Only owners can do this"))
    assert form.errors == {"role": ["Only owners can do this"]}
    named = _form(RoleRowForm)
    named.add_service_error(Invalid("Enter a name", field="name"))
    assert named.errors == {"name": ["Enter a name"]}
