"""The client and the records of a client's trajectory kept by the social worker."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.base import OrganisationRecord, end_not_before_start, unique_external_id
from casework.models.organisation import IncomeCategory, SocialWorker
from casework.national_number import (
    format_national_number,
    normalise_national_number,
    validate_national_number,
)
from casework.querysets import AssignmentQuerySet, ClientQuerySet
from core.periods import PeriodQuerySet


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

    objects = ClientQuerySet.as_manager()

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

    def clean_fields(self, exclude=None) -> None:
        # Stored normalised (11 digits); dots, dashes and spaces are input comfort.
        self.national_number = normalise_national_number(self.national_number)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("De geboortedatum ligt in de toekomst.")})
        if self.national_number:
            try:
                self.national_number = validate_national_number(
                    self.national_number, self.birth_date
                )
            except ValidationError as exc:
                raise ValidationError({"national_number": exc.messages}) from exc

    @property
    def national_number_display(self) -> str:
        return format_national_number(self.national_number)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)


class ClientRecord(OrganisationRecord):
    """A record of one client; it belongs to the client's organisation.

    `date_fields` name the dates that may not lie before the client's birth.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, verbose_name=_("cliënt"))
    date_fields: tuple[str, ...] = ("start_date",)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
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

    def check_no_overlap(self, message: Any) -> None:
        """Refuse a period that overlaps another record of the same kind of this client."""
        start = getattr(self, "start_date", None)
        if not (self.client_id and start):
            return
        end = getattr(self, "end_date", None) or datetime.date.max
        manager: Any = type(self)._default_manager
        others = manager.filter(client_id=self.client_id).overlapping(start, end)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if others.exists():
            raise ValidationError(message)


class Assignment(ClientRecord):
    """Which social worker follows a client, from when to when."""

    social_worker = models.ForeignKey(
        SocialWorker,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("maatschappelijk assistent"),
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        default_related_name = "assignments"
        ordering = ["-start_date"]
        constraints = [unique_external_id("assignment"), end_not_before_start("assignment")]
        indexes = [
            models.Index(fields=["social_worker", "start_date", "end_date"]),
            models.Index(fields=["client", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.social_worker}"

    def clean(self) -> None:
        super().clean()
        if (
            self.social_worker_id
            and self.client_id
            and self.social_worker.organisation_id != self.client.organisation_id
        ):
            raise ValidationError(
                {
                    "social_worker": _(
                        "Deze maatschappelijk assistent werkt in een andere organisatie."
                    )
                }
            )


class IncomeKind(models.TextChoices):
    LEEFLOON = "leefloon", _("leefloon")
    EQUIVALENT = "equivalent", _("equivalent leefloon")


class IncomeRight(ClientRecord):
    """A right to social integration: leefloon or equivalent financial social aid."""

    kind = models.CharField(_("soort"), max_length=20, choices=IncomeKind.choices)
    category = models.CharField(_("categorie"), max_length=20, choices=IncomeCategory.choices)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("recht op maatschappelijke integratie")
        verbose_name_plural = _("rechten op maatschappelijke integratie")
        default_related_name = "income_rights"
        ordering = ["-start_date"]
        constraints = [unique_external_id("incomeright"), end_not_before_start("incomeright")]
        indexes = [
            models.Index(fields=["organisation", "kind", "start_date", "end_date"]),
            models.Index(fields=["client", "start_date"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} ({self.get_category_display()}) {self.start_date:%d/%m/%Y}"
        )

    def clean(self) -> None:
        super().clean()
        self.check_no_overlap(
            _("Deze cliënt heeft in deze periode al een recht op maatschappelijke integratie.")
        )


class TrajectoryKind(models.TextChoices):
    GPMI = "gpmi", _("GPMI")
    ACTIVATION = "activation", _("activeringstraject")
    TRAINING = "training", _("opleidingstraject")
    SOCIAL = "social", _("sociaal traject")


class Trajectory(ClientRecord):
    """A GPMI (the signed activation contract) or another activation trajectory."""

    kind = models.CharField(_("soort"), max_length=20, choices=TrajectoryKind.choices)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    goal = models.TextField(_("doel"), blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        default_related_name = "trajectories"
        ordering = ["-start_date"]
        constraints = [unique_external_id("trajectory"), end_not_before_start("trajectory")]
        indexes = [models.Index(fields=["organisation", "kind", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d/%m/%Y}"


class TrajectoryEvaluation(OrganisationRecord):
    """An evaluation of a GPMI (at least 3 a year, at least 2 face to face)."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("traject"),
    )
    date = models.DateField(_("datum"))
    # None: not known (a bundle's empty cell; a source system that did not record it).
    face_to_face = models.BooleanField(_("face-to-face"), null=True, blank=True, default=None)
    notes = models.TextField(_("notities"), blank=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-date"]
        constraints = [unique_external_id("trajectoryevaluation")]
        indexes = [models.Index(fields=["trajectory", "date"])]

    def __str__(self) -> str:
        return f"{self.trajectory}: {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if not self.trajectory_id:
            return
        trajectory = self.trajectory
        if self.organisation_id is None:
            self.organisation_id = trajectory.organisation_id
        elif self.organisation_id != trajectory.organisation_id:
            raise ValidationError(
                _("Deze evaluatie hoort bij een andere organisatie dan het traject.")
            )
        if self.date and self.date < trajectory.start_date:
            raise ValidationError({"date": _("De evaluatie ligt vóór de start van het traject.")})


class ExemptionKind(models.TextChoices):
    WORK_AVAILABILITY = "work_availability", _("werkbereidheid")
    VDAB_REGISTRATION = "vdab_registration", _("inschrijving VDAB")
    GPMI = "gpmi", _("GPMI")


class ExemptionReason(models.TextChoices):
    HEALTH = "health", _("gezondheidsredenen")
    EQUITY = "equity", _("billijkheidsredenen")


class Exemption(ClientRecord):
    """An exemption for health or equity reasons (health data: GDPR art. 9)."""

    kind = models.CharField(_("soort"), max_length=30, choices=ExemptionKind.choices)
    reason = models.CharField(_("reden"), max_length=20, choices=ExemptionReason.choices)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("vrijstelling")
        verbose_name_plural = _("vrijstellingen")
        default_related_name = "exemptions"
        ordering = ["-start_date"]
        constraints = [unique_external_id("exemption"), end_not_before_start("exemption")]
        indexes = [models.Index(fields=["client", "kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_reason_display()})"


class ClientNote(ClientRecord):
    """A free-text note in the client file (a conversation, a phone call, ...)."""

    date = models.DateField(_("datum"))
    text = models.TextField(_("notitie"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    date_fields = ("date",)

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        default_related_name = "notes"
        ordering = ["-date", "-created_at"]
        constraints = [unique_external_id("clientnote")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.text[:40]}"
