"""The parameters form of the council report page (GET: the parameters are in the URL)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reporting.access import (
    report_organisation,
    report_region,
    selectable_organisations,
    selectable_regions,
)
from reporting.statistics import Month, ReportParameters


class MonthInput(forms.TextInput):
    input_type = "month"


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MonthField(forms.CharField):
    widget = MonthInput

    def to_python(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        return Month.parse(text)

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, Month) else value


def default_values(today: datetime.date) -> dict[str, str]:
    """Last full calendar year; the last full month as reference month; drawn up today."""
    last_year = today.year - 1
    return {
        "from": f"{last_year:04d}-01",
        "to": f"{last_year:04d}-12",
        "reference_month": str(Month.of(today).plus(-1)),
        "as_of": today.isoformat(),
    }


class ReportForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisatie"))
    region = forms.ChoiceField(
        label=_("Regio"),
        required=False,
        help_text=_("Een regio: het rapport van al haar organisaties samen."),
    )
    reference_month = MonthField(label=_("Referentiemaand"))
    as_of = forms.DateField(label=_("Opgemaakt op"), widget=DateInput())

    def __init__(self, data: dict[str, Any], *, user: Any, today: datetime.date) -> None:
        organisations = list(selectable_organisations(user))
        values = default_values(today)
        if organisations:
            values["organisation"] = organisations[0].code
        values.update({key: value for key, value in data.items() if key in self.base_fields})
        super().__init__(values)
        self.user = user
        self.parameters: ReportParameters | None = None
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            (o.code, o.name) for o in organisations
        ]
        if len(organisations) <= 1:
            self.fields["organisation"].widget = forms.HiddenInput()
        if not organisations:
            self.fields["organisation"].required = False
        regions = list(selectable_regions(user))
        region_field = cast(forms.ChoiceField, self.fields["region"])
        region_field.choices = [("", "–")] + [(r.code, r.name) for r in regions]
        if not regions:
            region_field.widget = forms.HiddenInput()
        if data.get("region"):
            # A region's report: the organisation is not asked for.
            self.fields["organisation"].required = False
        self.order_fields(["organisation", "region", "from", "to", "reference_month", "as_of"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        period = {
            "period_from": cleaned["from"],
            "period_to": cleaned["to"],
            "reference_month": cleaned["reference_month"],
            "as_of": cleaned["as_of"],
        }
        try:
            if cleaned.get("region"):
                region = report_region(self.user, cleaned["region"])
                if region is None:
                    raise ValidationError(_("Onbekende regio."))
                self.parameters = ReportParameters.for_region(region, **period)
            else:
                organisation = report_organisation(self.user, cleaned.get("organisation"))
                if organisation is None:
                    raise ValidationError(_("Er is geen organisatie om een rapport van te maken."))
                self.parameters = ReportParameters(organisation=organisation, **period)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned

    def query_string(self, **extra: str) -> str:
        """The form's (cleaned) parameters as a URL query string, plus `extra`."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        names = ["from", "to", "reference_month", "as_of"]
        names.insert(0, "region" if self.cleaned_data.get("region") else "organisation")
        for name in names:
            value = self.cleaned_data.get(name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            query[name] = str(value)
        query.update(extra)
        return query.urlencode()


# `from` and `to` are Python keywords or too plain as attributes: declared by name.
ReportForm.base_fields["from"] = MonthField(label=_("Periode van"))
ReportForm.base_fields["to"] = MonthField(label=_("Periode tot en met"))
