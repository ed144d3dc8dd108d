"""Links of the work queue: a form opened from the queue returns to it."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from desk.workqueue.items import WorkItem, format_day

register = template.Library()


@register.filter
def with_next(url: str, next_url: str) -> str:
    """`url` with `next=<next_url>` added to its query string."""
    if not next_url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'next': next_url})}"


@register.simple_tag(takes_context=True)
def work_item(context: Any, item: WorkItem, counter: int) -> str:
    """One item of `desk/_work_items.html` (<li>), drawn in Python: the template drew the
    same HTML with some thirty tags and filters per item, which cost more than the queue.

    Reads `queue`, `hide_client`, `show_worker`, `inline` and `queue_url` from the
    context, as the template did."""
    queue, inline = context.get("queue"), context.get("inline")
    overdue = item.overdue
    late = format_html('<br><span class="badge badge--overdue">{}</span>', _("te laat"))
    who = ""
    if item.client_id and not context.get("hide_client"):
        who = format_html(
            '<a href="{}"><strong>{}</strong></a> · ',
            reverse("desk:client_detail", args=[item.client_id]),
            item.client_name,
        )
    detail = format_html(" · {}", item.detail) if item.detail else ""
    worker = ""
    if context.get("show_worker") and item.social_worker_name:
        worker = format_html(" · {}", _("MA: %(name)s") % {"name": item.social_worker_name})
    button = panel = ""
    if not item.hidden:
        if queue and item.client_id:
            url = with_next(item.url, context.get("queue_url") or "")
            button = format_html(
                '<a class="button button--small" href="{}" hx-get="{}"'
                ' hx-target="#queue-panel-{}" hx-swap="innerHTML" data-queue-open>{}'
                '<span class="visually-hidden">: {} ({})</span></a>',
                url,
                url,
                counter,
                _("Registreren"),
                item.title,
                item.client_name,
            )
            panel = format_html(
                '<div class="record-panel work-item__panel" id="queue-panel-{}"></div>', counter
            )
        else:
            htmx = ""
            if inline and item.client_id:
                htmx = format_html(
                    ' hx-get="{}" hx-target="#record-panel" hx-swap="innerHTML"', item.url
                )
            label = _("Registreren") if item.client_id else _("Bekijken")
            whom = format_html(" ({})", item.client_name) if item.client_id else ""
            button = format_html(
                '<a class="button button--small" href="{}"{}>{}'
                '<span class="visually-hidden">: {}{}</span></a>',
                item.url,
                htmx,
                label,
                item.title,
                whom,
            )
    return format_html(
        '<li class="work-item{}"{}>\n'
        '    <span class="work-item__date{}">{}{}</span>\n'
        '    <p class="work-item__what">\n'
        "      {}{}\n"
        '      <span class="work-item__detail">{}{}{}</span>\n'
        "    </p>\n"
        "    {}\n"
        "    {}\n"
        "  </li>",
        " work-item--overdue" if overdue else "",
        " data-queue-item" if queue else "",
        " overdue" if overdue else "",
        format_day(item.due_date),
        late if overdue else "",
        who,
        item.title,
        item.rule_label,
        detail,
        worker,
        button,
        panel,
    )
