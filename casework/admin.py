"""The Django admin of casework records.

Every write made in the admin goes through the services (`record_create`,
`record_update`, `record_delete`) inside `writes_by(source="admin")`, so the
admin is held to the same rules and leaves the same audit trail as the pages
and the importer. Client data is read through the one access definition,
`Client.objects.visible_to(user)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.access import (
    can_see_health_data,
    health_data_clients_filter,
    is_health_data,
    visible_records_filter,
)
from casework.models import (
    Assignment,
    Client,
    ClientNote,
    Exemption,
    IncomeRight,
    LeefloonAmount,
    Organisation,
    OrganisationRecord,
    Population,
    SocialWorker,
    Team,
    Trajectory,
    TrajectoryEvaluation,
)
from casework.querysets import overlap_q
from casework.services import (
    current_write_source,
    record_create,
    record_delete,
    record_update,
    writes_by,
)

HEALTH_DATA_PERMISSION = "casework.view_health_data"
# Fields the services and the database maintain; the admin shows them, never edits them.
MAINTAINED_FIELDS = ("organisation", "external_id", "version", "created_at", "updated_at")


# --- Service refusals become form errors ------------------------------------------------


@dataclass
class Refusal:
    """A write the services refused; `model` is the model of the inline that caused it."""

    error: ValidationError
    model: type[models.Model] | None = None


class ServiceRefused(Exception):
    """Raised inside the admin's transaction so that it rolls back everything."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.error)
        self.refusal = refusal


def _as_validation_error(exc: Exception) -> ValidationError:
    if isinstance(exc, ValidationError):
        return exc
    return ValidationError(
        gettext("De database weigerde deze wijziging: %(reason)s") % {"reason": exc}
    )


@contextmanager
def refusals_as(model: type[models.Model] | None = None) -> Iterator[None]:
    """Turn a ValidationError (or IntegrityError) of a service into ServiceRefused."""
    try:
        yield
    except (ValidationError, IntegrityError) as exc:
        raise ServiceRefused(Refusal(_as_validation_error(exc), model)) from exc


def add_errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Field errors on their field when the form has it, everything else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Choices that belong to one organisation: limited to the record's own when it has one.
ORGANISATION_SCOPED_FIELDS = ("social_worker", "programme", "session", "team")


def limit_to_organisation(form_class, obj) -> None:
    organisation_id = getattr(obj, "organisation_id", None)
    if not organisation_id:
        return
    for name in ORGANISATION_SCOPED_FIELDS:
        field = form_class.base_fields.get(name)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = field.queryset.filter(organisation_id=organisation_id)


def _refusal(request) -> Refusal | None:
    return getattr(request, "_traject_refusal", None)


@contextmanager
def admin_writes(request) -> Iterator[None]:
    """Attribute the writes of this admin request to its user with source "admin"; the
    address stays the one the request middleware determined (proxy-aware)."""
    address = current_write_source().address
    with writes_by(user=request.user, source="admin", address=address):
        yield


# --- Forms ---------------------------------------------------------------------------------


class RecordAdminForm(forms.ModelForm):
    """Carries the version the editor read, so that a stale edit is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = getattr(self.instance, "version", None)


def with_expected_version(fieldsets):
    """Render the hidden version field with the form, whatever its fieldsets say."""
    if "expected_version" in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    fields = [*options["fields"], "expected_version"]
    return [(name, {**options, "fields": fields}), *rest]


def model_values(form: forms.ModelForm) -> dict[str, Any]:
    """The model fields the form edits, with their cleaned values."""
    opts = form._meta.model._meta
    names = {f.name for f in opts.concrete_fields if f.editable and not f.primary_key}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def instance_values(instance: models.Model) -> dict[str, Any]:
    """Everything a new (unsaved) instance holds, to create it through the services."""
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.editable and not f.primary_key
    }


def adopt(target: models.Model, source: models.Model) -> None:
    """Make the admin's instance the record the service saved (pk, defaults, version)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


