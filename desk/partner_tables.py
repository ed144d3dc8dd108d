"""Tables of the programme pages: counts only, never a client's name."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import ProgrammeSession, ReferralOutcome

TABLE_TEMPLATE = "django_tables2/traject.html"


def with_session_figures(sessions: QuerySet[ProgrammeSession]) -> QuerySet[ProgrammeSession]:
    """Participants (referrals to the session) and their outcomes, in the same query."""
    outcomes = {
        f"outcome_{value}": Count("referrals", filter=Q(referrals__outcome=value))
        for value in ReferralOutcome.values
    }
    return sessions.annotate(
        participants=Count("referrals"),
        outcome_pending=Count("referrals", filter=Q(referrals__outcome="")),
        **outcomes,
    )


class SessionTable(tables.Table):
    """Sessions of a programme (e.g. JobRoad screenings): capacity, participants, outcomes."""

    date = tables.DateColumn(
        verbose_name=_("Datum"),
        format="d/m/Y",
        linkify=("programmes:session_detail", {"pk": tables.A("pk")}),
    )
    capacity = tables.Column(verbose_name=_("Capaciteit"), default="—")
    participants = tables.Column(verbose_name=_("Deelnemers"))
    free_places = tables.Column(
        verbose_name=_("Vrije plaatsen"), accessor="pk", orderable=False, empty_values=()
    )
    outcome_permanent_job = tables.Column(verbose_name=_("Vaste job"))
    outcome_temporary_job = tables.Column(verbose_name=_("Tijdelijke job"))
    outcome_training = tables.Column(verbose_name=_("Opleiding"))
    outcome_internship = tables.Column(verbose_name=_("Stage"))
    outcome_none = tables.Column(verbose_name=_("Geen resultaat"))
    outcome_dropped_out = tables.Column(verbose_name=_("Afgehaakt"))
    outcome_pending = tables.Column(verbose_name=_("Nog geen resultaat"))

    class Meta:
        model = ProgrammeSession
        fields: tuple[str, ...] = ()
        template_name = TABLE_TEMPLATE
        empty_text = _("Nog geen sessies.")
        attrs = {"class": "data-table"}
        order_by = ("-date",)

    def render_free_places(self, record: Any) -> Any:
        if record.capacity is None:
            return _("geen maximum")
        return max(record.capacity - record.participants, 0)

    def value_free_places(self, record: Any) -> Any:
        return self.render_free_places(record)
