"""Forms of the casework pages.

Forms declare fields, labels and widgets only. Records are written by the
services (`casework.writes.record_create` / `record_update`), which validate
with the model's `full_clean()`; the views put the service's errors back on the
form (`add_service_errors`), so the page, the importer and the admin share one
set of rules and messages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Client,
    ClientNote,
    Exemption,
    IncomeRight,
    SocialWorker,
    Trajectory,
    TrajectoryEvaluation,
)

BLANK_LABEL = _("— kies —")


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO, the page shows dd/mm/yyyy."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has
    that field, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc)


class RecordForm(forms.ModelForm):
    """A record of one client, added or edited in the client file.

    `version` carries the version that the editor read: the service refuses the
    save when somebody else saved the record in the meantime.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        if self.instance.pk:
            self.fields["version"].required = True
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            elif isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = BLANK_LABEL
            elif isinstance(field, forms.ChoiceField):
                # Django's own blank label is not translated to Dutch. The field keeps its
                # choices normalised to (value, label) pairs (the stubs allow any input form).
                choices = cast(Iterable[tuple[Any, Any]], field.choices)
                field.choices = [
                    (value, BLANK_LABEL if value == "" else label) for value, label in choices
                ]

    def record_fields(self) -> dict[str, Any]:
        """The cleaned values of the record's own fields (what the service writes)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk else None


class IncomeRightForm(RecordForm):
    class Meta:
        model = IncomeRight
        fields = ["kind", "category", "start_date", "end_date"]


class TrajectoryForm(RecordForm):
    class Meta:
        model = Trajectory
        fields = [
            "kind",
            "start_date",
            "end_date",
            "goal",
            "client_commitments",
            "ocmw_commitments",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "client_commitments": forms.Textarea(attrs={"rows": 3}),
            "ocmw_commitments": forms.Textarea(attrs={"rows": 3}),
        }


class TrajectoryEvaluationForm(RecordForm):
    class Meta:
        model = TrajectoryEvaluation
        fields = ["trajectory", "date", "face_to_face", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        trajectories = self.fields["trajectory"]
        trajectories.queryset = Trajectory.objects.filter(client=client)  # type: ignore[attr-defined]
        trajectories.empty_label = None  # type: ignore[attr-defined]
        trajectories.label = _("GPMI of traject")
        if not self.is_bound and not trajectories.queryset.exists():  # type: ignore[attr-defined]
            trajectories.help_text = _(
                "Deze cliënt heeft nog geen GPMI of traject: registreer dat eerst."
            )


class ExemptionForm(RecordForm):
    class Meta:
        model = Exemption
        fields = ["kind", "reason", "start_date", "end_date"]


class ClientNoteForm(RecordForm):
    class Meta:
        model = ClientNote
        fields = ["date", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()


class ClientForm(RecordForm):
    """The identity and household of a client (the national number shown formatted)."""

    # Longer than the stored 11 digits: dots, dashes and spaces are welcome on input.
    national_number = forms.CharField(
        label=Client._meta.get_field("national_number").verbose_name,
        max_length=20,
        required=False,
        help_text=Client._meta.get_field("national_number").help_text,
    )

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "national_number",
            "household",
            "migration_background",
        ]

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        kwargs.setdefault("instance", client)
        super().__init__(*args, client=client, **kwargs)
        if not self.is_bound:
            self.initial["national_number"] = client.national_number_display
        self.fields["national_number"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "numeric"}
        )


class TransferForm(forms.Form):
    """Step one of a caseload transfer: from whom, to whom, from when."""

    from_social_worker = forms.ModelChoiceField(
        queryset=SocialWorker.objects.none(),
        label=_("Van maatschappelijk assistent"),
        empty_label=BLANK_LABEL,
    )
    to_social_worker = forms.ModelChoiceField(
        queryset=SocialWorker.objects.none(),
        label=_("Naar maatschappelijk assistent"),
        empty_label=BLANK_LABEL,
    )
    day = forms.DateField(
        label=_("Vanaf"),
        widget=DateInput(),
        help_text=_("De lopende toewijzingen eindigen de dag ervoor."),
    )

    def __init__(
        self,
        *args: Any,
        sources: Any,
        targets: Any,
        today: datetime.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_social_worker"].queryset = sources  # type: ignore[attr-defined]
        self.fields["to_social_worker"].queryset = targets  # type: ignore[attr-defined]
        self.fields["day"].initial = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, target = data.get("from_social_worker"), data.get("to_social_worker")
        if source and target and source.pk == target.pk:
            raise ValidationError(_("Kies twee verschillende maatschappelijk assistenten."))
        return data


class TransferConfirmForm(TransferForm):
    """Step two: the clients that move (all of them unless some are unticked)."""

    clients = forms.ModelMultipleChoiceField(
        queryset=Client.objects.none(),
        label=_("Cliënten die overgaan"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één cliënt.")},
    )

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients  # type: ignore[attr-defined]
