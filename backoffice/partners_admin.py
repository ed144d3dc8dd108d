"""The Django admin of partner records: placements, programmes, VDAB, employment, MMPP.

Built on `backoffice.scoping.RecordAdmin`, so every write goes through the services
and client data is read through the access rules. The client inlines join the
Client admin through `register_client_inlines`.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from backoffice.casework_admin import (
    ClientRecordAdmin,
    register_client_inlines,
    register_organisation_inlines,
)
from backoffice.scoping import RecordAdmin, RecordInline, client_column
from core.admin import PeriodStatusFilter
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Programme,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)


def sessions_with_programme():
    return ProgrammeSession.objects.select_related("programme")


# --- Inlines on the client ----------------------------------------------------------------


class Article60PlacementInline(RecordInline):
    model = Article60Placement
    fields = (
        "employer_kind",
        "employer_name",
        "start_date",
        "planned_end_date",
        "end_date",
        "outcome",
    )
    client_lookup = "client"


class ReferralInline(RecordInline):
    model = Referral
    fields = ("programme", "session", "start_date", "end_date", "outcome")
    client_lookup = "client"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            kwargs["queryset"] = sessions_with_programme()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VdabRegistrationInline(RecordInline):
    model = VdabRegistration
    fields = ("registered_on", "category", "ended_on", "warm_handover")
    client_lookup = "client"


class EmploymentInline(RecordInline):
    model = Employment
    fields = ("start_date", "end_date", "contract")
    client_lookup = "client"


class MmppScreeningInline(RecordInline):
    model = MmppScreening
    fields = ("advised_on", "category", "ended_on")
    client_lookup = "client"


register_client_inlines(
    Article60PlacementInline,
    ReferralInline,
    VdabRegistrationInline,
    EmploymentInline,
    MmppScreeningInline,
)


# --- Programmes ---------------------------------------------------------------------------


class ProgrammeInline(RecordInline):
    model = Programme
    fields = ("code", "name")


register_organisation_inlines(ProgrammeInline)


class ProgrammeFundingInline(RecordInline):
    model = ProgrammeFunding
    fields = ("year", "amount_eur")
    show_change_link = False


class ProgrammeSessionInline(RecordInline):
    model = ProgrammeSession
    fields = ("date", "capacity")


@admin.register(Programme)
class ProgrammeAdmin(RecordAdmin):
    list_display = ("name", "code", "organisation", "session_count", "referral_count")
    list_filter = ("organisation", "code")
    list_select_related = ("organisation",)
    search_fields = ("name", "code")
    inlines = (ProgrammeFundingInline, ProgrammeSessionInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                session_total=Count("sessions", distinct=True),
                referral_total=Count("referrals", distinct=True),
            )
        )

    @admin.display(description=_("sessies"), ordering="session_total")
    def session_count(self, obj) -> int:
        return obj.session_total

    @admin.display(description=_("toeleidingen"), ordering="referral_total")
    def referral_count(self, obj) -> int:
        return obj.referral_total


@admin.register(ProgrammeFunding)
class ProgrammeFundingAdmin(RecordAdmin):
    list_display = ("programme", "year", "amount_eur", "organisation")
    list_filter = ("programme__organisation", "programme__code", "year")
    list_select_related = ("programme__organisation",)
    search_fields = ("programme__name", "programme__code")

    @admin.display(description=_("organisatie"), ordering="programme__organisation__name")
    def organisation(self, obj: ProgrammeFunding) -> str:
        return str(obj.programme.organisation)


class SessionReferralInline(RecordInline):
    """The participants of a session."""

    model = Referral
    fk_name = "session"
    fields = ("client", "programme", "start_date", "end_date", "outcome")
    autocomplete_fields = ("client",)
    client_lookup = "client"


@admin.register(ProgrammeSession)
class ProgrammeSessionAdmin(RecordAdmin):
    list_display = ("programme", "date", "capacity", "participant_count", "organisation")
    list_filter = ("programme__code", "organisation")
    list_select_related = ("programme", "organisation")
    search_fields = ("programme__name", "external_id")
    date_hierarchy = "date"
    fields = ("programme", "date", "capacity", "external_id", "version")
    inlines = (SessionReferralInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participant_total=Count("referrals"))

    @admin.display(description=_("deelnemers"), ordering="participant_total")
    def participant_count(self, obj) -> int:
        return obj.participant_total


# --- Records of a client ------------------------------------------------------------------


@admin.register(Article60Placement)
class Article60PlacementAdmin(ClientRecordAdmin):
    list_display = (
        client_column,
        "employer_kind",
        "employer_name",
        "start_date",
        "planned_end_date",
        "end_date",
        "outcome",
    )
    list_filter = (PeriodStatusFilter, "employer_kind", "outcome", "organisation")
    date_hierarchy = "start_date"
    fields = (
        "client",
        ("employer_kind", "employer_name"),
        ("start_date", "planned_end_date", "end_date"),
        "outcome",
        "external_id",
        "version",
    )


@admin.register(Referral)
class ReferralAdmin(ClientRecordAdmin):
    list_display = (
        client_column,
        "programme",
        "start_date",
        "end_date",
        "session",
        "outcome",
    )
    list_filter = (PeriodStatusFilter, "programme__code", "outcome", "organisation")
    list_select_related = ("client", "programme", "session__programme")
    date_hierarchy = "start_date"
    fields = (
        "client",
        "programme",
        "session",
        ("start_date", "end_date"),
        "outcome",
        "external_id",
        "version",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            kwargs["queryset"] = sessions_with_programme()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(VdabRegistration)
class VdabRegistrationAdmin(ClientRecordAdmin):
    list_display = (
        client_column,
        "registered_on",
        "category",
        "ended_on",
        "warm_handover",
        "organisation",
    )
    list_filter = (PeriodStatusFilter, "category", "warm_handover", "organisation")
    date_hierarchy = "registered_on"
    fields = (
        "client",
        ("registered_on", "ended_on"),
        "category",
        "warm_handover",
        "external_id",
        "version",
    )


@admin.register(Employment)
class EmploymentAdmin(ClientRecordAdmin):
    list_display = (client_column, "start_date", "end_date", "contract", "organisation")
    list_filter = (PeriodStatusFilter, "contract", "organisation")
    date_hierarchy = "start_date"
    fields = ("client", ("start_date", "end_date"), "contract", "external_id", "version")


@admin.register(MmppScreening)
class MmppScreeningAdmin(ClientRecordAdmin):
    list_display = (client_column, "advised_on", "category", "ended_on", "organisation")
    list_filter = (PeriodStatusFilter, "category", "organisation")
    date_hierarchy = "advised_on"
    fields = ("client", ("advised_on", "ended_on"), "category", "external_id", "version")
