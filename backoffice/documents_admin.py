"""The admin of documents: the rows of the user's organisation that the access rules let
them see (health-data documents only with the health-data right); the file only through
the checked download view of the client file (audited), never by a URL of the storage.
Uploads happen in the client file, where the type and size checks are; the admin
corrects a title or date and deletes (the file with it)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backoffice.scoping import ClientSearch, RecordAdmin, client_column
from core.admin import refusals_as
from documents.models import Document
from documents.services import document_delete


@admin.register(Document)
class DocumentAdmin(ClientSearch, RecordAdmin):
    client_lookup = "client"
    list_display = (
        client_column,
        "date",
        "kind",
        "title",
        "health_data",
        "size",
        "uploaded_at",
        "download",
    )
    list_filter = ("kind", "health_data", "organisation")
    list_select_related: ClassVar[tuple[str, ...]] = ("client", "organisation")
    search_fields: ClassVar[tuple[str, ...]] = ("external_id", "title")
    search_help_text = _("Zoek op naam of rijksregisternummer van de cliënt, titel of extern id.")
    date_hierarchy = "date"
    fields = (
        "client",
        "kind",
        "date",
        "title",
        "download",
        "file_name",
        "content_type",
        "size",
        "sha256",
        "health_data",
        "linked_record",
        "uploaded_by",
        "uploaded_at",
        "external_id",
        "version",
    )
    readonly_fields = (
        "client",
        "kind",
        "download",
        "file_name",
        "content_type",
        "size",
        "sha256",
        "health_data",
        "linked_record",
        "uploaded_by",
        "uploaded_at",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("bestand"))
    def download(self, obj: Document) -> str:
        url = reverse("desk:document_download", kwargs={"pk": obj.client_id, "document_pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Downloaden"))

    @admin.display(description=_("hoort bij"))
    def linked_record(self, obj: Document) -> str:
        record = obj.record
        return str(record) if record is not None else "—"

    def delete_model(self, request, obj):
        with refusals_as():
            document_delete(document=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(), refusals_as():
            for obj in queryset:
                document_delete(document=obj)
