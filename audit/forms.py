"""Forms of the audit app. A national number is only ever sent in a POST body."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.otp import RECOVERY_CODE
from casework.models import Client
from casework.national_number import normalise_national_number

REASON_MIN_LENGTH = 20


class ClientLookupForm(forms.Form):
    """Find one client by national number, or by exact name and birth date."""

    national_number = forms.CharField(
        label=_("Rijksregisternummer"),
        required=False,
        max_length=20,
        help_text=_("11 cijfers; punten en streepjes mogen."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    last_name = forms.CharField(label=_("Familienaam"), required=False, max_length=100)
    first_name = forms.CharField(label=_("Voornaam"), required=False, max_length=100)
    birth_date = forms.DateField(
        label=_("Geboortedatum"), required=False, help_text=_("dd/mm/jjjj")
    )

    def clean_national_number(self) -> str:
        number = normalise_national_number(self.cleaned_data["national_number"])
        if number and (not number.isdigit() or len(number) != 11):
            raise ValidationError(_("Een rijksregisternummer telt 11 cijfers."))
        return number

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        by_name = [data.get("last_name"), data.get("first_name"), data.get("birth_date")]
        if not data.get("national_number") and not all(by_name):
            raise ValidationError(
                _(
                    "Geef het rijksregisternummer, of de familienaam, de voornaam "
                    "én de geboortedatum."
                )
            )
        return data

    def matches(self, clients: QuerySet[Client]) -> QuerySet[Client]:
        """The clients (at most a few) that answer the lookup exactly."""
        data = self.cleaned_data
        if data.get("national_number"):
            return clients.filter(national_number=data["national_number"])
        return clients.filter(
            last_name__iexact=data["last_name"].strip(),
            first_name__iexact=data["first_name"].strip(),
            birth_date=data["birth_date"],
        )


class BreakGlassForm(ClientLookupForm):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Waarom heb je dit dossier nodig? Bijvoorbeeld: collega met verlof, dringende vraag "
            "van de cliënt. De reden wordt bewaard in het auditlogboek."
        ),
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < REASON_MIN_LENGTH:
            raise ValidationError(
                _("Geef een duidelijke reden (minstens %(n)s tekens).") % {"n": REASON_MIN_LENGTH}
            )
        return reason


class AuditSearchForm(forms.Form):
    """Filters of the audit log (GET: no national number among them)."""

    user = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    client = forms.IntegerField(label=_("Cliënt-id"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Actie"), required=False, choices=[("", _("alle"))] + list(AuditAction.choices)
    )
    date_from = forms.DateField(label=_("Van"), required=False, help_text=_("dd/mm/jjjj"))
    date_to = forms.DateField(label=_("Tot en met"), required=False, help_text=_("dd/mm/jjjj"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            raise ValidationError(_("De einddatum ligt vóór de begindatum."))
        return data

    def filter[QS: QuerySet](self, entries: QS) -> QS:
        data = self.cleaned_data
        if data.get("user"):
            # The username is kept on every entry (also for failed logins).
            entries = entries.filter(username__iexact=data["user"].strip())
        if data.get("client"):
            entries = entries.filter(client_id=data["client"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("date_from"):
            entries = entries.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries

    def as_filters(self) -> dict[str, Any]:
        """The filters in use, for the record of an export."""
        return {key: str(value) for key, value in self.cleaned_data.items() if value}


class TokenForm(forms.Form):
    """The code of the authenticator app (6 digits) or, with `allow_recovery`, one of the
    recovery codes (8 letters and digits)."""

    token = forms.CharField(
        label=_("Code uit je authenticator-app"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args: Any, allow_recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_recovery = allow_recovery
        if allow_recovery:
            self.fields["token"].label = _("Code uit je authenticator-app of een herstelcode")

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if token.isdigit() and len(token) == 6:
            return token
        recovery = token.replace("-", "").lower()
        if self.allow_recovery and RECOVERY_CODE.match(recovery):
            return recovery
        if self.allow_recovery:
            raise ValidationError(
                _("Geef de 6 cijfers van je app, of een herstelcode van 8 tekens.")
            )
        raise ValidationError(_("De code bestaat uit 6 cijfers."))
