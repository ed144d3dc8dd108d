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


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["organisation", "reference", "asked_on", "asked_by", "text", "due_on"]
        widgets = {
            "asked_on": DateInput(),
            "due_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "reference": _("bv. 2025/113"),
            "asked_by": _("naam en partij van het raadslid"),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
            field.widget = forms.HiddenInput()
        if self.instance.pk:  # the scope of a registered question does not change
            field.disabled = True


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = section_titles()
        cast(forms.MultipleChoiceField, self.fields["statistics"]).choices = [
            (stat.key, titles.get(stat.key, stat.key)) for stat in in_report_order()
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
