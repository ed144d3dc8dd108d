"""Partner programmes (JobRoad, DUO for a JOB, ...): participants, sessions, outcomes, cost."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from core.rounding import json_amount, percent, ratio
from partners.models import (
    Programme,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    ReferralOutcome,
)
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic

PERMANENT = (ReferralOutcome.PERMANENT_JOB.value,)
TO_WORK = (ReferralOutcome.PERMANENT_JOB.value, ReferralOutcome.TEMPORARY_JOB.value)
BROADER = (*TO_WORK, ReferralOutcome.TRAINING.value, ReferralOutcome.INTERNSHIP.value)
OUTCOMES = {"permanent_job": PERMANENT, "to_work": TO_WORK, "broader_result": BROADER}


@statistic(
    "programmes",
    definition_nl="""
        Per programma (de standaardprogramma's altijd, ook zonder gegevens) en per kalenderjaar
        van de periode: deelnemers =
        toeleidingen met een begindatum in het jaar; sessies die dat jaar plaatsvonden en het
        grootste aantal deelnemers (toeleidingen) in één ervan; resultaten van de deelnemers:
        vaste job; naar werk = vaste of tijdelijke job; ruimer resultaat = vaste of tijdelijke
        job, opleiding of stage, elk ook als percent van de deelnemers (afgerond); de
        financiering van het jaar en de kost per deelnemer en per ruimer resultaat
        (financiering gedeeld door het aantal, 2 decimalen; leeg als het aantal 0 is of de
        financiering niet gekend is). Toeleidingen en sessies na de opmaakdatum tellen niet
        mee, en een resultaat pas als de toeleiding op de opmaakdatum afgelopen is (of geen
        einddatum heeft).
    """,
    definition_en="""
        Per programme (the standard programmes always, even without records) and per calendar
        year of the period: participants =
        referrals starting in the year; sessions held that year and the largest number of
        participants (referrals) in one of them; outcomes of the participants: permanent job;
        to work = permanent or temporary job; broader result = permanent or temporary job,
        training or internship, each also as a percent of the participants (rounded); the
        year's funding and the cost per participant and per broader result (funding divided by
        the count, 2 decimals; empty when the count is 0 or the funding unknown). Referrals and
        sessions after the as-of day do not count, and an outcome only when the referral had
        ended by the as-of day (or has no end date).
    """,
    reads=(
        "partners.programme",
        "partners.programmefunding",
        "partners.programmesession",
        "partners.referral",
    ),
)
def programmes(params: ReportParameters) -> dict[str, Any]:
    organisations = params.organisation_ids
    as_of = params.as_of
    # The standard programmes exist in every organisation (import-format.md), recorded or not.
    codes = sorted(
        set(Programme.DEFAULTS)
        | set(
            Programme.objects.filter(organisation_id__in=organisations).values_list(
                "code", flat=True
            )
        )
    )

    outcome_known = Q(end_date__isnull=True) | Q(end_date__lte=as_of)
    referral_aggregates: dict[str, Any] = {}
    session_aggregates: dict[str, Any] = {}
    for span in params.calendar_years:
        started = Q(start_date__gte=span.first, start_date__lte=params.known(span.last))
        referral_aggregates[f"participants_{span.key}"] = Count("pk", filter=started)
        for name, outcomes in OUTCOMES.items():
            referral_aggregates[f"{name}_{span.key}"] = Count(
                "pk", filter=started & outcome_known & Q(outcome__in=outcomes)
            )
        held = Q(date__gte=span.first, date__lte=params.known(span.last))
        session_aggregates[f"sessions_{span.key}"] = Count("pk", filter=held)
        session_aggregates[f"max_{span.key}"] = Coalesce(
            Max("participants", filter=held), Value(0), output_field=IntegerField()
        )

    # Per programme code and organisation: a region adds them up, and a cost needs every
    # organisation with participants to have funding.
    referral_rows: list[dict[str, Any]] = [
        dict(row)
        for row in (
            Referral.objects.filter(organisation_id__in=organisations)
            .order_by()
            .values("programme__code", "organisation_id")
            .annotate(**referral_aggregates)
        )
    ]
    referrals: dict[str, dict[str, Any]] = {}
    with_participants: dict[tuple[str, int], set[int]] = {}
    for row in referral_rows:
        code = row["programme__code"]
        total = referrals.setdefault(code, {})
        for name in referral_aggregates:
            total[name] = total.get(name, 0) + row[name]
        for span in params.calendar_years:
            if row[f"participants_{span.key}"]:
                with_participants.setdefault((code, span.year), set()).add(row["organisation_id"])
    participants = (
        Referral.objects.filter(
            organisation_id__in=organisations, session=OuterRef("pk"), start_date__lte=as_of
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions: dict[str, dict[str, Any]] = {
        row["programme__code"]: dict(row)
        for row in ProgrammeSession.objects.filter(programme__organisation_id__in=organisations)
        .annotate(
            participants=Coalesce(Subquery(participants), Value(0), output_field=IntegerField())
        )
        .order_by()
        .values("programme__code")
        .annotate(**session_aggregates)
    }
    funding: dict[tuple[str, int], Any] = {}
    funded: dict[tuple[str, int], set[int]] = {}
    for funding_row in ProgrammeFunding.objects.filter(
        programme__organisation_id__in=organisations,
        year__in=[span.year for span in params.calendar_years],
    ).values("programme__code", "year", "amount_eur", "programme__organisation_id"):
        key = (funding_row["programme__code"], funding_row["year"])
        funding[key] = funding.get(key, 0) + funding_row["amount_eur"]
        funded.setdefault(key, set()).add(funding_row["programme__organisation_id"])

    result: dict[str, Any] = {}
    for code in codes:
        per_year: dict[str, Any] = {}
        for span in params.calendar_years:
            ref = referrals.get(code, {})
            ses = sessions.get(code, {})
            count: int = ref.get(f"participants_{span.key}", 0)
            amount = funding.get((code, span.year))
            entry: dict[str, Any] = {
                "participants": count,
                "sessions": ses.get(f"sessions_{span.key}", 0),
                "max_session_participants": ses.get(f"max_{span.key}", 0),
            }
            for name in OUTCOMES:
                entry[name] = ref.get(f"{name}_{span.key}", 0)
                entry[f"{name}_percent"] = percent(entry[name], count)
            entry["funding_eur"] = json_amount(amount)
            # A cost only when every organisation with participants has funding for it.
            key = (code, span.year)
            cost_base = (
                amount if with_participants.get(key, set()) <= funded.get(key, set()) else None
            )
            entry["cost_per_participant_eur"] = ratio(cost_base, count)
            entry["cost_per_broader_result_eur"] = ratio(cost_base, entry["broader_result"])
            per_year[span.key] = entry
        result[code] = per_year
    return result
