"""Reads of questions in domain words."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from access.rules import organisations_of, regions_of, user_organisation
from casework.models import Organisation, Region


class QuestionQuerySet(models.QuerySet):
    @staticmethod
    def organisations_for(user: Any) -> models.QuerySet[Organisation]:
        """The organisations whose questions `user` works with: their own (team lead,
        manager), every one for a superuser. A regional analyst sees the figures of the
        organisations of their regions, not those organisations' own questions."""
        if user_organisation(user) is None and not getattr(user, "is_superuser", False):
            return Organisation.objects.none()
        return organisations_of(user)

    @staticmethod
    def regions_for(user: Any) -> models.QuerySet[Region]:
        """The regions whose questions `user` works with: those whose report they may see
        (`access.rules.regions_of`: a regional analyst's regions, every one for a
        superuser; none for the staff of one organisation)."""
        return regions_of(user)

    @staticmethod
    def scope_filter(user: Any) -> models.Q:
        """Questions (and published answers) of an organisation or a region of `user`."""
        return models.Q(organisation__in=QuestionQuerySet.organisations_for(user)) | models.Q(
            region__in=QuestionQuerySet.regions_for(user)
        )

    def visible_to(self, user: Any) -> QuestionQuerySet:
        """The questions of the organisations and regions of `user`."""
        return self.filter(self.scope_filter(user))

    def unanswered(self) -> QuestionQuerySet:
        return self.exclude(status="published")

    def due_within(self, today: datetime.date, days: int) -> QuestionQuerySet:
        """Unanswered questions whose answer is due within `days` days of `today` (or
        overdue)."""
        return self.unanswered().filter(due_on__lte=today + datetime.timedelta(days=days))
