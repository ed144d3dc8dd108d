"""The reporting app keeps no data of its own; this model only carries its permission."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilReport(models.Model):
    """The council report (statistics computed from the live records).

    Unmanaged and without a table: it exists so that the permission
    `reporting.view_council_report` can be granted to roles and users.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_council_report", _("Raadsrapport bekijken"))]
        verbose_name = _("raadsrapport")
        verbose_name_plural = _("raadsrapporten")

    def __str__(self) -> str:
        return str(_("Raadsrapport"))


class DataVersion(models.Model):
    """The version of an organisation's records as the report cache sees it: a random
    token, replaced in the transaction of every write of a record of the organisation
    (`reporting.cache.on_writes`). A cached report is keyed by the tokens of its
    organisations, so a write makes it unreachable; a token is random (not a counter)
    so that an organisation deleted and created again never meets an old report."""

    organisation = models.OneToOneField(
        "casework.Organisation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    token = models.CharField(_("versie"), max_length=32)

    class Meta:
        default_permissions = ()
        verbose_name = _("gegevensversie")
        verbose_name_plural = _("gegevensversies")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.token}"
