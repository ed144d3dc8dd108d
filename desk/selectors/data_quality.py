"""The data-quality page: per rule of what is doubtful but possible, the records it
concerns, each with the link to the form that fixes it (domain.md, "Integrity").

Every rule is one database query over the clients in scope. The rules:

``handover_without_placement``
    A VDAB registration with warm handover without an article-60 placement of the
    client that started on or before the registration and ended in the
    ``HANDOVER_PLACEMENT_DAYS`` (90) days before it or later (or still runs).
``gpmi_not_signed``
    A leefloon right starting on or after ``TRAJECT["GPMI_MANDATORY_SINCE"]`` whose
    ``TRAJECT["GPMI_SIGN_WITHIN_DAYS"]`` (3 months) have passed, without a GPMI
    starting by then (and running at the right's start or later), and without a GPMI
    exemption overlapping the right.
``vdab_missing``
    A client with an income right running today, without a VDAB registration and
    without a VDAB-registration exemption running today (the work queue's rule).
``referral_without_outcome``
    A referral without outcome that ended ``REFERRAL_OUTCOME_AFTER_END_DAYS`` (90) days
    or more ago.
``refused_today``
    Stored records a rule of a valid record would refuse today: they predate the rule
    (``partners.integrity``).
``implausible``
    Possible but probably mistyped (``partners.plausibility``).

Health data (MMPP advices, exemptions) only for clients whose health data the user
may see; names and links only for clients whose file the user may open (a manager
sees what is concerned, not who).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import (
    health_data_clients_filter,
    is_health_data,
    organisations_of,
    visible_clients_filter,
)
from casework.models import (
    Client,
    Exemption,
    ExemptionKind,
    IncomeKind,
    IncomeRight,
    Trajectory,
    TrajectoryKind,
)
from core.periods import day_text, period_text
from desk.record_kinds import CLIENT_KIND, RECORD_KINDS, record_url
from desk.selectors.team import led_team
from partners import integrity, plausibility
from partners.models import Article60Placement, Referral, VdabRegistration

HANDOVER_PLACEMENT_DAYS = 90
REFERRAL_OUTCOME_AFTER_END_DAYS = 90
KIND_OF_MODEL = {kind.model: kind for kind in RECORD_KINDS.values()}
KIND_OF_MODEL[Client] = CLIENT_KIND


@dataclass(frozen=True)
class ConcernedRecord:
    client_id: int
    client_name: str  # empty when the user may not open the file
    record: str
    detail: str
    fix_url: str  # empty when the user may not open the file


@dataclass
class QualityRule:
    code: str
    label: Promise | str
    definition: Promise | str
    records: list[ConcernedRecord] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class Scope:
    clients: QuerySet[Client]
    visible: set[int]  # ids of the clients whose file the user may open
    health: QuerySet[Client]


def scope_of(user: Any, today: datetime.date) -> Scope:
    """A team lead's team's clients; a manager's (or superuser's) organisations' clients."""
    team = led_team(user)
    if team is not None:
        clients = Client.objects.assigned_on(today, team=team)
    else:
        clients = Client.objects.filter(organisation__in=organisations_of(user))
    visible = set(clients.filter(visible_clients_filter(user, today)).values_list("pk", flat=True))
    health = clients.filter(health_data_clients_filter(user, today))
    return Scope(clients, visible, health)


def _concerned(
    scope: Scope, client_id: int, name: str, record: Any, text: str, detail: str, fix: Any = None
) -> ConcernedRecord:
    """A record concerned, with the link to its edit form (`fix`: a kind's add form)."""
    if client_id not in scope.visible:
        return ConcernedRecord(client_id, "", text, detail, "")
    client = Client(pk=client_id)
    if fix is not None:
        url = record_url(client, fix)
    else:
        kind = KIND_OF_MODEL[type(record)]
        url = record_url(client, kind, None if kind is CLIENT_KIND else record)
    return ConcernedRecord(client_id, name, text, detail, url)


