"""A bundle uploaded in the web app: a background job through its check (the dry run), the
administrator's confirmation and its import."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class UploadedBundle(models.Model):
    """An uploaded .zip waiting to be confirmed; the file itself lies in a private folder."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("wordt gecontroleerd")
        PENDING = "pending", _("wacht op bevestiging")
        IMPORTING = "importing", _("wordt geïmporteerd")
        IMPORTED = "imported", _("geïmporteerd")
        REFUSED = "refused", _("geweigerd")
        CANCELLED = "cancelled", _("geannuleerd")
        FAILED = "failed", _("mislukt")

    # Statuses in which the worker still has something to do (the page polls).
    RUNNING = (Status.CHECKING, Status.IMPORTING)

    token = models.CharField(_("sleutel"), max_length=64, unique=True, default=new_token)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("opgeladen door"),
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    path = models.CharField(_("pad"), max_length=500, editable=False)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKING
    )
    organisation_code = models.CharField(_("organisatie"), max_length=50, blank=True)
    rows = models.PositiveIntegerField(_("rijen"), default=0)
    files = models.PositiveIntegerField(_("bestanden"), default=0)
    # What the last check or import found: counts per file, the first problems, their total.
    result = models.JSONField(_("resultaat"), default=dict, blank=True)
    created_at = models.DateTimeField(_("opgeladen op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("opgeladen recordbundel")
        verbose_name_plural = _("opgeladen recordbundels")
        ordering = ["-created_at"]
        default_permissions = ("view",)
        permissions = [("import_records", _("Recordbundels importeren"))]
        constraints = [
            # One import at a time per organisation (checks may run side by side).
            models.UniqueConstraint(
                fields=["organisation_code"],
                condition=models.Q(status="importing"),
                name="records_one_import_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING
