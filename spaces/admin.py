"""Spaces in the Django admin: for IT admins to look things up, never to change.

Every change of a space, a membership, a grant, a request or an invitation goes
through `spaces.services` from Crossgov's own pages, which keep the guardian
permissions in step with the rows, write the audit log, queue the search index
and notify the people concerned. An admin form would do none of that.
"""

from django.contrib import admin

from intranet.admin import ViewOnlyAdmin
from spaces.models import Invitation, JoinRequest, Space, SpaceGrant, SpaceMembership


@admin.register(Space)
class SpaceAdmin(ViewOnlyAdmin):
    list_display = [
        "name",
        "slug",
        "department",
        "visibility",
        "archived",
        "created_at",
    ]
    list_filter = ["visibility", "archived", "default_marking", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "slug"]
    date_hierarchy = "created_at"


@admin.register(SpaceMembership)
class SpaceMembershipAdmin(ViewOnlyAdmin):
    list_display = ["user", "space", "role", "joined_at"]
    list_filter = ["role", "space__visibility"]
    list_select_related = ["user", "space"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "space__name",
    ]


@admin.register(SpaceGrant)
class SpaceGrantAdmin(ViewOnlyAdmin):
    list_display = ["space", "department", "team", "role", "granted_by", "created_at"]
    list_filter = ["role", "space__visibility"]
    list_select_related = ["space", "department", "team", "granted_by"]
    search_fields = [
        "space__name",
        "department__name",
        "department__acronym",
        "team__name",
    ]


@admin.register(JoinRequest)
class JoinRequestAdmin(ViewOnlyAdmin):
    list_display = ["user", "space", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "space", "decided_by"]
    search_fields = ["user__username", "space__name"]


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyAdmin):
    list_display = ["invitee", "space", "role", "status", "invited_by", "created_at"]
    list_filter = ["status", "role"]
    list_select_related = ["invitee", "space", "invited_by"]
    search_fields = ["invitee__username", "space__name"]
