from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from intranet.admin import ViewOnlyAdmin
from profiles.errors import ProfileError
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
from profiles.selectors.accounts import account_change_refusal
from profiles.services.accounts import (
    REASON_MAX_LENGTH,
    account_deactivate,
    account_reactivate,
)
from profiles.services.reference import reference_save

REASON_HELP = "Goes on the audit record with the change, e.g. “left HMRC”."


class AccountChangeForm(UserChangeForm):
    """The user change form, with "Active" as a field the form does not write.

    `is_active` is declared here but excluded from the model fields, so saving
    the form never sets it on the account: `AccountAdmin.save_model` hands a
    change of it to the account services, which end sessions, close live
    sockets and audit the change.
    """

    is_active = forms.BooleanField(
        label="Active",
        required=False,
        help_text="Untick to deactivate a leaver: this signs them out everywhere "
        "and closes their live connections. Never delete an account.",
    )
    account_change_reason = forms.CharField(
        label="Reason for activating or deactivating",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=REASON_HELP,
    )
    # The signed-in IT admin, set by `AccountAdmin.get_form`.
    actor = None

    class Meta(UserChangeForm.Meta):
        exclude = ["is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("is_active", self.instance.is_active)

    def clean_is_active(self):
        active = self.cleaned_data["is_active"]
        if active != self.instance.is_active:
            refusal = account_change_refusal(self.actor, self.instance, active=active)
            if refusal is not None:
                raise forms.ValidationError(refusal)
        return active


class AccountActionForm(ActionForm):
    reason = forms.CharField(
        label="Reason:",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=REASON_HELP,
    )


def _with_reason(fieldsets):
    """Django's user fieldsets, with the reason for a change of "Active" beneath
    it."""
    changed = []
    for name, options in fieldsets:
        fields = []
        for field in options["fields"]:
            fields.append(field)
            if field == "is_active":
                fields.append("account_change_reason")
        changed.append((name, {**options, "fields": fields}))
    return changed


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin, except that accounts are deactivated and reactivated
    only through the account services (on the change form and in bulk), and never
    deleted: a leaver's profile, messages and audit trail stay."""

    form = AccountChangeForm
    action_form = AccountActionForm
    actions = ["deactivate_selected", "reactivate_selected"]
    list_display = [*UserAdmin.list_display, "is_active"]
    fieldsets = _with_reason(UserAdmin.fieldsets)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A class made for this request by `modelform_factory`.
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            service = (
                account_reactivate
                if form.cleaned_data["is_active"]
                else account_deactivate
            )
            self._change(
                request, service, obj, form.cleaned_data["account_change_reason"]
            )

    @admin.action(description="Deactivate selected accounts", permissions=["change"])
    def deactivate_selected(self, request, queryset):
        self._change_each(request, queryset, account_deactivate, "deactivated")

    @admin.action(description="Reactivate selected accounts", permissions=["change"])
    def reactivate_selected(self, request, queryset):
        self._change_each(request, queryset, account_reactivate, "reactivated")

    def _change_each(self, request, queryset, service, done: str) -> None:
        # One account at a time, each in its own transaction: one refusal (an
        # account already deactivated, your own) leaves the others changed.
        reason = request.POST.get("reason", "")
        changed = 0
        for user in queryset.order_by("pk"):
            changed += self._change(request, service, user, reason)
        if changed:
            self.message_user(request, f"{changed} account(s) {done}.")

    def _change(self, request, service, user, reason) -> bool:
        try:
            service(
                actor=request.user,
                user=user,
                reason=reason,
                ip_address=request.META.get("REMOTE_ADDR") or None,
            )
        except ProfileError as error:
            self.message_user(
                request, f"{user.username}: {error.message}", messages.ERROR
            )
            return False
        return True


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
