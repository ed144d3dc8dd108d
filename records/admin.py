"""Uploaded record bundles in the admin: read-only (the import itself is at /records/import/)."""

from django.contrib import admin

from access.rules import organisations_of
from records.models import UploadedBundle


@admin.register(UploadedBundle)
class UploadedBundleAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "file_name",
        "uploaded_by",
        "organisation_code",
        "rows",
        "status",
        "finished_at",
    )
    list_filter = ("status",)
    list_select_related = ("uploaded_by",)
    search_fields = ("file_name", "organisation_code", "uploaded_by__username")
    date_hierarchy = "created_at"
    exclude = ("token", "path")
    readonly_fields = (
        "file_name",
        "uploaded_by",
        "size",
        "organisation_code",
        "rows",
        "status",
        "created_at",
        "finished_at",
    )

    def get_queryset(self, request):
        # The uploads for the user's own organisation (a superuser: all).
        bundles = super().get_queryset(request)
        if request.user.is_superuser:
            return bundles
        return bundles.filter(organisation_code__in=organisations_of(request.user).values("code"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
