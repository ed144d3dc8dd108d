"""The records of a client's trajectory: who follows the client, income rights, GPMIs
and their evaluations, exemptions and notes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.base import OrganisationRecord, end_not_before_start, unique_external_id
from casework.models.client import ClientRecord, not_after_today
from casework.models.organisation import IncomeCategory, SocialWorker
from casework.querysets import AssignmentQuerySet
from core.periods import PeriodQuerySet


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
    # What the GPMI contract says each side commits to (printed on the contract; not
    # part of the record bundle, cleared with the other free texts by retention).
    client_commitments = models.TextField(_("engagementen van de cliënt"), blank=True)
    ocmw_commitments = models.TextField(_("engagementen van het OCMW"), blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        default_related_name = "trajectories"
        ordering = ["-start_date"]
        constraints = [unique_external_id("trajectory"), end_not_before_start("trajectory")]
        indexes = [models.Index(fields=["organisation", "kind", "start_date", "end_date"])]

    overlap_filter = models.Q(kind="gpmi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if self.kind == TrajectoryKind.GPMI:
            self.check_no_overlap(_("Deze cliënt heeft in deze periode al een GPMI."))


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
    face_to_face = models.BooleanField(_("in persoon"), null=True, blank=True, default=None)
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
        not_after_today(self, ("date",))
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
    happened_fields = ("date",)

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        default_related_name = "notes"
        ordering = ["-date", "-created_at"]
        constraints = [unique_external_id("clientnote")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.text[:40]}"
