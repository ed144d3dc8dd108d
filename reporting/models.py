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
