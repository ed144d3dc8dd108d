"""The home page per role, and the work queue page."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import TemplateView

from access.roles import ADMINISTRATOR, DPO, MANAGER, ROLE_LABELS, TEAM_LEAD
from access.rules import organisations_of, roles_of, social_worker_profile
from audit.presentation import dpo_overview
from audit.services import audit_list_read
from casework.models import SocialWorker
from desk import workqueue
from desk.digest import todays_appointments
from desk.models import DailyDigest
from desk.selectors import running_counts
from desk.selectors.team import caseload_figures, led_team
from desk.views.base import RoleRequiredMixin, today

# The home page shows the first items of the queue (the template's slice).
HOME_QUEUE_ITEMS = 20


class HomeView(LoginRequiredMixin, TemplateView):
    """What each role needs first: the queue, the team, the figures, or the admin."""

    template_name = "desk/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = today()
        roles = roles_of(user)  # the access rules' per-request lookup, not a second one
        social_worker = social_worker_profile(user)
        context.update(today=day, role_labels=[ROLE_LABELS[r] for r in sorted(roles)])
        if social_worker is not None and user.has_perm("casework.view_client"):
            # The clients' ids once, for the queue and the counts (whose SQL is then
            # built once a day, core.prepared).
            mine = workqueue.social_worker_clients(social_worker, viewer=user, today=day)
            context["my_items"] = workqueue.social_worker_queue(
                social_worker, viewer=user, today=day, clients=mine
            )
            shown = context["my_items"][:HOME_QUEUE_ITEMS]
            audit_list_read(self.request, workqueue.client_ids(shown), "workqueue:home")
            context["my_summary"] = running_counts(mine, day)
            context["today_appointments"] = todays_appointments(user, day)
            context["digest_sent"] = DailyDigest.objects.filter(
                user=cast(Any, user), day=day
            ).first()
        team = led_team(user)
        if TEAM_LEAD in roles and team is not None:
            items = workqueue.team_queue(team, viewer=user, today=day)
            context["team"] = team
            context["team_counts"] = workqueue.count_by_rule(items)
            context["team_overdue"] = sum(1 for item in items if item.overdue)
        if user.has_perm("casework.view_caseload_figures") and (
            MANAGER in roles or user.is_superuser or team is not None
        ):
            context["figures"] = caseload_figures(organisations_of(user), day, team)
        if MANAGER in roles and user.has_perm("answers.view_question"):
            # The manager's work queue: written questions due within 10 days.
            organisation_ids = organisations_of(user).values_list("pk", flat=True)
            context["manager_items"] = workqueue.question_due(organisation_ids, day)
        context["is_administrator"] = (
            ADMINISTRATOR in roles or user.is_staff or user.has_perm("records.import_records")
        )
        if DPO in roles and user.has_perm("audit.view_auditentry"):
            # The DPO's start: the latest access attempts, break-glass grants and exports.
            context["dpo_overview"] = dpo_overview(user)
        context["has_role"] = bool(roles) or user.is_superuser
        return context


class WorkQueueView(RoleRequiredMixin, TemplateView):
    """/queue/: my work queue; for a team lead also the team's, per social assistant,
    with the overdue items per assistant and their age.

    Each item's form opens in place (htmx, the client file's record form with
    `next` = this page); after a save the form sends `traject:item-resolved` and the
    queue reloads its body (`workqueue.html#queue_body`, the same view)."""

    permission_required = "casework.view_client"
    template_name = "desk/workqueue.html"

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # type: ignore[attr-defined]
            return [self.template_name + "#queue_body"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = today()
        social_worker = social_worker_profile(user)
        team = led_team(user)
        scope = self.request.GET.get("scope", "team" if team is not None else "mine")
        members: QuerySet[SocialWorker] | list[SocialWorker] = (
            SocialWorker.objects.filter(team=team).employed_on(day) if team is not None else []
        )
        worker = None
        if scope == "team" and team is not None:
            worker = next((m for m in members if str(m.pk) == self.request.GET.get("worker")), None)
            if worker is not None:
                # One social assistant of the team (the team lead may see their queue).
                items = workqueue.social_worker_queue(worker, viewer=user, today=day)
            else:
                items = workqueue.team_queue(team, viewer=user, today=day)
        elif social_worker is not None:
            scope = "mine"
            items = workqueue.social_worker_queue(social_worker, viewer=user, today=day)
        else:
            items = []
        counts = workqueue.count_by_rule(items)
        rule = self.request.GET.get("rule", "")
        if rule in workqueue.RULE_LABELS:
            items = [item for item in items if item.rule == rule]
        else:
            rule = ""
        audit_list_read(self.request, workqueue.client_ids(items), f"workqueue:{scope}")
        if scope == "team" and worker is None:
            member_ids = {member.full_name: member.pk for member in members}
            context["overdue"] = [
                (summary, member_ids.get(summary.social_worker_name))
                for summary in workqueue.overdue_by_worker(items)
            ]
            context["age_bands"] = workqueue.AGE_BANDS
        context.update(
            queue_url=self.request.get_full_path(),
            today=day,
            scope=scope,
            team=team,
            items=items,
            counts=counts,
            rule=rule,
            show_worker=scope == "team",
            members=members,
            worker=worker,
            rhythm={
                "sign_days": settings.TRAJECT["GPMI_SIGN_WITHIN_DAYS"],
                "per_year": settings.TRAJECT["GPMI_EVALUATIONS_PER_YEAR"],
                "interval_days": workqueue.gpmi_evaluation_interval().days,
                "handover_days": settings.TRAJECT["ARTICLE60_HANDOVER_WARNING_DAYS"],
                "mmpp_years": settings.TRAJECT["MMPP_EXIT_CONVERSATION_YEARS"],
                "referral_days": settings.TRAJECT["REFERRAL_OUTCOME_DUE_DAYS"],
            },
        )
        return context
