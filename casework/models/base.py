"""What every record of an organisation shares."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def new_external_id() -> str:
    """An identifier for a record created in Traject itself (not imported)."""
    return f"t-{uuid.uuid4().hex[:16]}"


class OrganisationRecord(models.Model):
    """A record that belongs to one organisation and is known there by `external_id`.

    `external_id` is the record's `id` in a record bundle: the identifier in the
    source system, unique within the organisation, so that a re-import updates
    the record instead of duplicating it. `version` grows with every save through
    the services, so that a stale edit is refused instead of overwriting.
    """

    organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    external_id = models.CharField(_("extern id"), max_length=64, default=new_external_id)
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


def unique_external_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "external_id"], name=f"{name}_uniq_id")


def end_not_before_start(name: str, start: str = "start_date", end: str = "end_date"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=f"{name}_end_after_start",
        violation_error_message=_("De einddatum ligt vóór de begindatum."),
    )
