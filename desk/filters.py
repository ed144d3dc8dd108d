"""Filters of the caseload list (django-filter).

The filter works on a queryset that already starts from
`visible_clients(user)` and carries the annotations of
`desk.selectors.clients_with_status`; a filter can only narrow it.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.models import Client, IncomeKind, SocialWorker, Team

MINE, TEAM = "mine", "team"
YES_NO = [("yes", _("ja")), ("no", _("nee"))]
NO_INCOME = "none"


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Naam of rijksregisternummer"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    caseload = django_filters.ChoiceFilter(
        label=_("Cliënten"),
        choices=[(MINE, _("mijn cliënten")), (TEAM, _("het hele team"))],
        method="filter_caseload",
        empty_label=None,
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"),
        queryset=Team.objects.none(),
        method="filter_team",
        empty_label=_("alle teams"),
    )
    social_worker = django_filters.ModelChoiceFilter(
        label=_("Maatschappelijk assistent"),
        queryset=SocialWorker.objects.none(),
        method="filter_social_worker",
        empty_label=_("iedereen"),
    )
    income_kind = django_filters.ChoiceFilter(
        label=_("Inkomen"),
        choices=[*IncomeKind.choices, (NO_INCOME, _("geen lopend recht"))],
        method="filter_income_kind",
        empty_label=_("alle"),
    )
    gpmi = django_filters.ChoiceFilter(
        label=_("Lopend GPMI"), choices=YES_NO, method="filter_gpmi", empty_label=_("alle")
    )
    article60 = django_filters.ChoiceFilter(
        label=_("Artikel 60 loopt"),
        choices=YES_NO,
        method="filter_article60",
        empty_label=_("alle"),
    )
    vdab = django_filters.ChoiceFilter(
        label=_("Ingeschreven bij VDAB"),
        choices=YES_NO,
        method="filter_vdab",
        empty_label=_("alle"),
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Client] | None = None,
        *,
        request: Any,
        today: datetime.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        self.today = today
        user = request.user
        social_worker = getattr(user, "social_worker", None)
        self.social_worker = social_worker
        if social_worker is None:
            # Without own caseload (e.g. a superuser) "mine" means nothing.
            del self.filters["caseload"]
        if user.is_superuser:
            self.filters["team"].queryset = Team.objects.all()
            self.filters["social_worker"].queryset = SocialWorker.objects.employed_on(today)
        elif user.has_perm("casework.view_team_caseload") and social_worker is not None:
            del self.filters["team"]
            self.filters["social_worker"].queryset = SocialWorker.objects.filter(
                team_id=social_worker.team_id, organisation_id=social_worker.organisation_id
            ).employed_on(today)
            if social_worker.team_id is None:
                del self.filters["social_worker"]
        else:
            del self.filters["team"]
            del self.filters["social_worker"]

    def filter_search(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet:
        return queryset.search(value)  # type: ignore[attr-defined]

    def filter_caseload(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet:
        if value == MINE and self.social_worker is not None:
            return queryset.assigned_on(self.today, social_worker=self.social_worker)  # type: ignore[attr-defined]
        return queryset

    def filter_team(self, queryset: QuerySet[Client], name: str, value: Team) -> QuerySet:
        return queryset.assigned_on(self.today, team=value) if value else queryset  # type: ignore[attr-defined]

    def filter_social_worker(
        self, queryset: QuerySet[Client], name: str, value: SocialWorker
    ) -> QuerySet:
        return queryset.assigned_on(self.today, social_worker=value) if value else queryset  # type: ignore[attr-defined]

    def filter_income_kind(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet:
        if value == NO_INCOME:
            return queryset.filter(income_kind__isnull=True)  # type: ignore[misc]
        return queryset.filter(income_kind=value)  # type: ignore[misc]

    def filter_gpmi(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet:
        return queryset.filter(gpmi_since__isnull=value != "yes")  # type: ignore[misc]

    def filter_article60(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet:
        return queryset.filter(article60_since__isnull=value != "yes")  # type: ignore[misc]

    def filter_vdab(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet:
        return queryset.filter(vdab_since__isnull=value != "yes")  # type: ignore[misc]


def default_filter_data(user: Any) -> dict[str, str]:
    """Where "Mijn caseload" starts: a social assistant's own clients, a team lead's team."""
    if getattr(user, "social_worker", None) is None:
        return {}
    return {"caseload": TEAM if user.has_perm("casework.view_team_caseload") else MINE}
