"""What every record of an organisation shares."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q
from django.utils.translation import gettext
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


def clash_text(record: Any) -> str:
    """The record a new one clashes with, as its message names it: what it is and its own
    key (the `id` of a record bundle), e.g. "VDAB andere 01/03/2025, id v17"."""
    return gettext("%(record)s, id %(key)s") % {"record": record, "key": record.external_id}


class UniquePerClient(models.UniqueConstraint):
    """A unique constraint whose message names the stored record it clashes with.

    Django's message is the same for every clash; a person fixing it needs to know
    which record is already there.
    """

    def validate(
        self,
        model: Any,
        instance: Any,
        exclude: Any = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as exc:
            lookup = {
                name: getattr(instance, model._meta.get_field(name).attname) for name in self.fields
            }
            others = model._default_manager.using(using).filter(**lookup)
            if self.condition is not None:
                others = others.filter(self.condition)
            if not instance._state.adding and instance.pk is not None:
                others = others.exclude(pk=instance.pk)
            other = others.order_by("pk").first()
            if other is None:
                raise
            raise ValidationError(
                gettext("%(message)s (%(other)s)")
                % {"message": self.get_violation_error_message(), "other": clash_text(other)},
                code=self.violation_error_code,
            ) from exc