def _name(record: Any, path: str = "client") -> tuple[int, str]:
    client = record
    for part in path.split("__") if path != "pk" else []:
        client = getattr(client, part)
    return client.pk, f"{client.last_name}, {client.first_name}"


def handover_without_placement(scope: Scope, today: datetime.date) -> QualityRule:
    rule = QualityRule(
        "handover_without_placement",
        gettext_lazy("Warme overdracht zonder artikel 60 kort ervoor"),
        gettext_lazy(
            "VDAB-inschrijvingen met warme overdracht zonder tewerkstelling artikel 60 "
            "die in de 90 dagen ervoor eindigde (of nog liep)."
        ),
    )
    placements = Article60Placement.objects.filter(
        client=OuterRef("client_id"), start_date__lte=OuterRef("registered_on")
    )
    registrations = (
        VdabRegistration.objects.filter(client__in=scope.clients, warm_handover=True)
        .annotate(
            has_placement=Exists(placements),
            last_end=Subquery(
                placements.order_by(F("end_date").desc(nulls_first=True)).values("end_date")[:1]
            ),
        )
        .select_related("client")
        .order_by("-registered_on", "pk")
    )
    for registration in registrations:
        reference = registration.registered_on - datetime.timedelta(days=HANDOVER_PLACEMENT_DAYS)
        last_end = registration.last_end  # type: ignore[attr-defined]
        if registration.has_placement and (last_end is None or last_end >= reference):  # type: ignore[attr-defined]
            continue
        detail = (
            _("laatste artikel 60 eindigde op %(date)s") % {"date": day_text(last_end)}
            if registration.has_placement  # type: ignore[attr-defined]
            else _("geen artikel 60 vóór de inschrijving")
        )
        rule.records.append(
            _concerned(scope, *_name(registration), registration, str(registration), detail)
        )
    return rule


def gpmi_not_signed(scope: Scope, today: datetime.date) -> QualityRule:
    within = datetime.timedelta(days=int(str(settings.TRAJECT["GPMI_SIGN_WITHIN_DAYS"])))
    since = datetime.date.fromisoformat(str(settings.TRAJECT["GPMI_MANDATORY_SINCE"]))
    rule = QualityRule(
        "gpmi_not_signed",
        gettext_lazy("GPMI niet binnen 3 maanden ondertekend"),
        gettext_lazy(
            "Leefloonrechten (sinds de GPMI-plicht) zonder GPMI die binnen 3 maanden na de "
            "beslissing begon, en zonder GPMI-vrijstelling."
        ),
    )
    gpmis = Trajectory.objects.filter(client=OuterRef("client_id"), kind=TrajectoryKind.GPMI)
    gpmis = gpmis.filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("start_date")))
    exempt = Exemption.objects.filter(client=OuterRef("client_id"), kind=ExemptionKind.GPMI)
    exempt = exempt.filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("start_date")))
    exempt = exempt.filter(start_date__lte=Coalesce(OuterRef("end_date"), Value(datetime.date.max)))
    rights = (
        IncomeRight.objects.filter(
            client__in=scope.clients,
            kind=IncomeKind.LEEFLOON,
            start_date__gte=since,
            start_date__lt=today - within,
        )
        .exclude(Exists(exempt))
        .annotate(first_gpmi=Subquery(gpmis.order_by("start_date").values("start_date")[:1]))
        .select_related("client")
        .order_by("-start_date", "pk")
    )
    for right in rights:
        first = right.first_gpmi  # type: ignore[attr-defined]
        if first is not None and first <= right.start_date + within:
            continue
        detail = (
            _("GPMI pas gestart op %(date)s") % {"date": day_text(first)}
            if first
            else _("nog geen GPMI")
        )
        text = _("Leefloon %(period)s") % {"period": period_text(right.start_date, right.end_date)}
        rule.records.append(_concerned(scope, *_name(right), right, text, detail))
    return rule