def create_through_services(instance: models.Model) -> None:
    created = record_create(model=type(instance), **instance_values(instance))
    adopt(instance, created)


def update_through_services(instance: models.Model, form: forms.ModelForm) -> None:
    expected = form.cleaned_data.get("expected_version")
    record_update(instance=instance, expected_version=expected, **model_values(form))


# --- Shared behaviour --------------------------------------------------------------------


class ClientScoped:
    """Admin behaviour for client data: rows and choices limited to what the user may see.

    `client_lookup` is the path from the model to its client ("client",
    "trajectory__client"), "" for Client itself, None for data of no client.
    Which clients a user may see is decided in casework/access.py only
    (`Client.objects.visible_to`, `visible_records_filter`, and the stricter
    rule for health data, GDPR art. 9).
    """

    client_lookup: str | None = None
    model: type[models.Model]

    @property
    def health_data(self) -> bool:
        return is_health_data(self.model)

    def scope_to_visible_clients(self, request, queryset):
        if self.client_lookup is None or request.user.is_superuser:
            return queryset
        return queryset.filter(visible_records_filter(self.model, request.user))

    def limit_choices(self, db_field, request, kwargs: dict[str, Any]) -> None:
        user = request.user
        if db_field.name == "client" and not user.is_superuser:
            clients = Client.objects.visible_to(user)
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


