"""A document in a client file: a signed GPMI contract, a medical certificate, a VDAB
attestation, a copy of an identity document. The file itself lives in the storage
`documents` (`documents.storage`); the row holds what the file is, whose it is, to
which record it belongs and whether it is health data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import ClientRecord
from casework.models.base import unique_external_id
from documents.querysets import DocumentQuerySet
from documents.storage import document_storage


class DocumentKind(models.TextChoices):
    GPMI_CONTRACT = "gpmi_contract", _("GPMI-contract (ondertekend)")
    MEDICAL_CERTIFICATE = "medical_certificate", _("medisch attest")
    VDAB_CERTIFICATE = "vdab_certificate", _("VDAB-attest")
    IDENTITY = "identity", _("identiteitsdocument")
    OTHER = "other", _("ander document")


# The records a document may belong to: Document field -> the record's model label.
LINK_FIELDS: dict[str, str] = {
    "trajectory": "casework.trajectory",
    "exemption": "casework.exemption",
    "vdab_registration": "partners.vdabregistration",
    "mmpp_screening": "partners.mmppscreening",
    "article60_placement": "partners.article60placement",
    "employment": "partners.employment",
}


def _at_most_one_link() -> Q:
    none = Q(**{f"{name}__isnull": True for name in LINK_FIELDS})
    condition = none
    for name in LINK_FIELDS:
        condition |= Q(**{f"{other}__isnull": other != name for other in LINK_FIELDS})
    return condition


def _link(model: str, verbose_name: Any) -> models.ForeignKey:
    # A document outlives the record it was attached to (evidence); its link is cleared.
    return models.ForeignKey(
        model,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=verbose_name,
    )


class Document(ClientRecord):
    """A file in a client file, optionally attached to one of the client's records."""

    kind = models.CharField(_("soort"), max_length=30, choices=DocumentKind.choices)
    date = models.DateField(_("datum"), help_text=_("De datum van het document zelf."))
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), storage=document_storage, max_length=255)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("inhoudstype"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgeladen door"),
    )
    uploaded_at = models.DateTimeField(_("opgeladen op"), default=timezone.now)
    health_data = models.BooleanField(
        _("gezondheidsgegevens"),
        default=False,
        help_text=_(
            "Een medisch attest, of een document bij een vrijstelling of MMPP-advies: "
            "alleen zichtbaar voor wie de gezondheidsgegevens van de cliënt mag zien."
        ),
    )
    trajectory = _link("casework.Trajectory", _("GPMI of traject"))
    exemption = _link("casework.Exemption", _("vrijstelling"))
    vdab_registration = _link("partners.VdabRegistration", _("VDAB-inschrijving"))
    mmpp_screening = _link("partners.MmppScreening", _("MMPP-advies"))
    article60_placement = _link("partners.Article60Placement", _("artikel 60"))
    employment = _link("partners.Employment", _("werk"))

    date_fields = ("date",)
    happened_fields = ("date",)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        default_related_name = "documents"
        ordering = ["-date", "-uploaded_at"]
        constraints = [
            unique_external_id("document"),
            models.CheckConstraint(
                condition=_at_most_one_link(),
                name="document_at_most_one_record",
                violation_error_message=_("Een document hoort bij hoogstens één record."),
            ),
            # Health data (GDPR art. 9): a medical certificate, or a document of a
            # health-data record (access.rules.HEALTH_DATA_MODELS).
            models.CheckConstraint(
                condition=Q(health_data=True)
                | (
                    ~Q(kind=DocumentKind.MEDICAL_CERTIFICATE)
                    & Q(exemption__isnull=True, mmpp_screening__isnull=True)
                ),
                name="document_health_data_flagged",
                violation_error_message=_(
                    "Een medisch attest of een document bij een vrijstelling of MMPP-advies "
                    "is gezondheidsgegevens."
                ),
            ),
        ]
        indexes = [models.Index(fields=["client", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.date:%d/%m/%Y})"

    @property
    def record(self) -> models.Model | None:
        """The record the document belongs to, if any."""
        for name in LINK_FIELDS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    def clean(self) -> None:
        super().clean()
        linked = [name for name in LINK_FIELDS if getattr(self, f"{name}_id")]
        if len(linked) > 1:
            raise ValidationError(_("Een document hoort bij hoogstens één record."))
        for name in linked:
            record = getattr(self, name)
            if record.client_id != self.client_id:
                raise ValidationError({name: _("Dit record hoort bij een andere cliënt.")})
