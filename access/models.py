"""The models of the access rules: a break-glass grant (time-limited access to one
client file outside one's caseload, asked with a reason, logged by the audit trail) and
a region assignment (the region a regional analyst sees the figures of)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BreakGlassGrantQuerySet(models.QuerySet):
    def active(self, at: Any = None) -> BreakGlassGrantQuerySet:
        return self.filter(expires_at__gt=at or timezone.now())


class BreakGlassGrant(models.Model):
    """Time-limited access to one client file outside one's caseload, with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="break_glass_grants",
        verbose_name=_("gebruiker"),
    )
    client = models.ForeignKey(
        "casework.Client",
        on_delete=models.CASCADE,
        related_name="break_glass_grants",
        verbose_name=_("cliënt"),
    )
    reason = models.TextField(_("reden"))
    granted_at = models.DateTimeField(_("toegekend op"), default=timezone.now)
    expires_at = models.DateTimeField(_("vervalt op"))

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("noodtoegang")
        verbose_name_plural = _("noodtoegangen")
        # Made in the audit app before the access rules had an app of their own.
        db_table = "audit_breakglassgrant"
        ordering = ["-granted_at"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["user", "expires_at"], name="audit_break_user_id_5f9ffa_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="breakglass_expires_after_granted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.client_id} ({self.granted_at:%d/%m/%Y %H:%M})"


class StaffMembership(models.Model):
    """The one organisation a member of staff without a social-worker profile (a manager,
    an administrator, a data protection officer) works for and acts in.

    `access.rules.user_organisation` reads it (after the social-worker profile): an
    administrator, DPO or manager without either acts in no organisation at all.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_membership",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="staff_memberships",
        verbose_name=_("organisatie"),
    )

    class Meta:
        verbose_name = _("organisatie van een medewerker")
        verbose_name_plural = _("organisaties van medewerkers")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class RegionAssignment(models.Model):
    """A user's role given for a region: a regional analyst sees the figures of every
    organisation of the region and its sub-regions (never a client file)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_assignments",
        verbose_name=_("gebruiker"),
    )
    region = models.ForeignKey(
        "casework.Region",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("regio"),
    )

    class Meta:
        verbose_name = _("regiotoewijzing")
        verbose_name_plural = _("regiotoewijzingen")
        ordering = ["user", "region"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="region_assignment_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.region}"
