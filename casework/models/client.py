"""The client, and what every record of a client shares (`ClientRecord`)."""

import datetime
import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from casework.models.base import (
    OrganisationRecord,
    clash_text,
    unique_external_id,
)
from casework.national_number import (
    format_national_number,
    normalise_national_number,
    validate_national_number,
)
from casework.querysets import ClientQuerySet
from core.periods import day_text, today


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class Gender(models.TextChoices):
    MALE = "m", _("man")
    FEMALE = "f", _("vrouw")
    X = "x", _("x")


class Household(models.TextChoices):
    SINGLE = "single", _("alleenstaand")
    COHABITING = "cohabiting", _("samenwonend")
    MARRIED = "married", _("gehuwd")


LANGUAGE_CODE_VALIDATOR = RegexValidator(
    r"^[a-z]{2,3}$",
    _("Geef een taalcode van 2 of 3 kleine letters (ISO 639), bv. nl, fr of en."),
)


def language_name(code: str) -> str:
    """A language code as people read it ("fr" -> "Frans"), the code itself if unknown."""
    if not code:
        return ""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


class Client(OrganisationRecord):
    """A person the OCMW supports (cliënt)."""

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices)
    national_number = models.CharField(
        _("rijksregisternummer"),
        max_length=11,
        blank=True,
        help_text=_("11 cijfers; punten en streepjes mogen."),
    )
    household = models.CharField(
        _("gezinssituatie"), max_length=20, choices=Household.choices, blank=True
    )
    migration_background = models.BooleanField(_("migratieachtergrond"), null=True, blank=True)
    # Contact details: personal data that retention clears (CONTACT_FIELDS).
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(
        _("huisnummer"), max_length=20, blank=True, help_text=_("Met bus, bv. 12 bus 3.")
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("taal"),
        max_length=3,
        blank=True,
        validators=[LANGUAGE_CODE_VALIDATOR],
        help_text=_("Taalcode (ISO 639), bv. nl, fr, en, ar, tr."),
    )
    interpreter_needed = models.BooleanField(_("tolk nodig"), default=False)

    objects = ClientQuerySet.as_manager()

    # What retention clears (audit.retention): the contact details of a person.
    CONTACT_FIELDS = ("street", "house_number", "postcode", "municipality", "phone", "email")

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        ordering = ["last_name", "first_name"]
        permissions = [
            ("view_team_caseload", _("Caseload van het team bekijken")),
            ("transfer_caseload", _("Caseload overdragen")),
            ("view_health_data", _("Gezondheidsgegevens (MMPP, vrijstellingsredenen) bekijken")),
            ("break_glass", _("Dossier buiten de eigen caseload openen (met reden)")),
            ("view_caseload_figures", _("Caseload- en resultaatcijfers bekijken")),
            ("export_client_data", _("Alle gegevens van een cliënt exporteren (AVG art. 15)")),
        ]
        constraints = [
            unique_external_id("client"),
            models.UniqueConstraint(
                fields=["organisation", "national_number"],
                condition=~models.Q(national_number=""),
                name="client_uniq_national_number",
                violation_error_message=_(
                    "Er bestaat al een cliënt met dit rijksregisternummer in deze organisatie."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_name"]),
            models.Index(fields=["national_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("desk:client_detail", args=[self.pk])

    def prepare_fields(self) -> None:
        """What clean_fields() does before the fields' own checks (the importer, which
        checks the fields itself, calls it too): the national number is stored
        normalised (11 digits); dots, dashes and spaces are input comfort."""
        self.national_number = normalise_national_number(self.national_number)

    def clean_fields(self, exclude=None) -> None:
        self.prepare_fields()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if self.birth_date and self.birth_date > today():
            raise ValidationError({"birth_date": _("De geboortedatum ligt in de toekomst.")})
        self.check_records_not_before_birth()
        if self.national_number:
            try:
                self.national_number = validate_national_number(
                    self.national_number, self.birth_date
                )
            except ValidationError as exc:
                raise ValidationError({"national_number": exc.messages}) from exc

    def check_records_not_before_birth(self) -> None:
        """Refuse a birth date after a date of one of the client's stored records (the
        importer replaces this query per client by its set-based check)."""
        if self.pk is None or self._state.adding or not self.birth_date:
            return
        for relation in self._meta.related_objects:
            model: Any = relation.related_model
            if not (isinstance(model, type) and issubclass(model, ClientRecord)):
                continue
            if not model.date_fields:
                continue  # an empty condition would match every record
            condition = models.Q()
            for field in model.date_fields:
                condition |= models.Q(**{f"{field}__lt": self.birth_date})
            earlier = model._default_manager.filter(condition, client_id=self.pk).first()
            if earlier is not None:
                raise ValidationError(
                    {
                        "birth_date": _(
                            "Er is een record van deze cliënt vóór deze geboortedatum (%(record)s)."
                        )
                        % {"record": clash_text(earlier)}
                    }
                )

    @property
    def national_number_display(self) -> str:
        return format_national_number(self.national_number)

    @property
    def language_display(self) -> str:
        return language_name(self.language)

    @property
    def address(self) -> str:
        """The address on one line: "Bruul 12 bus 3, 2800 Mechelen"."""
        street = " ".join(part for part in (self.street, self.house_number) if part)
        place = " ".join(part for part in (self.postcode, self.municipality) if part)
        return ", ".join(part for part in (street, place) if part)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)


class ClientRecord(OrganisationRecord):
    """A record of one client; it belongs to the client's organisation.

    `date_fields` name the dates that may not lie before the client's birth;
    `happened_fields` the dates of something that happened, which may not lie
    after today. Records whose clean() calls `check_no_overlap` may not overlap
    another record of the client with the same `overlap_scope` fields (e.g. the
    programme of a referral) that matches `overlap_filter` (e.g. a GPMI).
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, verbose_name=_("cliënt"))
    date_fields: tuple[str, ...] = ("start_date",)
    happened_fields: tuple[str, ...] = ()
    overlap_scope: tuple[str, ...] = ()
    overlap_filter: models.Q | None = None

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        not_after_today(self, self.happened_fields)
        client = self.client if self.client_id else None
        if client is None:
            return
        if self.organisation_id is None:
            self.organisation_id = client.organisation_id
        elif self.organisation_id != client.organisation_id:
            raise ValidationError(_("Dit record hoort bij een andere organisatie dan de cliënt."))
        for field in self.date_fields:
            day = getattr(self, field)
            if day and client.birth_date and day < client.birth_date:
                raise ValidationError(
                    {field: _("Deze datum ligt vóór de geboortedatum van de cliënt.")}
                )

    @classmethod
    @functools.cache
    def period_fields(cls) -> tuple[str, str]:
        """The start and end fields of the record's period (as its queryset knows them)."""
        queryset: Any = cls._default_manager.all()
        return queryset.start_field, queryset.end_field

    @classmethod
    def overlap_scope_attnames(cls) -> tuple[str, ...]:
        return tuple(cls._meta.get_field(name).attname for name in cls.overlap_scope)  # type: ignore[union-attr]

    def check_no_overlap(self, message: Any) -> None:
        """Refuse a period that overlaps another record of the same kind of this client,
        naming that record."""
        start_field, end_field = self.period_fields()
        start = getattr(self, start_field, None)
        if not (self.client_id and start):
            return
        end = getattr(self, end_field, None) or datetime.date.max
        manager: Any = type(self)._default_manager
        scope = {name: getattr(self, name) for name in self.overlap_scope_attnames()}
        others = manager.filter(client_id=self.client_id, **scope).overlapping(start, end)
        if self.overlap_filter is not None:
            others = others.filter(self.overlap_filter)
        if self.pk:
            others = others.exclude(pk=self.pk)
        other = others.order_by(start_field, "pk").first()
        if other is not None:
            raise ValidationError(
                _("%(message)s (overlapt met %(other)s)")
                % {"message": message, "other": clash_text(other)}
            )


def not_after_today(record: models.Model, fields: tuple[str, ...]) -> None:
    """Refuse the date of something that happened when it lies after today (a typo such as
    2062 for 2026 would count in a figure of a month still to come)."""
    if not fields:
        return
    last_day = today()
    for field in fields:
        day = getattr(record, field)
        if day and day > last_day:
            raise ValidationError(
                {
                    field: _(
                        "Deze datum ligt in de toekomst (%(date)s): wat nog niet gebeurd is, "
                        "kan niet geregistreerd worden."
                    )
                    % {"date": day_text(day)}
                }
            )
