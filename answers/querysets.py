"""Reads of questions in domain words."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from access.rules import organisations_of
from casework.models import Organisation


class QuestionQuerySet(models.QuerySet):
    @staticmethod
    def scope_of(user: Any) -> models.QuerySet[Organisation]:
        """The organisations whose questions `user` works with (`access.rules`)."""
        return organisations_of(user)

    def visible_to(self, user: Any) -> QuestionQuerySet:
        """The questions of the organisations of `user` (team lead, manager)."""
        return self.filter(organisation__in=self.scope_of(user))

    def unanswered(self) -> QuestionQuerySet:
        return self.exclude(status="published")

    def due_within(self, today: datetime.date, days: int) -> QuestionQuerySet:
        """Unanswered questions whose answer is due within `days` days of `today` (or
        overdue)."""
        return self.unanswered().filter(due_on__lte=today + datetime.timedelta(days=days))
