"""The organisation (OCMW), its population, its teams and social workers."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.base import OrganisationRecord, end_not_before_start, unique_external_id
from casework.querysets import RegionQuerySet, SocialWorkerQuerySet


class Region(models.Model):
    """A province, a "regio", Flanders: a tree shared by every organisation of the
    installation. An organisation belongs to its smallest region (`Organisation.region`);
    the report of a region covers the organisations of the region and its sub-regions."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("behoort tot"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code and Organisation.objects.filter(code=self.code).exists():
            raise ValidationError(
                {"code": _("Deze code is al de code van een organisatie.")}, code="code_taken"
            )
        if (
            self.parent_id is not None
            and self.pk is not None
            and self.pk in Region.objects.ancestor_ids(self.parent_id)
        ):
            raise ValidationError(
                {
                    "parent": _(
                        "Een regio kan niet tot zichzelf of een van haar deelregio's behoren."
                    )
                },
                code="region_cycle",
            )


class Organisation(models.Model):
    """An OCMW / Sociaal Huis: every record belongs to exactly one."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    nis_code = models.CharField(
        _("NIS-code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Een NIS-code telt 5 cijfers."))],
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("regio"),
        help_text=_("De kleinste regio waartoe de organisatie behoort."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code and Region.objects.filter(code=self.code).exists():
            raise ValidationError(
                {"code": _("Deze code is al de code van een regio.")}, code="code_taken"
            )


class Population(models.Model):
    """Inhabitants of the municipality on 1 January of a year (per-1,000 figures)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="populations",
        verbose_name=_("organisatie"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    inhabitants = models.PositiveIntegerField(
        _("inwoners op 1 januari"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("bevolking")
        verbose_name_plural = _("bevolking")
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="population_uniq_year"),
            models.CheckConstraint(
                condition=Q(inhabitants__gt=0),
                name="population_inhabitants_positive",
                violation_error_message=_("Het aantal inwoners moet groter zijn dan 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.inhabitants}"


class IncomeCategory(models.TextChoices):
    COHABITING = "cohabiting", _("samenwonende")
    SINGLE = "single", _("alleenstaande")
    FAMILY = "family", _("persoon met gezinslast")


class LeefloonAmount(models.Model):
    """The monthly leefloon amount of a category from a date on (indexed a few times a year)."""

    category = models.CharField(_("categorie"), max_length=20, choices=IncomeCategory.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    monthly_amount = models.DecimalField(
        _("bedrag per maand (EUR)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("leefloonbedrag")
        verbose_name_plural = _("leefloonbedragen")
        ordering = ["-valid_from", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "valid_from"], name="leefloon_amount_uniq"),
            models.CheckConstraint(
                condition=Q(monthly_amount__gte=0), name="leefloon_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.valid_from:%d/%m/%Y}: {self.monthly_amount}"


class Team(models.Model):
    """A team of social workers; a team lead sees the team's clients."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_uniq_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SocialWorker(OrganisationRecord):
    """A maatschappelijk assistent (MA): follows a caseload of clients."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_worker",
        verbose_name=_("gebruiker"),
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    fte = models.DecimalField(
        _("VTE"),
        max_digits=4,
        decimal_places=3,
        help_text=_("Tewerkstellingsbreuk: groter dan 0, hoogstens 1 (bv. 0,8)."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    start_date = models.DateField(_("in dienst vanaf"), null=True, blank=True)
    end_date = models.DateField(_("in dienst tot"), null=True, blank=True)

    objects = SocialWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("maatschappelijk assistent")
        verbose_name_plural = _("maatschappelijk assistenten")
        ordering = ["last_name", "first_name"]
        constraints = [
            unique_external_id("socialworker"),
            end_not_before_start("socialworker"),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                name="socialworker_fte_range",
                violation_error_message=_("VTE moet groter dan 0 en hoogstens 1 zijn."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)
