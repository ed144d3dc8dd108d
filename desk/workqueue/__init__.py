"""The work queue: what is due for the clients of a social assistant or a team.

Every item is computed from the records with one database query per rule (never a
Python loop over all clients), and links to the form that resolves it. A rule
takes the *scope* (a Client QuerySet: whose items to show) and *today*, and
returns `WorkItem`s. The rules, with "due" defined precisely:

``gpmi_to_sign``
    A client with a leefloon right running today that obliges a GPMI (the right
    starts on or after ``TRAJECT["GPMI_MANDATORY_SINCE"]``, or the client was
    younger than ``TRAJECT["GPMI_MANDATORY_UNDER_AGE"]`` at its start), with no
    GPMI running during that right (a GPMI without end, or ending on or after
    the right's start: signed, running or planned), and no GPMI exemption
    running today. Due ``TRAJECT["GPMI_SIGN_WITHIN_DAYS"]`` days after the
    right's start (the leefloon decision). Shown from the right's start on.
``gpmi_evaluation``
    A GPMI running today whose latest evaluation on or before today (without
    one: the GPMI's start) lies ``365 // TRAJECT["GPMI_EVALUATIONS_PER_YEAR"]``
    days (121 for 3 a year) or more before today, i.e. no evaluation in the last
    121 days of a GPMI that has run at least that long. Due on that reference
    day plus 121 days.
``article60_ending``
    An article-60 placement running today whose end (the actual end if set,
    otherwise the planned end) lies at most
    ``TRAJECT["ARTICLE60_HANDOVER_WARNING_DAYS"]`` (60) days ahead, or has
    already passed while the placement still runs, and no VDAB registration
    with warm handover registered on or after the placement's start. Due on
    that end.
``vdab_missing``
    A client with an income right (either kind) running today, without a VDAB
    registration running today and without a ``vdab_registration`` exemption
    running today. Due since the start of that income right.
``mmpp_exit_conversation``
    Health data: only for clients in ``health_clients``. The client's latest
    MMPP advice on or before today (``ScreeningQuerySet.latest_first``: of two
    on one day, the highest id) has category 5, was advised
    ``TRAJECT["MMPP_EXIT_CONVERSATION_YEARS"]`` (2) years ago or more, and has
    not lapsed (no ``ended_on``, or ``ended_on`` after today). Due two years
    after the advice (uitleidgesprek).
``referral_outcome``
    A referral without outcome whose start lies
    ``TRAJECT["REFERRAL_OUTCOME_DUE_DAYS"]`` (90) days or more before today.
    Due on start plus 90 days.
``appointment``
    A planned appointment with the client (status still "gepland") that starts
    today or started before today: today's appointments, and past ones whose
    outcome (held, cancelled, no-show) is not registered yet. Due on the
    appointment's day.
``hidden``
    Not a rule: what a viewer who may not see a client's health data (GDPR art.
    9; ``access.rules``) gets instead of every item whose existence depends on it
    (``mmpp_exit_conversation``, and a ``gpmi_to_sign`` or ``vdab_missing`` item
    cancelled by a running exemption): one item per client saying that there is
    an item they may not see, dated today, without rule, date or detail. Neither
    the item nor "nothing to do" is shown, since either would reveal the health
    data.
``jobroad_free_places``
    Not about one client: a session of programme ``jobroad`` of the
    organisation dated after today, with fewer referrals than its capacity (or
    no capacity set). Due on the session's date.
"""

from desk.workqueue.items import RULE_LABELS, WorkItem
from desk.workqueue.questions import question_due
from desk.workqueue.queues import (
    AGE_BANDS,
    OverdueSummary,
    client_ids,
    count_by_rule,
    first_item_per_client,
    overdue_by_worker,
    social_worker_clients,
    social_worker_queue,
    team_clients,
    team_queue,
    work_queue,
)
from desk.workqueue.rules import (
    CLIENT_RULES,
    HEALTH_RULES,
    appointment,
    article60_ending,
    gpmi_evaluation,
    gpmi_evaluation_interval,
    gpmi_to_sign,
    jobroad_free_places,
    mmpp_exit_conversation,
    referral_outcome,
    vdab_missing,
)

__all__ = [
    "AGE_BANDS",
    "CLIENT_RULES",
    "HEALTH_RULES",
    "OverdueSummary",
    "RULE_LABELS",
    "WorkItem",
    "appointment",
    "article60_ending",
    "client_ids",
    "count_by_rule",
    "first_item_per_client",
    "gpmi_evaluation",
    "gpmi_evaluation_interval",
    "gpmi_to_sign",
    "jobroad_free_places",
    "mmpp_exit_conversation",
    "overdue_by_worker",
    "question_due",
    "referral_outcome",
    "social_worker_clients",
    "social_worker_queue",
    "team_clients",
    "team_queue",
    "vdab_missing",
    "work_queue",
]