class RecordInline(ClientScoped, admin.TabularInline):
    """An inline whose rows are written through the services by RecordAdmin.save_formset."""

    form = RecordAdminForm
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return self.scope_to_visible_clients(request, super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        return with_expected_version(super().get_fieldsets(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_to_organisation(formset.form, obj)
        refusal = _refusal(request)
        if refusal is None or refusal.model is not self.model:
            return formset

        class RefusedFormSet(formset):  # type: ignore[valid-type,misc]
            def clean(self) -> None:
                super().clean()
                raise ValidationError(refusal.error.messages)

        return RefusedFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.health_permission(request)


class RecordAdmin(ClientScoped, admin.ModelAdmin):
    """The base of every Traject admin: all writes through the services.

    A service that refuses a write (a ValidationError, e.g. an overlapping
    income right, or a conflicting version) rolls the whole request back and
    the form is shown again with the Dutch error, never a server error.
    """

    form = RecordAdminForm
    list_per_page = 50

    # Reads ---------------------------------------------------------------------------------

    def get_queryset(self, request):
        return self.scope_to_visible_clients(request, super().get_queryset(request))

    # Maintained fields (see MAINTAINED_FIELDS) that this admin lets people choose.
    editable_maintained_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        maintained = []
        if issubclass(self.model, OrganisationRecord):
            maintained = [n for n in MAINTAINED_FIELDS if n not in self.editable_maintained_fields]
        return [*super().get_readonly_fields(request, obj), *maintained]

    def get_fieldsets(self, request, obj=None):
        return with_expected_version(super().get_fieldsets(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.health_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.health_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.health_permission(request, obj)

    # Writes --------------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        limit_to_organisation(form_class, obj)
        refusal = _refusal(request)
        if refusal is None or refusal.model is not None:
            return form_class

        class RefusedForm(form_class):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                add_errors_to_form(self, refusal.error)

        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with admin_writes(request):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ServiceRefused as refused:
                # The transaction of the first attempt is rolled back; show the form
                # again with the service's error attached to the form or inline.
                request._traject_refusal = refused.refusal  # type: ignore[attr-defined]
                return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Bulk actions (delete selected) write through delete_queryset.
        with admin_writes(request):
            try:
                return super().changelist_view(request, extra_context)
            except ServiceRefused as refused:
                return self.refused_redirect(request, refused)

    def delete_view(self, request, object_id, extra_context=None):
        with admin_writes(request):
            try:
                return super().delete_view(request, object_id, extra_context)
            except ServiceRefused as refused:
                return self.refused_redirect(request, refused)

    def refused_redirect(self, request, refused: ServiceRefused) -> HttpResponseRedirect:
        self.message_user(request, " ".join(refused.refusal.error.messages), messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )

    def save_model(self, request, obj, form, change):
        with refusals_as():
            if change:
                update_through_services(obj, form)
            else:
                create_through_services(obj)

    def save_formset(self, request, form, formset, change):
        model = formset.model
        with refusals_as(model):
            instances = formset.save(commit=False)
            for instance in formset.deleted_objects:
                record_delete(instance=instance)
            changed = {id(obj) for obj, _fields in formset.changed_objects}
            forms_by_instance = {id(f.instance): f for f in formset.forms}
            for instance in instances:
                if id(instance) in changed and instance.pk is not None:
                    update_through_services(instance, forms_by_instance[id(instance)])
                else:
                    self.prepare_inline_instance(request, instance)
                    create_through_services(instance)

    def prepare_inline_instance(self, request, instance) -> None:
        """Hook: fill what an inline row cannot (e.g. the author of a note)."""
        if isinstance(instance, ClientNote) and instance.author_id is None:
            instance.author = request.user

    def delete_model(self, request, obj):
        with refusals_as():
            record_delete(instance=obj)

    def delete_queryset(self, request, queryset):
        # All or nothing: the changelist's bulk delete runs outside the admin's transaction.
        with transaction.atomic(), refusals_as():
            for obj in queryset:
                record_delete(instance=obj)


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


class PeriodStatusFilter(admin.SimpleListFilter):
    """Running today, ended, or not yet started (PeriodQuerySet.active_on)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("running", _("loopt vandaag")),
            ("ended", _("afgelopen")),
            ("future", _("nog niet gestart")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        start = queryset.start_field
        end = queryset.end_field
        if self.value() == "running":
            return queryset.active_on(today)
        if self.value() == "ended":
            return queryset.filter(**{f"{end}__lt": today})
        if self.value() == "future":
            return queryset.filter(**{f"{start}__gt": today})
        return queryset


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


# --- Client and the records of a client ----------------------------------------------------


class AssignmentInline(RecordInline):
    model = Assignment
    fields = ("social_worker", "start_date", "end_date")
    client_lookup = "client"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "social_worker":
            kwargs["queryset"] = SocialWorker.objects.select_related("team")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IncomeRightInline(RecordInline):
    model = IncomeRight
    fields = ("kind", "category", "start_date", "end_date")
    client_lookup = "client"


class TrajectoryInline(RecordInline):
    model = Trajectory
    fields = ("kind", "start_date", "end_date", "goal")
    client_lookup = "client"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class ExemptionInline(RecordInline):
    model = Exemption
    fields = ("kind", "reason", "start_date", "end_date")
    client_lookup = "client"


class ClientNoteInline(RecordInline):
    model = ClientNote
    fields = ("date", "text", "author")
    readonly_fields = ("author",)
    client_lookup = "client"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


# Partners adds its inlines (placements, referrals, VDAB, employment, MMPP) through
# register_client_inlines, so casework never imports partners.
CLIENT_INLINES: list[type[RecordInline]] = [
    AssignmentInline,
    IncomeRightInline,
    TrajectoryInline,
    ExemptionInline,
    ClientNoteInline,
]


def register_client_inlines(*inlines: type[RecordInline]) -> None:
    CLIENT_INLINES.extend(inline for inline in inlines if inline not in CLIENT_INLINES)


# "85.07.30-033.28" or with spaces: a little room for separators around the 11 digits.
NATIONAL_NUMBER_INPUT_LENGTH = 20


class ClientAdminForm(RecordAdminForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("national_number")
        if field is None:
            return
        # Stored as 11 digits; typed and shown the usual way (YY.MM.DD-SSS.CC), so the
        # form accepts dots and dashes and the model normalises and validates.
        field.max_length = NATIONAL_NUMBER_INPUT_LENGTH
        field.validators = [
            v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
        ]
        field.validators.append(validators.MaxLengthValidator(NATIONAL_NUMBER_INPUT_LENGTH))
        field.widget.attrs["maxlength"] = str(NATIONAL_NUMBER_INPUT_LENGTH)
        if self.instance.national_number:
            self.initial["national_number"] = self.instance.national_number_display


@admin.register(Client)
class ClientAdmin(ClientSearch, RecordAdmin):
    form = ClientAdminForm
    client_lookup = ""
    list_display = (
        "last_name",
        "first_name",
        "national_number_column",
        "birth_date",
        "gender",
        "household",
        "organisation",
        "external_id",
    )
    list_display_links = ("last_name", "first_name")
    list_filter = ("organisation", "gender", "household", "migration_background")
    list_select_related = ("organisation",)
    search_fields = ("external_id",)
    search_help_text = _("Zoek op naam, rijksregisternummer of extern id.")
    editable_maintained_fields = ("organisation",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "organisation",
                    ("first_name", "last_name"),
                    ("birth_date", "gender"),
                    "national_number",
                    ("household", "migration_background"),
                )
            },
        ),
        (
            _("Beheer"),
            {
                "fields": ("external_id", "version", "created_at", "updated_at"),
                "classes": ("collapse",),
            },
        ),
    )

    @admin.display(description=_("rijksregisternummer"), ordering="national_number")
    def national_number_column(self, obj: Client) -> str:
        return obj.national_number_display

    def get_inlines(self, request, obj):
        user = request.user
        if obj is None:
            health = user.is_superuser or user.has_perm(HEALTH_DATA_PERMISSION)
        else:
            health = can_see_health_data(user, obj)
        return [inline for inline in CLIENT_INLINES if health or not is_health_data(inline.model)]


class ClientRecordAdmin(ClientSearch, RecordAdmin):
    client_lookup = "client"
    search_fields = ("external_id",)
    search_help_text = _("Zoek op naam of rijksregisternummer van de cliënt, of extern id.")
    autocomplete_fields = ("client",)
    list_select_related = ("client", "organisation")


@admin.register(Assignment)
class AssignmentAdmin(ClientRecordAdmin):
    list_display = (client_column, "social_worker", "team", "start_date", "end_date")
    list_filter = (PeriodStatusFilter, "organisation", "social_worker__team", "social_worker")
    list_select_related = ("client", "social_worker__team")
    date_hierarchy = "start_date"
    fields = ("client", "social_worker", "start_date", "end_date", "external_id", "version")

    @admin.display(description=_("team"), ordering="social_worker__team__name")
    def team(self, obj: Assignment) -> str:
        return str(obj.social_worker.team or "")


@admin.register(IncomeRight)
class IncomeRightAdmin(ClientRecordAdmin):
    list_display = (client_column, "kind", "category", "start_date", "end_date", "organisation")
    list_filter = (PeriodStatusFilter, "kind", "category", "organisation")
    date_hierarchy = "start_date"
    fields = ("client", "kind", "category", "start_date", "end_date", "external_id", "version")


class TrajectoryEvaluationInline(RecordInline):
    model = TrajectoryEvaluation
    fields = ("date", "face_to_face", "notes")
    client_lookup = "trajectory__client"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Trajectory)
class TrajectoryAdmin(ClientRecordAdmin):
    list_display = (
        client_column,
        "kind",
        "start_date",
        "end_date",
        "evaluation_count",
        "organisation",
    )
    list_filter = (PeriodStatusFilter, "kind", "organisation")
    date_hierarchy = "start_date"
    fields = ("client", "kind", "start_date", "end_date", "goal", "external_id", "version")
    inlines = (TrajectoryEvaluationInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(evaluation_total=Count("evaluations"))

    @admin.display(description=_("evaluaties"), ordering="evaluation_total")
    def evaluation_count(self, obj) -> int:
        return obj.evaluation_total


@admin.register(TrajectoryEvaluation)
class TrajectoryEvaluationAdmin(ClientSearch, RecordAdmin):
    client_lookup = "trajectory__client"
    list_display = ("client", "trajectory", "date", "face_to_face", "organisation")
    list_filter = ("face_to_face", "trajectory__kind", "organisation")
    list_select_related = ("trajectory__client", "organisation")
    search_fields = ("external_id", "notes")
    date_hierarchy = "date"
    autocomplete_fields = ("trajectory",)
    fields = ("trajectory", "date", "face_to_face", "notes", "external_id", "version")

    @admin.display(description=_("cliënt"), ordering="trajectory__client__last_name")
    def client(self, obj: TrajectoryEvaluation) -> str:
        return str(obj.trajectory.client)


@admin.register(Exemption)
class ExemptionAdmin(ClientRecordAdmin):
    list_display = (client_column, "kind", "reason", "start_date", "end_date", "organisation")
    list_filter = (PeriodStatusFilter, "kind", "reason", "organisation")
    date_hierarchy = "start_date"
    fields = ("client", "kind", "reason", "start_date", "end_date", "external_id", "version")


@admin.register(ClientNote)
class ClientNoteAdmin(ClientRecordAdmin):
    list_display = (client_column, "date", "short_text", "author")
    list_filter = ("organisation",)
    list_select_related = ("client", "author")
    search_fields = ("external_id", "text")
    date_hierarchy = "date"
    fields = ("client", "date", "text", "author", "external_id", "version")

    @admin.display(description=_("notitie"))
    def short_text(self, obj: ClientNote) -> str:
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:77]}..."

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


# --- Organisation, social workers and reference tables -------------------------------------


class PopulationInline(RecordInline):
    model = Population
    fields = ("year", "inhabitants")
    show_change_link = False


class TeamInline(RecordInline):
    model = Team
    fields = ("name",)


# Partners adds the programmes inline the same way as the client inlines.
ORGANISATION_INLINES: list[type[RecordInline]] = [PopulationInline, TeamInline]


def register_organisation_inlines(*inlines: type[RecordInline]) -> None:
    ORGANISATION_INLINES.extend(i for i in inlines if i not in ORGANISATION_INLINES)


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "code", "nis_code")
    search_fields = ("name", "code", "nis_code")

    def get_inlines(self, request, obj):
        return list(ORGANISATION_INLINES)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            from partners.services import programme_ensure_defaults

            programme_ensure_defaults(organisation=obj)


@admin.register(Population)
class PopulationAdmin(RecordAdmin):
    list_display = ("organisation", "year", "inhabitants")
    list_filter = ("organisation", "year")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name", "year")


@admin.register(LeefloonAmount)
class LeefloonAmountAdmin(RecordAdmin):
    list_display = ("category", "valid_from", "monthly_amount")
    list_filter = ("category",)
    date_hierarchy = "valid_from"


@admin.register(Team)
class TeamAdmin(RecordAdmin):
    list_display = ("name", "organisation", "member_count")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("leden"), ordering="member_total")
    def member_count(self, obj) -> int:
        return obj.member_total


@admin.register(SocialWorker)
class SocialWorkerAdmin(RecordAdmin):
    list_display = (
        "last_name",
        "first_name",
        "team",
        "fte",
        "start_date",
        "end_date",
        "caseload_today",
        "user",
        "organisation",
    )
    list_display_links = ("last_name", "first_name")
    list_filter = (EmployedFilter, "organisation", "team")
    list_select_related = ("team", "user", "organisation")
    search_fields = ("last_name", "first_name", "external_id", "user__username")
    autocomplete_fields = ("user",)
    editable_maintained_fields = ("organisation",)
    fields = (
        "organisation",
        ("first_name", "last_name"),
        "fte",
        "team",
        ("start_date", "end_date"),
        "user",
        "external_id",
        "version",
    )

    def get_queryset(self, request):
        today = timezone.localdate()
        running = overlap_q(today, today, "start_date", "end_date", prefix="assignments__")
        return (
            super()
            .get_queryset(request)
            .annotate(caseload_total=Count("assignments", filter=running))
        )

    @admin.display(description=_("cliënten vandaag"), ordering="caseload_total")
    def caseload_today(self, obj) -> int:
        return obj.caseload_total
