from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from profiles.models import (
    CorrectionSuggestion,
    Department,
    Grade,
    Profession,
    Profile,
    Team,
    User,
)

admin.site.register(User, UserAdmin)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "parent"]
    list_filter = ["department"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank"]


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "job_title", "department", "grade"]
    list_filter = ["department", "grade"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "department", "grade"]
    raw_id_fields = ["user", "line_manager"]


@admin.register(CorrectionSuggestion)
class CorrectionSuggestionAdmin(admin.ModelAdmin):
    """Where IT admins work through reports of leavers and duplicates."""

    list_display = ["profile", "kind", "author", "created_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["profile__user", "author"]
    search_fields = ["profile__user__username", "text"]
    readonly_fields = ["profile", "author", "kind", "text", "created_at"]
