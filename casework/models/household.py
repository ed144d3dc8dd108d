"""The members of a client's household: the partner, children and other dependants.

The leefloon category "persoon met gezinslast" depends on them: a client with a
dependant on a day (`HouseholdMemberQuerySet.dependants_on`) has a family to support.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.base import UniquePerClient, end_not_before_start, unique_external_id
from casework.models.client import ClientRecord
from casework.national_number import (
    format_national_number,
    normalise_national_number,
    validate_national_number,
)
from casework.querysets import HouseholdMemberQuerySet


class HouseholdRelation(models.TextChoices):
    PARTNER = "partner", _("partner")
    CHILD = "child", _("kind")
    OTHER_DEPENDANT = "other", _("andere persoon ten laste")


class HouseholdMember(ClientRecord):
    """A person in the client's household, from when to when."""

    relation = models.CharField(_("relatie"), max_length=10, choices=HouseholdRelation.choices)
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    national_number = models.CharField(
        _("rijksregisternummer"),
        max_length=11,
        blank=True,
        help_text=_("Niet verplicht; 11 cijfers, punten en streepjes mogen."),
    )
    lives_with_client = models.BooleanField(_("woont bij de cliënt"), default=True)
    dependant = models.BooleanField(
        _("ten laste"),
        default=False,
        help_text=_("De cliënt heeft deze persoon ten laste (persoon met gezinslast)."),
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    # A partner may be older than the client: only the period must follow the birth.
    date_fields = ("start_date",)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")
        default_related_name = "household_members"
        ordering = ["-start_date", "last_name", "first_name"]
        constraints = [
            unique_external_id("householdmember"),
            end_not_before_start("householdmember"),
            UniquePerClient(
                fields=["client", "national_number"],
                condition=~Q(national_number=""),
                name="householdmember_uniq_national_number",
                violation_error_message=_(
                    "Deze cliënt heeft al een gezinslid met dit rijksregisternummer."
                ),
            ),
        ]
        indexes = [models.Index(fields=["client", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.first_name} {self.last_name}"

    def clean_fields(self, exclude=None) -> None:
        # Stored normalised (11 digits), like the client's.
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
