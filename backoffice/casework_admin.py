"""The Django admin of casework records: clients and their records, organisations, teams,
social workers and reference tables.

Writes go through the services (`core.admin`); client data is read through the one
access definition (`backoffice.scoping`, `access.rules`).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import admin
from django.core import validators
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import RegionAssignment
from access.rules import can_see_health_data, is_health_data
from backoffice.scoping import (
    HEALTH_DATA_PERMISSION,
    ClientSearch,
    EmployedFilter,
    RecordAdmin,
    RecordInline,
    client_column,
)
from casework.models import (
    Appointment,
    Assignment,
    Client,
    ClientNote,
    Exemption,
    HouseholdMember,
    IncomeRight,
    LeefloonAmount,
    Organisation,
    Population,
    Region,
    SocialWorker,
    Team,
    Trajectory,
    TrajectoryEvaluation,
)
from core.admin import PeriodStatusFilter, RecordAdminForm
from partners.services import programme_ensure_defaults

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


# "85.07.30-033.28" or with spaces: a little room for separators around the 11 digits.
NATIONAL_NUMBER_INPUT_LENGTH = 20


class NationalNumberAdminForm(RecordAdminForm):
    """A record with a national number: typed and shown the usual way (YY.MM.DD-SSS.CC),
    stored as 11 digits (the model normalises and validates)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's CharField gives a forms.CharField.
        field = cast(forms.CharField | None, self.fields.get("national_number"))
        if field is None:
            return
        field.max_length = NATIONAL_NUMBER_INPUT_LENGTH
        field.validators = [
            v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
        ]
        field.validators.append(validators.MaxLengthValidator(NATIONAL_NUMBER_INPUT_LENGTH))
        field.widget.attrs["maxlength"] = str(NATIONAL_NUMBER_INPUT_LENGTH)
        national_number = getattr(self.instance, "national_number", "")
        if national_number:
            self.initial["national_number"] = self.instance.national_number_display  # type: ignore[attr-defined]


class HouseholdMemberInline(RecordInline):
    model = HouseholdMember
    form = NationalNumberAdminForm
    fields = (
        "relation",
        "first_name",
        "last_name",
        "birth_date",
        "national_number",
        "lives_with_client",
        "dependant",
        "start_date",
        "end_date",
    )
    client_lookup = "client"


# Partners adds its inlines (placements, referrals, VDAB, employment, MMPP) through
# register_client_inlines, so casework never imports partners.
CLIENT_INLINES: list[type[RecordInline]] = [
    AssignmentInline,
    IncomeRightInline,
    TrajectoryInline,
    ExemptionInline,
    HouseholdMemberInline,
    ClientNoteInline,
]


def register_client_inlines(*inlines: type[RecordInline]) -> None:
    CLIENT_INLINES.extend(inline for inline in inlines if inline not in CLIENT_INLINES)


ClientAdminForm = NationalNumberAdminForm


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
            _("Contactgegevens"),
            {
                "fields": (
                    ("street", "house_number"),
                    ("postcode", "municipality"),
                    ("phone", "email"),
                    ("language", "interpreter_needed"),
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

    def prepare_inline_instance(self, request, instance) -> None:
        # A note added as a row of the client's page is written by the user.
        if isinstance(instance, ClientNote) and instance.author_id is None:
            instance.author = request.user

    def get_inlines(self, request, obj):
        user = request.user
        if obj is None:
            health = user.is_superuser or user.has_perm(HEALTH_DATA_PERMISSION)
        else:
            health = can_see_health_data(user, obj)
        return [inline for inline in CLIENT_INLINES if health or not is_health_data(inline.model)]


class ClientRecordAdmin(ClientSearch, RecordAdmin):
    client_lookup = "client"
    search_fields: ClassVar[tuple[str, ...]] = ("external_id",)
    search_help_text = _("Zoek op naam of rijksregisternummer van de cliënt, of extern id.")
    autocomplete_fields = ("client",)
    list_select_related: ClassVar[tuple[str, ...]] = ("client", "organisation")


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
    fields = (
        "client",
        "kind",
        "start_date",
        "end_date",
        "goal",
        "client_commitments",
        "ocmw_commitments",
        "external_id",
        "version",
    )
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


@admin.register(Appointment)
class AppointmentAdmin(ClientRecordAdmin):
    list_display = (client_column, "starts_at", "kind", "status", "social_worker", "place")
    list_filter = ("status", "kind", "organisation", "social_worker__team")
    list_select_related = ("client", "social_worker")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("client",)
    fields = (
        "client",
        "social_worker",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "status",
        "trajectory",
        "note",
        "external_id",
        "version",
    )


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


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(ClientRecordAdmin):
    form = NationalNumberAdminForm
    list_display = (
        client_column,
        "relation",
        "first_name",
        "last_name",
        "dependant",
        "start_date",
        "end_date",
    )
    list_filter = (PeriodStatusFilter, "relation", "dependant", "organisation")
    date_hierarchy = "start_date"
    fields = (
        "client",
        "relation",
        ("first_name", "last_name"),
        ("birth_date", "national_number"),
        ("lives_with_client", "dependant"),
        ("start_date", "end_date"),
        "external_id",
        "version",
    )


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


@admin.register(Region)
class RegionAdmin(RecordAdmin):
    list_display = ("name", "code", "parent")
    list_filter = ("parent",)
    list_select_related = ("parent",)
    search_fields = ("name", "code")


@admin.register(RegionAssignment)
class RegionAssignmentAdmin(RecordAdmin):
    """The regions whose figures a regional analyst sees (access.rules.regions_of)."""

    list_display = ("user", "region")
    list_filter = ("region",)
    list_select_related = ("user", "region")
    search_fields = ("user__username", "region__name", "region__code")
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "code", "nis_code", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("name", "code", "nis_code")

    def get_inlines(self, request, obj):
        return list(ORGANISATION_INLINES)

    def has_add_permission(self, request) -> bool:
        # A new organisation is a new boundary: only a superuser draws one.
        return request.user.is_superuser and super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
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

    # The national amounts hold for every organisation: only a superuser changes them.
    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


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
        # The caseload of the team view and the council report: distinct clients.
        return super().get_queryset(request).with_caseload(timezone.localdate())

    @admin.display(description=_("cliënten vandaag"), ordering="caseload")
    def caseload_today(self, obj) -> int:
        return obj.caseload
