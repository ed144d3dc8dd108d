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
    Appointment,
    AppointmentKind,
    Assignment,
    Client,
    ClientNote,
    Exemption,
    HouseholdMember,
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


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


# "min" reads the same in Dutch and English.
DURATIONS = [(minutes, f"{minutes} min") for minutes in (15, 30, 45, 60, 90, 120)]


class AppointmentForm(RecordForm):
    """An appointment: a day, an hour and a duration (stored as its start and end)."""

    day = forms.DateField(label=_("Dag"))
    start_time = forms.TimeField(label=_("Beginuur"), widget=TimeInput())
    duration = forms.TypedChoiceField(label=_("Duur"), choices=DURATIONS, coerce=int, initial=60)

    class Meta:
        model = Appointment
        fields = ["kind", "social_worker", "trajectory", "place", "status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        day = timezone.localdate()
        workers = self.fields["social_worker"]
        workers.queryset = SocialWorker.objects.filter(  # type: ignore[attr-defined]
            organisation_id=client.organisation_id
        ).employed_on(day)
        gpmis = self.fields["trajectory"]
        gpmis.queryset = Trajectory.objects.filter(client=client, kind="gpmi")  # type: ignore[attr-defined]
        gpmis.help_text = _("Bij een GPMI-evaluatie: de GPMI die geëvalueerd wordt.")
        self.order_fields(
            ["kind", "day", "start_time", "duration", "social_worker", "place", "trajectory"]
        )
        instance = self.instance
        if instance.pk:
            start = timezone.localtime(instance.starts_at)
            self.initial.update(
                day=start.date(),
                start_time=start.time(),
                duration=int((instance.ends_at - instance.starts_at).total_seconds() // 60),
            )
            minutes = self.initial["duration"]
            if minutes not in dict(DURATIONS):
                self.fields["duration"].choices = [*DURATIONS, (minutes, minutes)]  # type: ignore[attr-defined]
        elif not self.is_bound:
            assigned = (
                Assignment.objects.filter(client=client)
                .active_on(day)
                .order_by("-start_date")
                .first()
            )
            if assigned is not None and not self.initial.get("social_worker"):
                self.initial["social_worker"] = assigned.social_worker_id
            running = Trajectory.objects.filter(client=client, kind="gpmi").active_on(day).first()
            if running is not None and self.initial.get("kind") == AppointmentKind.GPMI_EVALUATION:
                self.initial["trajectory"] = self.initial.get("trajectory") or running.pk
            self.fields["status"].widget = forms.HiddenInput()
            self.initial["status"] = "planned"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start_time") and data.get("duration"):
            # On the instance before the model's own validation (a held appointment that
            # has not begun yet is refused there).
            start = timezone.make_aware(datetime.datetime.combine(data["day"], data["start_time"]))
            self.instance.starts_at = start
            self.instance.ends_at = start + datetime.timedelta(minutes=data["duration"])
        return data

    def record_fields(self) -> dict[str, Any]:
        fields = super().record_fields()
        fields["starts_at"] = self.instance.starts_at
        fields["ends_at"] = self.instance.ends_at
        return fields


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


def national_number_field(model: type[Any]) -> forms.CharField:
    """A national number as typed: longer than the stored 11 digits, since dots, dashes
    and spaces are welcome on input (the model normalises and validates)."""
    field = model._meta.get_field("national_number")
    return forms.CharField(
        label=field.verbose_name,
        max_length=20,
        required=False,
        help_text=field.help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class ClientForm(RecordForm):
    """The identity, contact details and household of a client (the national number
    shown formatted)."""

    national_number = national_number_field(Client)

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
            "street",
            "house_number",
            "postcode",
            "municipality",
            "phone",
            "email",
            "language",
            "interpreter_needed",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "language": forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
        }

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        kwargs.setdefault("instance", client)
        super().__init__(*args, client=client, **kwargs)
        if not self.is_bound:
            self.initial["national_number"] = client.national_number_display


class HouseholdMemberForm(RecordForm):
    """A member of the client's household (partner, child, other dependant)."""

    national_number = national_number_field(HouseholdMember)

    class Meta:
        model = HouseholdMember
        fields = [
            "relation",
            "first_name",
            "last_name",
            "birth_date",
            "national_number",
            "lives_with_client",
            "dependant",
            "start_date",
            "end_date",
        ]

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["national_number"] = self.instance.national_number_display


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
