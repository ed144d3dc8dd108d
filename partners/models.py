"""Partner work: article-60 placements, programmes, VDAB, employment and MMPP."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import ClientRecord
from casework.models.base import (
    OrganisationRecord,
    UniquePerClient,
    end_not_before_start,
    unique_external_id,
)
from core.periods import PeriodQuerySet
from partners.querysets import RegistrationQuerySet, ScreeningQuerySet


class EmployerKind(models.TextChoices):
    OWN_SERVICE = "own_service", _("eigen dienst")
    PUBLIC = "public", _("openbaar bestuur")
    NON_PROFIT = "non_profit", _("vzw")
    PRIVATE = "private", _("privébedrijf")


class PlacementOutcome(models.TextChoices):
    WORK = "work", _("werk")
    WORK_LINKED_TRAINING = "work_linked_training", _("werkgerelateerde opleiding")
    TRAINING = "training", _("opleiding")
    BENEFITS = "benefits", _("werkloosheidsuitkering")
    LEEFLOON = "leefloon", _("terug naar leefloon")
    OTHER = "other", _("ander")


class Article60Placement(ClientRecord):
    """A job in which the OCMW is the employer (artikel 60 §7)."""

    employer_kind = models.CharField(
        _("soort werkgever"), max_length=20, choices=EmployerKind.choices
    )
    employer_name = models.CharField(_("inlenende werkgever"), max_length=200, blank=True)
    start_date = models.DateField(_("begindatum"))
    planned_end_date = models.DateField(_("geplande einddatum"), null=True, blank=True)
    end_date = models.DateField(_("werkelijke einddatum"), null=True, blank=True)
    outcome = models.CharField(
        _("doorstroom"), max_length=30, choices=PlacementOutcome.choices, blank=True
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("tewerkstelling artikel 60")
        verbose_name_plural = _("tewerkstellingen artikel 60")
        default_related_name = "article60_placements"
        ordering = ["-start_date"]
        constraints = [
            unique_external_id("article60placement"),
            end_not_before_start("article60placement"),
            end_not_before_start("article60placement_planned", end="planned_end_date"),
        ]
        indexes = [
            models.Index(fields=["organisation", "start_date", "end_date"]),
            models.Index(fields=["organisation", "end_date"]),
            models.Index(fields=["client", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{_('Artikel 60')} {self.start_date:%d/%m/%Y} {self.employer_name}".strip()

    def clean(self) -> None:
        super().clean()
        self.check_no_overlap(
            _("Deze cliënt heeft in deze periode al een tewerkstelling artikel 60.")
        )


class Programme(models.Model):
    """A partner programme (JobRoad, DUO for a JOB, Wijk-werken, ...)."""

    DEFAULTS = {
        "jobroad": "JobRoad",
        "duo_for_a_job": "DUO for a JOB",
        "wijkwerken": "Wijk-werken",
        "social_economy": "Sociale economie",
        "vdab": "VDAB",
    }

    organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.CASCADE,
        related_name="programmes",
        verbose_name=_("organisatie"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="programme_uniq_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeFunding(models.Model):
    """Subsidy or fee paid for a programme in a year."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="funding", verbose_name=_("programma")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount_eur = models.DecimalField(
        _("bedrag (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("financiering")
        verbose_name_plural = _("financiering")
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="funding_uniq_year"),
            models.CheckConstraint(
                condition=Q(amount_eur__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("Het bedrag mag niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}: {self.amount_eur}"


class ProgrammeSession(OrganisationRecord):
    """A session of a programme, e.g. a JobRoad screening (at most `capacity` participants)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("programma")
    )
    date = models.DateField(_("datum"))
    capacity = models.PositiveIntegerField(
        _("capaciteit"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["-date"]
        constraints = [
            unique_external_id("programmesession"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="programmesession_capacity_positive",
                violation_error_message=_("De capaciteit moet groter zijn dan 0."),
            ),
        ]
        indexes = [models.Index(fields=["programme", "date"])]

    def __str__(self) -> str:
        return f"{self.programme} {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if self.programme_id and self.organisation_id is None:
            self.organisation_id = self.programme.organisation_id


class ReferralOutcome(models.TextChoices):
    PERMANENT_JOB = "permanent_job", _("vaste job")
    TEMPORARY_JOB = "temporary_job", _("tijdelijke job")
    TRAINING = "training", _("opleiding")
    INTERNSHIP = "internship", _("stage")
    NONE = "none", _("geen resultaat")
    DROPPED_OUT = "dropped_out", _("afgehaakt")


class Referral(ClientRecord):
    """A referral (toeleiding) of a client to a partner programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("programma")
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    session = models.ForeignKey(
        ProgrammeSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("sessie"),
    )
    outcome = models.CharField(
        _("resultaat"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )

    overlap_scope = ("programme",)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("toeleiding")
        verbose_name_plural = _("toeleidingen")
        default_related_name = "referrals"
        ordering = ["-start_date"]
        constraints = [
            unique_external_id("referral"),
            end_not_before_start("referral"),
            UniquePerClient(
                fields=["client", "session"],
                condition=Q(session__isnull=False),
                name="referral_one_per_session",
                violation_error_message=_("Deze cliënt is al toegeleid naar deze sessie."),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "start_date"]),
            models.Index(fields=["client", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.start_date:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if (
            self.programme_id
            and self.client_id
            and self.programme.organisation_id != self.client.organisation_id
        ):
            raise ValidationError(
                {"programme": _("Dit programma hoort bij een andere organisatie.")}
            )
        if self.programme_id:
            self.check_no_overlap(
                _("Deze cliënt heeft in deze periode al een toeleiding naar dit programma.")
            )
        session = self.session if self.session_id else None
        if session is not None:
            if session.programme_id != self.programme_id:
                raise ValidationError({"session": _("Deze sessie hoort bij een ander programma.")})
            self.check_session_capacity(session)

    def check_session_capacity(self, session: ProgrammeSession, taken: int | None = None) -> None:
        """Refuse a place in a full session; `taken` counts the other participants.

        Without `taken` they are counted in the database; the importer counts
        them over the bundle and the database at once and passes the number.
        """
        if session.capacity is None:
            return
        if taken is None:
            taken = Referral.objects.filter(session=session).exclude(pk=self.pk).count()
        if taken >= session.capacity:
            raise ValidationError(
                {
                    "session": _("Deze sessie is volzet (%(capacity)s deelnemers).")
                    % {"capacity": session.capacity}
                }
            )


class VdabCategory(models.TextChoices):
    OCMW = "ocmw", _("werkzoekende ten laste van het OCMW")
    BENEFITS = "benefits", _("uitkeringsgerechtigd")
    OTHER = "other", _("andere")


class VdabRegistration(ClientRecord):
    """Registration as a jobseeker at VDAB (Mijn Loopbaan)."""

    registered_on = models.DateField(_("ingeschreven op"))
    category = models.CharField(_("categorie"), max_length=20, choices=VdabCategory.choices)
    ended_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    warm_handover = models.BooleanField(
        _("warme overdracht"),
        default=False,
        help_text=_("De inschrijving volgde op een warme overdracht na artikel 60."),
    )
    date_fields = ("registered_on",)
    happened_fields = ("registered_on",)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("VDAB-inschrijving")
        verbose_name_plural = _("VDAB-inschrijvingen")
        default_related_name = "vdab_registrations"
        ordering = ["-registered_on"]
        constraints = [
            unique_external_id("vdabregistration"),
            end_not_before_start("vdabregistration", start="registered_on", end="ended_on"),
        ]
        indexes = [
            models.Index(fields=["organisation", "category", "registered_on"]),
            models.Index(fields=["organisation", "warm_handover", "registered_on"]),
            models.Index(fields=["client", "registered_on"]),
        ]

    def __str__(self) -> str:
        return f"VDAB {self.get_category_display()} {self.registered_on:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        self.check_no_overlap(_("Deze cliënt is in deze periode al ingeschreven bij VDAB."))


class ContractKind(models.TextChoices):
    PERMANENT = "permanent", _("vast contract")
    TEMPORARY = "temporary", _("tijdelijk contract")
    INTERIM = "interim", _("interim")
    SOCIAL_ECONOMY = "social_economy", _("sociale economie")
    OTHER = "other", _("ander")


class Employment(ClientRecord):
    """Work outside article 60."""

    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    contract = models.CharField(
        _("contract"), max_length=20, choices=ContractKind.choices, blank=True
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("tewerkstelling")
        verbose_name_plural = _("tewerkstellingen")
        default_related_name = "employments"
        ordering = ["-start_date"]
        constraints = [
            unique_external_id("employment"),
            end_not_before_start("employment"),
            UniquePerClient(
                fields=["client", "start_date"],
                name="employment_one_per_start_day",
                violation_error_message=_(
                    "Deze cliënt heeft al een tewerkstelling die op deze dag begint."
                ),
            ),
        ]
        indexes = [models.Index(fields=["client", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_contract_display() or _('werk')} {self.start_date:%d/%m/%Y}"


class MmppCategory(models.IntegerChoices):
    NORMAL_CIRCUIT = 1, _("1. normaal economisch circuit met ondersteuning (BTOM)")
    SOCIAL_ECONOMY = 2, _("2. maatwerk / sociale economie")
    CARE = 3, _("3. arbeidszorg")
    ACTIVATION = 4, _("4. activeringsbegeleiding")
    NOT_EMPLOYABLE = 5, _("5. niet (of nog niet) toeleidbaar")


class MmppScreening(ClientRecord):
    """An MMPP screening advice (health data: GDPR art. 9)."""

    advised_on = models.DateField(_("datum advies"))
    category = models.PositiveSmallIntegerField(
        _("categorie"),
        choices=MmppCategory.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    ended_on = models.DateField(_("vervallen op"), null=True, blank=True)
    date_fields = ("advised_on",)
    happened_fields = ("advised_on",)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("MMPP-screening")
        verbose_name_plural = _("MMPP-screenings")
        default_related_name = "mmpp_screenings"
        ordering = ["-advised_on"]
        constraints = [
            unique_external_id("mmppscreening"),
            UniquePerClient(
                fields=["client", "advised_on"],
                name="mmppscreening_one_per_day",
                violation_error_message=_("Deze cliënt heeft op deze dag al een MMPP-advies."),
            ),
            end_not_before_start("mmppscreening", start="advised_on", end="ended_on"),
            models.CheckConstraint(
                condition=Q(category__gte=1) & Q(category__lte=5),
                name="mmppscreening_category_range",
                violation_error_message=_("De MMPP-categorie ligt tussen 1 en 5."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "advised_on"]),
            models.Index(fields=["client", "advised_on"]),
        ]

    def __str__(self) -> str:
        return f"MMPP {self.category} {self.advised_on:%d/%m/%Y}"
