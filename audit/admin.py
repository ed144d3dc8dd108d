"""The audit log, break-glass grants and pseudonymisations in the admin: read-only.

There is no add, change or delete permission for these models at all; the
methods below make the admin say so even to a superuser.
"""

from django.contrib import admin

from access.models import BreakGlassGrant
from access.rules import organisations_of
from audit.models import AuditEntry, Pseudonymisation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "action", "object_type", "object_id", "client_id", "source")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "=client_id", "source")
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def get_queryset(self, request):
        # Of the user's own organisation (a superuser: all).
        entries = super().get_queryset(request)
        if request.user.is_superuser:
            return entries
        return entries.of_organisations(organisations_of(request.user).values("pk"))


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(ReadOnlyAdmin):
    list_display = ("granted_at", "user", "client_id", "expires_at", "reason")
    list_select_related = ("user",)
    search_fields = ("user__username", "=client__id")
    readonly_fields = ("user", "client_id", "reason", "granted_at", "expires_at")
    exclude = ("client",)


@admin.register(Pseudonymisation)
class PseudonymisationAdmin(ReadOnlyAdmin):
    list_display = ("client_id", "done_at", "last_record_ended_on", "retention_years")
    readonly_fields = ("client_id", "done_at", "last_record_ended_on", "retention_years")
    exclude = ("client",)
