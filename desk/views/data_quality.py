"""The data-quality page (team lead, manager): per rule of what is doubtful but possible,
the number and the list of records concerned, each with the link that fixes it
(`desk.selectors.data_quality`)."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from desk.selectors.data_quality import data_quality
from desk.views.base import RoleRequiredMixin, today


class DataQualityView(RoleRequiredMixin, TemplateView):
    permission_required = "casework.view_team_caseload"
    template_name = "desk/data_quality.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = today()
        context.update(today=day, rules=data_quality(self.request.user, day))
        return context
