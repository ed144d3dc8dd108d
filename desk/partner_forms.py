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
from desk.forms import DateInput, RecordForm
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
    """Refer one of my clients to a session (e.g. a JobRoad screening).

    The client is found with a search (name or national number, `ClientQuerySet.search`)
    and chosen from the results (radio buttons, so no list of every name is sent to the
    page); `clients` are those one may refer, against which the choice is checked."""

    # Results of a client search shown at most (more: refine the search).
    SEARCH_RESULTS = 20
    SEARCH_MIN_CHARS = 2

    client_search = forms.CharField(
        label=_("Zoek de cliënt"),
        required=False,
        max_length=100,
        help_text=_("Naam (in eender welke volgorde) of rijksregisternummer."),
    )
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(),
        label=_("Cliënt"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Zoek de cliënt en kies die uit de resultaten.")},
    )
    start_date = forms.DateField(label=_("Datum toeleiding"), widget=DateInput())

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients = clients
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()

    def search_text(self) -> str:
        return str(self.data.get("client_search", "")).strip()[:100]

    def results(self) -> tuple[list[Client] | None, bool]:
        """(the clients found by the search, whether there are more than shown); None
        when too little was typed. The chosen client stays among them."""
        text = self.search_text()
        found: list[Client] | None = None
        more = False
        if len(text) >= self.SEARCH_MIN_CHARS:
            rows = list(
                self.clients.search(text).order_by("last_name", "first_name", "birth_date", "pk")[
                    : self.SEARCH_RESULTS + 1
                ]
            )
            found, more = rows[: self.SEARCH_RESULTS], len(rows) > self.SEARCH_RESULTS
        chosen = str(self.data.get("client", ""))
        if chosen.isdigit() and not any(str(c.pk) == chosen for c in found or []):
            picked = list(self.clients.filter(pk=int(chosen)))
            if picked:
                found = picked + (found or [])
        return found, more
