"""Forms of the question and of the draft answer."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from answers.models import Answer, Question
from reporting.forms import DateInput, MonthField, default_values
from reporting.presentation import section_titles
from reporting.statistics import in_report_order
from reporting.statistics.by_organisation import BY_ORGANISATION


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["organisation", "region", "reference", "asked_on", "asked_by", "text", "due_on"]
        widgets = {
            "asked_on": DateInput(),
            "due_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "region": _("de cijfers van alle OCMW's van de regio samen"),
            "reference": _("bv. 2025/113"),
            "asked_by": _("naam en partij van het raadslid"),
        }

    def __init__(self, *args: Any, organisations: Any, regions: Any, **kwargs: Any) -> None:
        """`organisations`, `regions`: the scopes the user may ask about (answers.querysets).
        With one organisation and no region the scope is implied (a hidden field); a
        scope nobody may pick is left out."""
        super().__init__(*args, **kwargs)
        choices = {"organisation": organisations, "region": regions}
        only_one = organisations.count() + regions.count() == 1
        for name, queryset in choices.items():
            field = cast(forms.ModelChoiceField, self.fields[name])
            if not queryset.exists():
                del self.fields[name]
                continue
            field.queryset = queryset
            if only_one:
                field.initial = queryset.first()
                field.widget = forms.HiddenInput()
            if self.instance.pk:  # the scope of a registered question does not change
                field.disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("organisation") is None) == (cleaned.get("region") is None):
            raise forms.ValidationError(
                _("Kies een organisatie of een regio (precies een van beide).")
            )
        return cleaned


class DraftForm(forms.Form):
    period_from = MonthField(label=_("Periode van"))
    period_to = MonthField(label=_("Periode tot en met"))
    reference_month = MonthField(label=_("Referentiemaand"))
    as_of = forms.DateField(label=_("Opgemaakt op"), widget=DateInput())
    statistics = forms.MultipleChoiceField(
        label=_("Statistieken bij het antwoord"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    text = forms.CharField(
        label=_("Tekst van het antwoord"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_(
            "Citeer een cijfer met zijn pad in het rapport, bv. {{ income_support.leefloon }} "
            "of {{ leefloon_duration.percent.up_to_1y }}: het cijfer komt er zelf te staan."
        ),
    )

    def __init__(self, *args: Any, region: bool = False, **kwargs: Any) -> None:
        """`region`: the answer is about a region, so the comparison per OCMW
        (`by_organisation`) can be picked too."""
        super().__init__(*args, **kwargs)
        titles = section_titles()
        statistics = in_report_order() + ([BY_ORGANISATION] if region else [])
        cast(forms.MultipleChoiceField, self.fields["statistics"]).choices = [
            (stat.key, titles.get(stat.key, stat.key)) for stat in statistics
        ]

    @classmethod
    def initial_for(cls, answer: Answer | None, today: datetime.date) -> dict[str, Any]:
        if answer is not None:
            return {
                "period_from": answer.period_from,
                "period_to": answer.period_to,
                "reference_month": answer.reference_month,
                "as_of": answer.as_of,
                "statistics": list(answer.statistics),
                "text": answer.text,
            }
        values = default_values(today)
        return {
            "period_from": values["from"],
            "period_to": values["to"],
            "reference_month": values["reference_month"],
            "as_of": today,
            "statistics": [],
            "text": "",
        }
