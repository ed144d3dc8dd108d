"""The work-queue rule of the manager: written questions whose answer is due soon.

``question_due``
    Not about one client: a written question of the organisation that is not
    answered yet (status open or draft) and whose answer is due within
    ``TRAJECT["QUESTION_DUE_WITHIN_DAYS"]`` (10) days of today, or overdue. Due
    on the question's due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from answers.models import Question
from desk.workqueue.items import WorkItem, format_day, setting


def question_due(organisation_ids: Iterable[int], today: datetime.date) -> list[WorkItem]:
    questions = (
        Question.objects.filter(organisation_id__in=list(organisation_ids))
        .due_within(today, setting("QUESTION_DUE_WITHIN_DAYS"))
        .order_by("due_on", "reference")
    )
    return [
        WorkItem(
            rule="question_due",
            title=_("Schriftelijke vraag %(reference)s beantwoorden")
            % {"reference": question.reference},
            detail=_("Gesteld door %(by)s op %(date)s")
            % {"by": question.asked_by, "date": format_day(question.asked_on)},
            due_date=question.due_on,
            today=today,
            url=question.get_absolute_url(),
        )
        for question in questions
    ]
