"""Writes of questions and answers: keyword-only, typed, atomic, validated."""

from __future__ import annotations

import datetime
import hashlib
import json
from importlib import metadata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from answers.figures import quotes
from answers.models import Answer, AnswerParameters, PublishedAnswer, Question, QuestionStatus
from audit.models import AuditAction
from audit.services import audit_log
from casework.models import Organisation, Region
from reporting.exports import report_json
from reporting.statistics import REGISTRY, Month, ReportParameters, build_report
from reporting.statistics.by_organisation import BY_ORGANISATION


def canonical_sha256(report: dict[str, Any]) -> str:
    """SHA-256 of the report written with sorted keys, `,` and `:` and no other
    whitespace, in UTF-8 (answers.md)."""
    text = json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def app_version() -> str:
    try:
        return metadata.version("traject")
    except metadata.PackageNotFoundError:  # pragma: no cover (not installed: a checkout)
        return "onbekend"


def report_parameters(
    *,
    scope: Organisation | Region,
    period_from: str,
    period_to: str,
    reference_month: str,
    as_of: datetime.date,
) -> ReportParameters:
    """The report parameters of an answer about an organisation or a region
    (ValidationError with a Dutch message)."""
    return ReportParameters.for_scope(
        scope,
        period_from=Month.parse(period_from),
        period_to=Month.parse(period_to),
        reference_month=Month.parse(reference_month),
        as_of=as_of,
    )


def parameters_of(answer: AnswerParameters, scope: Organisation | Region) -> ReportParameters:
    return report_parameters(
        scope=scope,
        period_from=answer.period_from,
        period_to=answer.period_to,
        reference_month=answer.reference_month,
        as_of=answer.as_of,
    )


def check_statistics(keys: list[str], params: ReportParameters) -> list[str]:
    """`keys` without repeats; each a statistic of the report of `params` (a region's
    report also has the comparison per organisation)."""
    known = set(REGISTRY) | ({BY_ORGANISATION.key} if params.is_region else set())
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError(
            {"statistics": _("Onbekende statistiek: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    return list(dict.fromkeys(keys))


# --- Questions --------------------------------------------------------------------------


def question_create(
    *,
    organisation: Organisation | None = None,
    region: Region | None = None,
    reference: str,
    asked_on: datetime.date,
    asked_by: str,
    text: str,
    due_on: datetime.date,
) -> Question:
    question = Question(
        organisation=organisation,
        region=region,
        reference=reference.strip(),
        asked_on=asked_on,
        asked_by=asked_by.strip(),
        text=text.strip(),
        due_on=due_on,
    )
    question.full_clean()
    question.save()
    return question


def question_update(*, question: Question, **fields: Any) -> Question:
    allowed = {"reference", "asked_on", "asked_by", "text", "due_on"}
    if set(fields) - allowed:
        raise TypeError(f"cannot change {sorted(set(fields) - allowed)}")
    for name, value in fields.items():
        setattr(question, name, value.strip() if isinstance(value, str) else value)
    question.full_clean()
    question.save()
    return question


# --- Drafts -----------------------------------------------------------------------------


@transaction.atomic
def answer_draft_save(
    *,
    question: Question,
    period_from: str,
    period_to: str,
    reference_month: str,
    as_of: datetime.date,
    statistics: list[str],
    text: str,
    corrects: PublishedAnswer | None = None,
) -> tuple[Answer, dict[str, Any]]:
    """Save the draft of `question` after checking its parameters, statistics and every
    figure its text quotes; returns the draft and the report it was checked against."""
    params = report_parameters(
        scope=question.scope,
        period_from=period_from,
        period_to=period_to,
        reference_month=reference_month,
        as_of=as_of,
    )
    statistics = check_statistics(statistics, params)
    report = build_report(params)
    try:
        quotes(text, report)
    except ValidationError as exc:
        raise ValidationError({"text": exc.messages}) from exc
    answer = Answer.objects.filter(question=question).first() or Answer(question=question)
    answer.period_from, answer.period_to = str(params.period_from), str(params.period_to)
    answer.reference_month, answer.as_of = str(params.reference_month), as_of
    answer.statistics, answer.text, answer.updated_at = statistics, text, timezone.now()
    if corrects is not None:
        answer.corrects = corrects
    answer.full_clean()
    answer.save()
    if question.status == QuestionStatus.OPEN:
        question.status = QuestionStatus.DRAFT
        question.save(update_fields=["status"])
    return answer, report


def answer_correction_start(*, published: PublishedAnswer) -> Answer:
    """A new draft for the question of `published`, starting from it, that corrects it."""
    if published.question is None:
        raise ValidationError(_("Dit antwoord hoort bij geen geregistreerde vraag."))
    Answer.objects.filter(question=published.question).delete()
    answer = Answer(
        question=published.question,
        corrects=published,
        period_from=published.period_from,
        period_to=published.period_to,
        reference_month=published.reference_month,
        as_of=published.as_of,
        statistics=list(published.statistics),
        text=published.text,
    )
    answer.full_clean()
    answer.save()
    return answer


# --- Publishing -------------------------------------------------------------------------


@transaction.atomic
def answer_publish(
    *,
    params: ReportParameters,
    statistics: list[str],
    text: str,
    title: str,
    user: Any = None,
    question: Question | None = None,
    corrects: PublishedAnswer | None = None,
) -> PublishedAnswer:
    """Freeze an answer: the report as `council_report` gives it for `params` (an
    organisation or a region), its SHA-256, the text, who, when and the version.
    Audited."""
    statistics = check_statistics(statistics, params)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Geef een titel.")})
    report = build_report(params)
    try:
        quotes(text, report)
    except ValidationError as exc:
        raise ValidationError({"text": exc.messages}) from exc
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    published = PublishedAnswer(
        organisation=params.organisation,
        region=params.region,
        question=question,
        title=title[:300],
        corrects=corrects,
        period_from=str(params.period_from),
        period_to=str(params.period_to),
        reference_month=str(params.reference_month),
        as_of=params.as_of,
        statistics=statistics,
        text=text,
        report_json=report_json(report),
        sha256=canonical_sha256(report),
        published_by=user if authenticated else None,
        published_by_username=user.get_username() if authenticated else "",
        app_version=app_version(),
    )
    published.full_clean()
    published.save()
    if question is not None:
        Answer.objects.filter(question=question).delete()
        question.status = QuestionStatus.PUBLISHED
        question.save(update_fields=["status"])
    audit_log(
        action=AuditAction.CREATE,
        user=user,
        object_type=PublishedAnswer._meta.label_lower,
        object_id=published.pk,
        changes={"sha256": [None, published.sha256], "corrects": [None, corrects and corrects.pk]},
        reason=title,
    )
    return published


def draft_publish(*, answer: Answer, user: Any) -> PublishedAnswer:
    question = answer.question
    return answer_publish(
        params=parameters_of(answer, question.scope),
        statistics=list(answer.statistics),
        text=answer.text,
        title=_("Antwoord op schriftelijke vraag %(reference)s")
        % {"reference": question.reference},
        user=user,
        question=question,
        corrects=answer.corrects,
    )


def published_report(published: PublishedAnswer) -> dict[str, Any]:
    """The report stored with a published answer, as data."""
    report: dict[str, Any] = json.loads(published.report_json)
    return report
