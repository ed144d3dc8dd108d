"""Pages of written questions and their answers (team lead: read; manager: write).

One view and one template per screen; htmx asks the same view for a fragment
(`template.html#partial`): the draft's preview, the verification.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from answers.document import build_docx, draft_document, published_document
from answers.figures import fill
from answers.forms import DraftForm, QuestionForm
from answers.models import Answer, PublishedAnswer, Question
from answers.services import (
    answer_correction_start,
    answer_draft_save,
    draft_publish,
    parameters_of,
    published_report,
    question_create,
    question_update,
)
from answers.verify import verify
from audit.models import AuditAction
from audit.services import audit_log
from reporting.statistics import build_report
from reporting.tables import sections_with_tables

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _question(request: HttpRequest, pk: int) -> Question:
    return get_object_or_404(
        Question.objects.visible_to(request.user).select_related("organisation", "region"), pk=pk
    )


def _published(request: HttpRequest, pk: int) -> PublishedAnswer:
    return get_object_or_404(
        PublishedAnswer.objects.visible_to(request.user).select_related(
            "question", "organisation", "region", "corrects"
        ),
        pk=pk,
    )


@login_required
@permission_required("answers.view_question", raise_exception=True)
def question_list(request: HttpRequest) -> HttpResponse:
    questions = Question.objects.visible_to(request.user).select_related("organisation", "region")
    answers = (
        PublishedAnswer.objects.visible_to(request.user)
        .select_related("question", "organisation", "region")
        .defer("report_json")
    )
    return render(
        request,
        "answers/question_list.html",
        {"questions": questions, "answers": answers, "today": timezone.localdate()},
    )


def _question_form(request: HttpRequest, question: Question | None) -> HttpResponse:
    form = QuestionForm(
        request.POST or None,
        instance=question,
        organisations=Question.objects.organisations_for(request.user),
        regions=Question.objects.regions_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        scope = {"organisation", "region"}
        data = {k: v for k, v in form.cleaned_data.items() if k not in scope}
        try:
            if question is None:
                question = question_create(
                    organisation=form.cleaned_data.get("organisation"),
                    region=form.cleaned_data.get("region"),
                    **data,
                )
            else:
                question = question_update(question=question, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(question)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "answers/question_form.html", {"form": form, "question": question}, status=status
    )


@login_required
@permission_required("answers.add_question", raise_exception=True)
def question_create_view(request: HttpRequest) -> HttpResponse:
    return _question_form(request, None)


@login_required
@permission_required("answers.change_question", raise_exception=True)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_form(request, _question(request, pk))


def _draft_context(answer: Answer | None, report: dict[str, Any] | None) -> dict[str, Any]:
    if answer is None or report is None:
        return {}
    return {
        "filled_text": fill(answer.text, report),
        "sections": sections_with_tables(report, list(answer.statistics)),
        "report": report,
    }


@login_required
@permission_required("answers.view_question", raise_exception=True)
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The question, its draft (form and preview) and its published answers."""
    question = _question(request, pk)
    answer = Answer.objects.filter(question=question).select_related("corrects").first()
    can_draft = request.user.has_perm("answers.change_answer")
    status = 200
    report = None
    if request.method == "POST":
        if not can_draft:
            return HttpResponse(status=403)
        form = DraftForm(request.POST, region=question.region_id is not None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                answer, report = answer_draft_save(
                    question=question,
                    period_from=str(data["period_from"]),
                    period_to=str(data["period_to"]),
                    reference_month=str(data["reference_month"]),
                    as_of=data["as_of"],
                    statistics=data["statistics"],
                    text=data["text"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
        if form.errors:
            status = 400
    else:
        form = DraftForm(
            initial=DraftForm.initial_for(answer, timezone.localdate()),
            region=question.region_id is not None,
        )
        if answer is not None:
            try:
                report = build_report(parameters_of(answer, question.scope))
                fill(answer.text, report)
            except ValidationError as exc:  # a statistic renamed since: say so, never a 500
                form.add_error(None, exc)
                report = None
    context = {
        "question": question,
        "answer": answer,
        "form": form,
        "can_draft": can_draft,
        "can_publish": request.user.has_perm("answers.add_publishedanswer"),
        "published": question.published_answers.select_related("corrects").defer("report_json"),
        **(_draft_context(answer, report) if status == 200 else {}),
    }
    template = "answers/question_detail.html"
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx responses: the form with its errors comes back as 200.
        return render(request, template + "#draft", context)
    return render(request, template, context, status=status)


@login_required
@permission_required("answers.view_question", raise_exception=True)
def draft_docx(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    answer = get_object_or_404(Answer, question=question)
    report = build_report(parameters_of(answer, question.scope))
    try:
        content = build_docx(draft_document(answer, report))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(question)
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type="answers.answer",
        object_id=answer.pk,
        reason="docx",
    )
    return _docx_response(content, f"ontwerp-antwoord-{question.pk}.docx")


@login_required
@permission_required("answers.add_publishedanswer", raise_exception=True)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    answer = get_object_or_404(Answer, question=question)
    try:
        published = draft_publish(answer=answer, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(question)
    messages.success(request, _("Het antwoord is gepubliceerd."))
    return redirect(published)


@login_required
@permission_required("answers.view_publishedanswer", raise_exception=True)
def answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    published = _published(request, pk)
    report = published_report(published)
    context = {
        "published": published,
        "question": published.question,
        "report": report,
        "filled_text": fill(published.text, report),
        "sections": sections_with_tables(report, list(published.statistics)),
        "corrections": published.corrections.defer("report_json"),
        "can_correct": request.user.has_perm("answers.change_answer")
        and published.question is not None,
    }
    return render(request, "answers/answer_detail.html", context)


@login_required
@permission_required("answers.view_publishedanswer", raise_exception=True)
@require_POST
def answer_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Reproduceren: today's figures against the published ones (a fragment for htmx)."""
    published = _published(request, pk)
    result = verify(published)
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type=PublishedAnswer._meta.label_lower,
        object_id=published.pk,
        reason="verify",
    )
    template = "answers/answer_detail.html#verification"
    if not getattr(request, "htmx", False):
        template = "answers/verification_page.html"
    return render(request, template, {"published": published, "verification": result})


@login_required
@permission_required("answers.view_publishedanswer", raise_exception=True)
def answer_docx(request: HttpRequest, pk: int) -> HttpResponse:
    published = _published(request, pk)
    content = build_docx(published_document(published, published_report(published)))
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type=PublishedAnswer._meta.label_lower,
        object_id=published.pk,
        reason="docx",
    )
    return _docx_response(content, f"antwoord-{published.pk}.docx")


@login_required
@permission_required("answers.change_answer", raise_exception=True)
@require_POST
def answer_correct(request: HttpRequest, pk: int) -> HttpResponse:
    published = _published(request, pk)
    try:
        answer = answer_correction_start(published=published)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(published)
    return redirect(answer.question)
