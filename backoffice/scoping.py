"""What every admin of client data shares: rows and choices limited to what the user may see.

Which clients a user may see is decided in `access.rules` only (`visible_clients`,
`visible_records_filter`, and the stricter rule for health data, GDPR art. 9);
the writes go through the services (`core.admin`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.rules import (
    can_see_health_data,
    health_data_clients_filter,
    is_health_data,
    organisations_of,
    visible_clients,
    visible_records_filter,
)
from casework.models import Client, Organisation, Trajectory
from core.admin import ServiceAdmin, ServiceInline

HEALTH_DATA_PERMISSION = "casework.view_health_data"


def organisation_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its organisation ("" for Organisation itself), None for
    data of no organisation (national reference tables)."""
    if issubclass(model, Organisation):
        return ""
    names = {field.name: field for field in model._meta.get_fields()}
    if "organisation" in names:
        return "organisation"
    programme = names.get("programme")
    if programme is not None and programme.related_model is not None:
        inner = organisation_path(programme.related_model)
        return f"programme__{inner}" if inner else None
    return None


class ClientScoped:
    """Admin behaviour for client data: rows and choices limited to what the user may see.

    `client_lookup` is the path from the model to its client ("client",
    "trajectory__client"), "" for Client itself, None for data of no client.
    Which clients a user may see is decided in access/rules.py only
    (`Client.objects.visible_to`, `visible_records_filter`, and the stricter
    rule for health data, GDPR art. 9).
    """

    client_lookup: str | None = None
    model: type[models.Model]

    @property
    def health_data(self) -> bool:
        return is_health_data(self.model)

    def scope_to_visible_clients(self, request, queryset):
        """Rows of the user's organisation (`organisations_of`), and of client data only
        what the access rules let them see."""
        if request.user.is_superuser:
            return queryset
        path = organisation_path(self.model)
        if path is not None:
            own = organisations_of(request.user).values("pk")
            queryset = queryset.filter(**{f"{path}__in" if path else "pk__in": own})
        if self.client_lookup is None:
            return queryset
        return queryset.filter(visible_records_filter(self.model, request.user))

    def limit_choices(self, db_field, request, kwargs: dict[str, Any]) -> None:
        user = request.user
        if db_field.name == "organisation" and not user.is_superuser:
            kwargs["queryset"] = organisations_of(user)
        elif db_field.name == "client" and not user.is_superuser:
            clients = visible_clients(user)
            if self.health_data:
                clients = clients.filter(health_data_clients_filter(user))
            kwargs["queryset"] = clients
        elif db_field.name == "trajectory":
            queryset = Trajectory.objects.select_related("client")
            if not user.is_superuser:
                queryset = queryset.filter(visible_records_filter(Trajectory, user))
            kwargs["queryset"] = queryset

    def health_permission(self, request, obj=None) -> bool:
        """Health data: the permission, and for one record the rule of its client."""
        if not self.health_data or request.user.is_superuser:
            return True
        if not request.user.has_perm(HEALTH_DATA_PERMISSION):
            return False
        client = getattr(obj, "client", None) if obj is not None else None
        return client is None or can_see_health_data(request.user, client)


class RecordInline(ClientScoped, ServiceInline):
    """A service-backed inline limited to the client data the user may see."""

    def get_queryset(self, request):
        return self.scope_to_visible_clients(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.health_permission(request)


class RecordAdmin(ClientScoped, ServiceAdmin):
    """A service-backed admin limited to the client data the user may see (all rows and
    choices through `access.rules`; health data only with its right)."""

    def get_queryset(self, request):
        return self.scope_to_visible_clients(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.health_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.health_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.health_permission(request, obj)


class ClientSearch:
    """Search client data through the one client search (names, national number, id)."""

    def get_search_results(self, request, queryset, search_term):
        queryset_, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        lookup = self.client_lookup  # type: ignore[attr-defined]
        if not search_term.strip() or lookup is None:
            return queryset_, may_have_duplicates
        if lookup == "":
            return queryset.search(search_term), may_have_duplicates
        by_client = queryset.filter(
            **{f"{lookup}__in": Client.objects.search(search_term).values("pk")}
        )
        return queryset_ | by_client, may_have_duplicates


class EmployedFilter(admin.SimpleListFilter):
    title = _("in dienst")
    parameter_name = "employed"

    def lookups(self, request, model_admin):
        return [("yes", _("vandaag in dienst")), ("no", _("niet in dienst"))]

    def queryset(self, request, queryset):
        employed = queryset.employed_on(timezone.localdate())
        if self.value() == "yes":
            return employed
        if self.value() == "no":
            return queryset.exclude(pk__in=employed.values("pk"))
        return queryset


@admin.display(description=_("cliënt"), ordering="client__last_name")
def client_column(obj) -> str:
    return str(obj.client)
