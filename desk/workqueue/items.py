"""A work-queue item and what the rules share to make one (see `desk.workqueue`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from casework.models import (
    Assignment,
)

JOBROAD = "jobroad"


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what, for whom, by when, and where to do it."""

    rule: str
    title: str
    due_date: datetime.date
    today: datetime.date
    url: str
    client_id: int | None = None
    client_name: str = ""
    social_worker_name: str = ""
    detail: str = ""
    # Health data decides whether the item exists: `exempt` (a running exemption, GDPR
    # art. 9, cancels it) or `health_data` (the item itself is health data, MMPP). A
    # viewer who may not see the client's health data gets a `hidden` item instead.
    exempt: bool = False
    health_data: bool = False

    @property
    def hidden(self) -> bool:
        return self.rule == HIDDEN

    @property
    def overdue(self) -> bool:
        return self.due_date < self.today

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS[self.rule])

    @property
    def sort_key(self) -> tuple[datetime.date, str, str]:
        return (self.due_date, self.client_name, self.rule)


HIDDEN = "hidden"

RULE_LABELS = {
    "gpmi_to_sign": gettext_lazy("GPMI ondertekenen"),
    "gpmi_evaluation": gettext_lazy("GPMI-evaluatie"),
    "article60_ending": gettext_lazy("Einde artikel 60: warme overdracht"),
    "vdab_missing": gettext_lazy("VDAB-inschrijving ontbreekt"),
    "mmpp_exit_conversation": gettext_lazy("Uitleidgesprek (MMPP categorie 5)"),
    "referral_outcome": gettext_lazy("Resultaat toeleiding ontbreekt"),
    "appointment": gettext_lazy("Afspraak"),
    "jobroad_free_places": gettext_lazy("JobRoad-screening met vrije plaatsen"),
    "question_due": gettext_lazy("Schriftelijke vraag te beantwoorden"),
    HIDDEN: gettext_lazy("Item dat je niet mag zien"),
}


def hidden_item(client_id: int, client_name: str, today: datetime.date) -> WorkItem:
    """What a viewer without the client's health-data right sees instead of any item
    that depends on health data: that there is one, not which, nor its date."""
    return WorkItem(
        rule=HIDDEN,
        title=str(gettext_lazy("Er is een item dat je niet mag zien")),
        detail=str(
            gettext_lazy(
                "Alleen de toegewezen maatschappelijk assistent en de teamverantwoordelijke "
                "zien het."
            )
        ),
        due_date=today,
        today=today,
        url=reverse("desk:client_detail", kwargs={"pk": client_id}),
        client_id=client_id,
        client_name=client_name,
    )


def setting(name: str) -> Any:
    return settings.TRAJECT[name]


def format_day(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    return years_before(day, -years)


def worker_name(today: datetime.date, client_ref: str) -> Subquery:
    """The name of (one of) the social worker(s) assigned to the client today."""
    running = (
        Assignment.objects.filter(client=OuterRef(client_ref))
        .active_on(today)
        .order_by("-start_date", "-pk")
        .annotate(name=Concat("social_worker__first_name", Value(" "), "social_worker__last_name"))
        .values("name")[:1]
    )
    return Subquery(running)


# The columns every rule's rows share, so that all rules run as one query (a UNION ALL,
# `desk.workqueue.rules.rule_rows`): the record, its client, the social worker, and up to
# two dates, a text and a flag whose meaning each rule gives.
ROW_FIELDS = (
    "wq_rule",
    "wq_pk",
    "wq_client",
    "wq_first_name",
    "wq_last_name",
    "wq_worker",
    "wq_day",
    "wq_other_day",
    "wq_text",
    "wq_flag",
)


def client_values(
    qs: QuerySet,
    today: datetime.date,
    rule: str,
    *,
    day: Any,
    other_day: Any = None,
    text: Any = None,
    flag: Any = None,
) -> QuerySet:
    """The rows of a rule (one per item) in the shared columns of ROW_FIELDS: a record of a
    client with the client's name and social worker, and the rule's own values (field
    names or expressions)."""

    def expression(value: Any, empty: Any) -> Any:
        if value is None:
            return empty
        return F(value) if isinstance(value, str) else value

    return (
        qs.order_by()
        .annotate(
            wq_rule=Value(rule, output_field=CharField()),
            wq_pk=F("pk"),
            wq_client=F("client_id"),
            wq_first_name=F("client__first_name"),
            wq_last_name=F("client__last_name"),
            wq_worker=worker_name(today, "client_id"),
            wq_day=expression(day, None),
            # Typed empty values: the UNION's columns must agree on every database.
            wq_other_day=expression(other_day, Cast(Value(None), output_field=DateField())),
            wq_text=expression(text, Value("", output_field=CharField())),
            wq_flag=expression(flag, Value(False, output_field=BooleanField())),
        )
        .values(*ROW_FIELDS)
    )


def client_url(client_id: int, slug: str, record_pk: int | None = None, **query: Any) -> str:
    """The form in the client file that resolves an item (query: initial values)."""
    if record_pk is None:
        url = reverse("desk:record_add", kwargs={"pk": client_id, "kind": slug})
    else:
        url = reverse(
            "desk:record_edit", kwargs={"pk": client_id, "kind": slug, "record_pk": record_pk}
        )
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def make_item(row: dict[str, Any], today: datetime.date, **fields: Any) -> WorkItem:
    return WorkItem(
        client_id=row["wq_client"],
        client_name=f"{row['wq_last_name']}, {row['wq_first_name']}",
        social_worker_name=row.get("wq_worker") or "",
        today=today,
        **fields,
    )


# --- The rules ------------------------------------------------------------------------
