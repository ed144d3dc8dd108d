"""The admin site: staff must also have passed the second factor when it is required,
and every admin page of one record of client data is an observed read of that file.

`django.contrib.admin` loads this module lazily (`audit.apps.TrajectAdminConfig`
names it by string), after the app registry is ready."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import F, Model
from django.utils.translation import gettext_lazy as _

from access.rules import client_path, notify_client_access
from audit.otp import otp_required_for, otp_verified
from audit.services import audit_list_read


def observe_client_reads(model_admin: admin.ModelAdmin) -> None:
    """Tell the access observers (the audit log) about every admin page of one record of
    client data: a read of that client's file when the record is visible to the user,
    a refusal when it exists but is not (the admin then says it does not exist)."""
    model = model_admin.model
    path = client_path(model)
    if path is None or model._meta.app_label == "audit":
        return
    original = model_admin.get_object

    def get_object(request, object_id, from_field=None):
        obj = original(request, object_id, from_field)
        lookup = {from_field or "pk": object_id}
        try:
            if path == "":
                owner = model._default_manager.filter(**lookup).values_list("pk", flat=True)
            else:
                owner = model._default_manager.filter(**lookup).values_list(F(path), flat=True)
            client_pk = owner.first()
        except (ValueError, TypeError):
            client_pk = None
        if client_pk is not None:
            notify_client_access(request, client_pk, obj is not None)
        return obj

    model_admin.get_object = get_object  # type: ignore[method-assign]


class AuditedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete (a client field's search as you type): the clients it
    answered with are named in the audit trail, like any list of client data."""

    def get(self, request, *args, **kwargs):
        self.shown: list[Model] = []
        response = super().get(request, *args, **kwargs)
        if self.shown and client_path(type(self.shown[0])) is not None:
            audit_list_read(request, self.shown, "admin:autocomplete")
        return response

    def serialize_result(self, obj, to_field_name):
        self.shown.append(obj)
        return super().serialize_result(obj, to_field_name)


class TrajectAdminSite(admin.AdminSite):
    site_header = _("Traject beheer")
    site_title = _("Traject beheer")
    index_title = _("Beheer")

    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin] | None = None,
        **options: Any,
    ) -> None:
        super().register(model_or_iterable, admin_class, **options)
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models:
            if not model._meta.abstract:
                observe_client_reads(self._registry[model])

    def autocomplete_view(self, request):
        return AuditedAutocompleteJsonView.as_view(admin_site=self)(request)

    def has_permission(self, request) -> bool:
        # SecondFactorMiddleware sends an unverified user to the token page
        # first; this is the second lock on the same door.
        if not super().has_permission(request):
            return False
        return not otp_required_for(request.user) or otp_verified(request.user)
