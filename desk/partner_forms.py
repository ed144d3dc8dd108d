"""Forms for partner records in the client file and on the programme pages.

Like casework's forms they only declare fields; the services validate and write.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Client
from desk.forms import BLANK_LABEL, DateInput, RecordForm
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Programme,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)

RECENT_SESSION_DAYS = 90


class Article60PlacementForm(RecordForm):
    class Meta:
        model = Article60Placement
        fields = [
            "employer_kind",
            "employer_name",
            "start_date",
            "planned_end_date",
            "end_date",
            "outcome",
        ]


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProgrammeSession) -> str:
        taken = getattr(obj, "participants", None)
        if obj.capacity is not None and taken is not None:
            return _("%(session)s (%(free)s van %(capacity)s plaatsen vrij)") % {
                "session": obj,
                "free": max(obj.capacity - taken, 0),
                "capacity": obj.capacity,
            }
        return str(obj)


class ReferralForm(RecordForm):
    session = SessionChoiceField(
        queryset=ProgrammeSession.objects.none(),
        required=False,
        label=_("Sessie"),
        help_text=_("Bijvoorbeeld een JobRoad-screening; moet bij het programma horen."),
    )

    class Meta:
        model = Referral
        fields = ["programme", "start_date", "session", "end_date", "outcome"]

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        organisation_id = client.organisation_id
        self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        )
        # Upcoming sessions, and recent ones for a referral recorded afterwards.
        since = timezone.localdate() - datetime.timedelta(days=RECENT_SESSION_DAYS)
        current = self.instance.session_id if self.instance.pk else None
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            ProgrammeSession.objects.filter(programme__organisation_id=organisation_id)
            .filter(Q(date__gte=since) | Q(pk=current))
            .select_related("programme")
            .annotate(participants=Count("referrals"))
            .order_by("date")
        )


class VdabRegistrationForm(RecordForm):
    class Meta:
        model = VdabRegistration
        fields = ["registered_on", "category", "ended_on", "warm_handover"]


class EmploymentForm(RecordForm):
    class Meta:
        model = Employment
        fields = ["start_date", "end_date", "contract"]


class MmppScreeningForm(RecordForm):
    class Meta:
        model = MmppScreening
        fields = ["advised_on", "category", "ended_on"]


class SessionReferralForm(forms.Form):
    """Refer one of my clients to a session (e.g. a JobRoad screening)."""

    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), label=_("Cliënt"), empty_label=BLANK_LABEL
    )
    start_date = forms.DateField(label=_("Datum toeleiding"), widget=DateInput())

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()
