"""Appointments with a client: planned in the client file, shown in the agenda, the work
queue, the personal calendar feed and the daily digest."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.base import unique_external_id
from casework.models.client import ClientRecord
from casework.models.organisation import SocialWorker
from casework.models.records import Trajectory, TrajectoryKind
from casework.querysets import AppointmentQuerySet


class AppointmentKind(models.TextChoices):
    GPMI_EVALUATION = "gpmi_evaluation", _("GPMI-evaluatie")
    HOME_VISIT = "home_visit", _("huisbezoek")
    INTAKE = "intake", _("intake")
    CONVERSATION = "conversation", _("gesprek")
    OTHER = "other", _("andere")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    HELD = "held", _("gehouden")
    CANCELLED = "cancelled", _("geannuleerd")
    NO_SHOW = "no_show", _("niet opgedaagd")


class Appointment(ClientRecord):
    """An appointment of a social worker with a client, on a day from one hour to another.

    A GPMI evaluation may name the GPMI it evaluates (`trajectory`), so that holding
    it opens the evaluation form of that GPMI.
    """

    social_worker = models.ForeignKey(
        SocialWorker,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("maatschappelijk assistent"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("begin"))
    ends_at = models.DateTimeField(_("einde"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    note = models.TextField(_("notitie"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("GPMI"),
    )
    # Dates and times: starts_at is a moment, not a day (ClientRecord's day checks).
    date_fields = ()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        default_related_name = "appointments"
        ordering = ["-starts_at"]
        constraints = [
            unique_external_id("appointment"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="appointment_ends_after_start",
                violation_error_message=_("Het einde van de afspraak ligt niet na het begin."),
            ),
        ]
        indexes = [
            models.Index(fields=["social_worker", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} {start:%d/%m/%Y %H:%M}"

    @property
    def day(self) -> datetime.date:
        """The day of the appointment in the organisation's time zone."""
        return timezone.localtime(self.starts_at).date()

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
        if self.trajectory_id and self.client_id:
            trajectory = self.trajectory
            if trajectory is not None and (
                trajectory.client_id != self.client_id or trajectory.kind != TrajectoryKind.GPMI
            ):
                raise ValidationError({"trajectory": _("Kies een GPMI van deze cliënt.")})
        if (
            self.status in (AppointmentStatus.HELD, AppointmentStatus.NO_SHOW)
            and self.starts_at
            and self.starts_at > timezone.now()
        ):
            raise ValidationError(
                {"status": _("Een afspraak die nog moet beginnen, kan niet gehouden zijn.")}
            )
