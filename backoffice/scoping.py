"""What every admin of client data shares: rows and choices limited to what the user may see.

Which clients a user may see is decided in `access.rules` only (`visible_clients`,
`visible_records_filter`, and the stricter rule for health data, GDPR art. 9);
the writes go through the services (`core.admin`).
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
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
from audit.services import audit_list_read
from casework.models import Client, Organisation, SocialWorker, Trajectory
from core.admin import ServiceAdmin, ServiceInline
from partners.plausibility import record_warnings

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
        elif db_field.name == "social_worker" and not user.is_superuser:
            kwargs["queryset"] = SocialWorker.objects.filter(
                organisation__in=organisations_of(user)
            )
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


class OrganisationFilter(admin.RelatedFieldListFilter):
    """The organisation filter offers only the organisations the user acts in: another
    OCMW's name is no choice (nor a hint that it exists)."""

    def field_choices(self, field, request, model_admin):
        return [(o.pk, str(o)) for o in organisations_of(request.user).order_by("name")]


class RecordAdmin(ClientScoped, ServiceAdmin):
    """A service-backed admin limited to the client data the user may see (all rows and
    choices through `access.rules`; health data only with its right). A changelist of
    client data names the clients of the rows it shows in the audit trail."""

    def get_list_filter(self, request):
        return [
            ("organisation", OrganisationFilter) if item == "organisation" else item
            for item in super().get_list_filter(request)
        ]

    def get_queryset(self, request):
        return self.scope_to_visible_clients(request, super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) or {}
        if self.client_lookup is not None and "cl" in changelist:
            shown = changelist["cl"].result_list
            audit_list_read(request, list(shown), f"admin:{self.model._meta.label_lower}")
        return response

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.health_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.health_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.health_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Possible but probably mistyped: saved, with a warning to check it.
        for warning in record_warnings(obj, timezone.localdate()):
            self.message_user(request, warning, messages.WARNING)


class ClientSearch:
    """Search client data through the one client search (names, national number, id).

    The term never travels in a URL (browser history, proxy and server logs, the
    admin's `_changelist_filters`): the search box is posted, the term is kept in
    the session under a random token, and the changelist's URL carries
    `q=~<token>` only. A term typed into a URL (`?q=...`) is moved to the session
    at once in the same way. Lookups on a national number in the URL
    (`?national_number__startswith=`) are refused (400).
    """

    change_list_template: ClassVar[Any] = "backoffice/client_search_change_list.html"

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and SEARCH_FIELD in request.POST:
            return _search_redirect(request, request.POST[SEARCH_FIELD])
        term = request.GET.get(SEARCH_VAR, "")
        if term and not term.startswith(TOKEN_PREFIX):
            return _search_redirect(request, term)
        context = {
            **(extra_context or {}),
            "client_search_field": SEARCH_FIELD,
            "client_search_term": search_term_of(request, term),
        }
        return super().changelist_view(request, context)  # type: ignore[misc]

    def lookup_allowed(self, lookup, value, request=None):
        if NATIONAL_NUMBER in lookup.split(LOOKUP_SEP):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term_of(request, search_term)
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


# --- The posted client search -----------------------------------------------------------

SEARCH_FIELD = "client_search"
SESSION_KEY = "admin_client_searches"
TOKEN_PREFIX = "~"
KEPT_SEARCHES = 20
NATIONAL_NUMBER = "national_number"


def _search_redirect(request, term: str) -> HttpResponseRedirect:
    """The changelist with its filters, the term replaced by a token kept in the session."""
    query = request.GET.copy()
    for name in (SEARCH_VAR, PAGE_VAR):
        query.pop(name, None)
    term = " ".join(term.split())
    if term:
        searches = dict(request.session.get(SESSION_KEY, {}))
        token = secrets.token_urlsafe(9)
        searches[token] = term
        request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT_SEARCHES:])
        query[SEARCH_VAR] = TOKEN_PREFIX + token
    return HttpResponseRedirect(request.path + (f"?{query.urlencode()}" if query else ""))


def search_term_of(request, value: str) -> str:
    """The term behind `q=~<token>` (empty when the session no longer holds it)."""
    if not value.startswith(TOKEN_PREFIX):
        return value
    return request.session.get(SESSION_KEY, {}).get(value[len(TOKEN_PREFIX) :], "")


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
