"""Written questions, the drafts of their answers and the published answers.

A published answer is frozen (like the audit log): its parameters, statistics,
text and the report JSON are stored once and never changed or deleted. The
model and its queryset refuse it; on PostgreSQL a trigger refuses it too
(migration 0002). A correction is a new published answer naming the one it
corrects.

Scope (answers.md: "organisation or region"): a question, and each answer
published for it, is about one organisation or one region (every organisation
of the region and its sub-regions, read as one population as the regional
report does). Exactly one of `organisation` and `region` is set (a check
constraint); `scope` gives it, and `Question.objects.visible_to` says who sees
which (`answers.querysets`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.querysets import QuestionQuerySet
from casework.models import Organisation, Region


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DRAFT = "draft", _("in opmaak")
    PUBLISHED = "published", _("beantwoord")


class Scoped(models.Model):
    """Whose figures: one organisation or one region, never both, never neither."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regio"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, region__isnull=True)
                    | models.Q(organisation__isnull=True, region__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_scope",
            ),
        ]

    @property
    def scope(self) -> Organisation | Region:
        """The organisation or the region the figures are about."""
        scope = self.organisation if self.organisation_id is not None else self.region
        assert scope is not None  # the check constraint
        return scope

    def clean_scope(self) -> None:
        if (self.organisation_id is None) == (self.region_id is None):
            raise ValidationError(_("Kies een organisatie of een regio (precies een van beide)."))


class Question(Scoped):
    """A written question of a councillor (or a member of parliament)."""

    reference = models.CharField(_("referentie"), max_length=50)
    asked_on = models.DateField(_("gesteld op"))
    asked_by = models.CharField(_("gesteld door"), max_length=200)
    text = models.TextField(_("vraag"))
    due_on = models.DateField(_("antwoord tegen"))
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("schriftelijke vraag")
        verbose_name_plural = _("schriftelijke vragen")
        ordering = ["due_on", "reference"]
        constraints = [
            *Scoped.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="answers_question_unique_reference"
            ),
            models.UniqueConstraint(
                fields=["region", "reference"], name="answers_question_unique_region_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("asked_on")),
                name="answers_question_due_after_asked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.asked_by})"

    def get_absolute_url(self) -> str:
        return reverse("answers:question_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        self.clean_scope()
        if self.asked_on and self.due_on and self.due_on < self.asked_on:
            raise ValidationError(
                {"due_on": _("De datum van het antwoord ligt vóór de datum van de vraag.")}
            )


class AnswerParameters(models.Model):
    """The report parameters, statistics and text an answer is made of (draft and published)."""

    period_from = models.CharField(_("periode van"), max_length=7)
    period_to = models.CharField(_("periode tot en met"), max_length=7)
    reference_month = models.CharField(_("referentiemaand"), max_length=7)
    as_of = models.DateField(_("opgemaakt op"))
    # The keys of the statistics that answer the question, in the order they are shown.
    statistics = models.JSONField(_("statistieken"), default=list, blank=True)
    text = models.TextField(_("tekst van het antwoord"), blank=True)

    class Meta:
        abstract = True


class Answer(AnswerParameters):
    """The draft answer of a question (one per question; changed until it is published)."""

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, related_name="draft", verbose_name=_("vraag")
    )
    corrects = models.ForeignKey(
        "answers.PublishedAnswer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verbetert"),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    class Meta:
        verbose_name = _("ontwerpantwoord")
        verbose_name_plural = _("ontwerpantwoorden")

    def __str__(self) -> str:
        return str(_("Ontwerp voor %(reference)s") % {"reference": self.question.reference})


class AppendOnlyError(PermissionDenied):
    """A published answer can be added, never changed or removed."""


class PublishedAnswerQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_("Een gepubliceerd antwoord kan niet gewijzigd worden."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("Een gepubliceerd antwoord kan niet gewist worden."))

    def visible_to(self, user: Any) -> PublishedAnswerQuerySet:
        return self.filter(Question.objects.scope_filter(user))


class PublishedAnswer(Scoped, AnswerParameters):
    """A published answer: frozen, with the report it quotes and its SHA-256."""

    # None: published with `manage.py answers publish` without a registered question.
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_answers",
        verbose_name=_("vraag"),
    )
    title = models.CharField(_("titel"), max_length=300)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("verbetert"),
    )
    # The report exactly as `manage.py council_report` writes it (text, not JSONB: the
    # bytes stay as they were written).
    report_json = models.TextField(_("rapport (JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )
    published_by_username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), default=timezone.now)
    app_version = models.CharField(_("versie van Traject"), max_length=50)

    objects = PublishedAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("gepubliceerd antwoord")
        verbose_name_plural = _("gepubliceerde antwoorden")
        ordering = ["-published_at", "-pk"]
        default_permissions = ("view", "add")
        constraints = [*Scoped.Meta.constraints]

    def __str__(self) -> str:
        return f"{self.title} ({self.published_at:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("Een gepubliceerd antwoord kan niet gewijzigd worden."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("answers:answer_detail", kwargs={"pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(_("Een gepubliceerd antwoord kan niet gewist worden."))
