"""What the desk keeps of its own: personal calendar feeds, the daily digests sent, and
the runs of the scheduler (so that a daily job runs once a day)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def feed_token_hash(token: str) -> str:
    """What is stored of a feed token: its SHA-256 (the token itself is shown once)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's personal calendar feed: a secret address an agenda program subscribes to.

    Only the hash of the token is stored: a copy of the database does not open
    anybody's feed. Making a new address replaces the old one; revoking deletes it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("gebruiker"),
    )
    token_hash = models.CharField(_("hash van het token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return str(self.user)


class DailyDigest(models.Model):
    """The daily digest of one user on one day: recorded when sent, so never sent twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="daily_digests",
        verbose_name=_("gebruiker"),
    )
    day = models.DateField(_("dag"))
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    appointments = models.PositiveIntegerField(_("afspraken"), default=0)
    items = models.PositiveIntegerField(_("taken"), default=0)

    class Meta:
        verbose_name = _("dagoverzicht")
        verbose_name_plural = _("dagoverzichten")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="dailydigest_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%d/%m/%Y}"


class ScheduledRun(models.Model):
    """One run of a daily job of the scheduler (`run_scheduler`): at most one per day."""

    job = models.CharField(_("taak"), max_length=100)
    day = models.DateField(_("dag"))
    enqueued_at = models.DateTimeField(_("in de wachtrij gezet op"), auto_now_add=True)

    class Meta:
        verbose_name = _("geplande uitvoering")
        verbose_name_plural = _("geplande uitvoeringen")
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduledrun_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%d/%m/%Y}"
