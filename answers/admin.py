"""Published answers in the admin: read only (append-only, like the audit log)."""

from django.contrib import admin

from answers.models import PublishedAnswer
from audit.admin import ReadOnlyAdmin


@admin.register(PublishedAnswer)
class PublishedAnswerAdmin(ReadOnlyAdmin):
    list_display = (
        "published_at",
        "title",
        "organisation",
        "region",
        "published_by_username",
        "sha256",
    )
    list_select_related = ("organisation", "region")
    search_fields = ("title", "sha256")
    date_hierarchy = "published_at"
    readonly_fields = [field.name for field in PublishedAnswer._meta.fields]
