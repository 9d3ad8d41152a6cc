from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from profiles.models import (
    CorrectionSuggestion,
    Department,
    Grade,
    Location,
    Profession,
    Profile,
    Skill,
    Team,
    User,
)
from profiles.selectors.access import is_it_admin
from profiles.services.reference import reference_save

admin.site.register(User, UserAdmin)


class ViewOnlyAdmin(admin.ModelAdmin):
    """Listed for IT admins to look things up, but changed only in Crossgov's own
    pages: their services check the rules (no team loops, no management loops),
    audit each change field by field and notify the people concerned."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceListAdmin(admin.ModelAdmin):
    """The organisation's lists, kept here by IT admins; saving goes through
    `reference_save`, which audits the change and queues the search documents
    that show the old name."""

    def has_add_permission(self, request):
        return is_it_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_it_admin(request.user)

    def save_model(self, request, obj, form, change):
        reference_save(
            actor=request.user,
            instance=obj,
            changed=form.changed_data,
            created=not change,
        )


@admin.register(Department)
class DepartmentAdmin(ReferenceListAdmin):
    list_display = ["name", "acronym", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(Team)
class TeamAdmin(ViewOnlyAdmin):
    list_display = ["name", "department", "parent"]
    list_filter = ["department"]
    list_select_related = ["department", "parent"]
    search_fields = ["name"]


@admin.register(Skill)
class SkillAdmin(ViewOnlyAdmin):
    list_display = ["name", "key"]
    search_fields = ["name", "key"]


@admin.register(Location)
class LocationAdmin(ReferenceListAdmin):
    list_display = ["name", "city"]
    search_fields = ["name", "city"]


@admin.register(Grade)
class GradeAdmin(ReferenceListAdmin):
    list_display = ["code", "name", "rank"]


@admin.register(Profession)
class ProfessionAdmin(ReferenceListAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Profile)
class ProfileAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "job_title", "department", "grade"]
    list_filter = ["department", "grade"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "department", "grade"]


@admin.register(CorrectionSuggestion)
class CorrectionSuggestionAdmin(admin.ModelAdmin):
    """Where IT admins work through reports of leavers and duplicates: they may
    only mark a report resolved."""

    list_display = ["profile", "kind", "author", "created_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["profile__user", "author"]
    search_fields = ["profile__user__username", "text"]
    readonly_fields = ["profile", "author", "kind", "text", "created_at"]

    def has_add_permission(self, request):
        return False
