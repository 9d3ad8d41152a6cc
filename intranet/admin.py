from django.contrib import admin

from intranet.models import AuditEvent


class ViewOnlyAdmin(admin.ModelAdmin):
    """Listed for IT admins to look things up, but changed only in Crossgov's own
    pages: their services check the rules (no team loops, no management loops,
    an owner for every space), audit each change and notify the people
    concerned. Every app's admin for such models builds on this."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin):
    """The audit log is read-only everywhere, the admin included."""

    list_display = ["seq", "occurred_at", "actor_label", "action", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "action", "target_label", "target_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