def vdab_missing(scope: Scope, today: datetime.date) -> QualityRule:
    rule = QualityRule(
        "vdab_missing",
        gettext_lazy("Geen VDAB-inschrijving en geen vrijstelling"),
        gettext_lazy(
            "Cliënten met een lopend recht op inkomen, zonder lopende VDAB-inschrijving en "
            "zonder lopende vrijstelling van inschrijving."
        ),
    )
    clients = (
        scope.clients.filter(
            Exists(IncomeRight.objects.filter(client=OuterRef("pk")).active_on(today))
        )
        .exclude(Exists(VdabRegistration.objects.filter(client=OuterRef("pk")).active_on(today)))
        .exclude(
            Exists(
                Exemption.objects.filter(
                    client=OuterRef("pk"), kind=ExemptionKind.VDAB_REGISTRATION
                ).active_on(today)
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    vdab = RECORD_KINDS["vdab"]
    for client in clients:
        rule.records.append(
            _concerned(
                scope,
                client.pk,
                f"{client.last_name}, {client.first_name}",
                client,
                str(_("geen VDAB-inschrijving")),
                _("inschrijving of vrijstelling registreren"),
                fix=vdab,
            )
        )
    return rule


def referral_without_outcome(scope: Scope, today: datetime.date) -> QualityRule:
    rule = QualityRule(
        "referral_without_outcome",
        gettext_lazy("Toeleiding zonder resultaat 90 dagen na het einde"),
        gettext_lazy("Beëindigde toeleidingen zonder resultaat, 90 dagen of langer na het einde."),
    )
    days = datetime.timedelta(days=REFERRAL_OUTCOME_AFTER_END_DAYS)
    referrals = (
        Referral.objects.filter(client__in=scope.clients, outcome="", end_date__lte=today - days)
        .select_related("client", "programme")
        .order_by("end_date", "pk")
    )
    for referral in referrals:
        text = _("Toeleiding naar %(programme)s") % {"programme": referral.programme}
        detail = period_text(referral.start_date, referral.end_date)
        rule.records.append(_concerned(scope, *_name(referral), referral, text, detail))
    return rule


def _in_scope(scope: Scope, model: Any, records: QuerySet, path: str) -> QuerySet:
    clients = scope.health if is_health_data(model) else scope.clients
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return records.filter(**{lookup: clients.values("pk")})


def refused_today(scope: Scope, today: datetime.date) -> QualityRule:
    rule = QualityRule(
        "refused_today",
        gettext_lazy("Records die vandaag geweigerd zouden worden"),
        gettext_lazy(
            "Opgeslagen vóór een regel van een geldig record bestond (overlap, dubbels, "
            "datums in de toekomst of vóór de geboorte); `check_integrity` toont ze ook."
        ),
    )
    for check in integrity.RULES:
        records = _in_scope(scope, check.model, check.breaking(today), check.client_path)
        path = check.client_path
        for record in records.select_related(path).order_by("pk"):
            text = f"{record} (id {record.external_id})"
            rule.records.append(
                _concerned(scope, *_name(record, path), record, text, str(check.label))
            )
    return rule


def implausible(scope: Scope, today: datetime.date) -> QualityRule:
    rule = QualityRule(
        "implausible",
        gettext_lazy("Mogelijk, maar waarschijnlijk verkeerd getypt"),
        gettext_lazy(
            "Een ongewoon oude geboortedatum, een artikel 60 of toeleiding die veel langer "
            "duurt dan gewoonlijk."
        ),
    )
    for check in plausibility.RULES:
        records = _in_scope(scope, check.model, check.candidates(today), check.client_path)
        if check.client_path != "pk":
            records = records.select_related(check.client_path)
        for record in records.order_by("pk"):
            warning = check.warning(record, today)
            if warning:
                rule.records.append(
                    _concerned(
                        scope, *_name(record, check.client_path), record, str(record), warning
                    )
                )
    return rule


RULES = [
    handover_without_placement,
    gpmi_not_signed,
    vdab_missing,
    referral_without_outcome,
    refused_today,
    implausible,
]


def data_quality(user: Any, today: datetime.date) -> list[QualityRule]:
    """Every rule with the records it concerns in the user's scope."""
    scope = scope_of(user, today)
    return [rule(scope, today) for rule in RULES]
