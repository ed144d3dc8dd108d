"""Tables of the casework pages (django-tables2): presentation only.

The caseload table reads the status of each client from the annotations of
`desk.selectors.clients_with_status`, made in one query per
page, so the number of queries does not grow with the number of rows.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport
from tablib import Dataset

from casework.models import Client, IncomeCategory, IncomeKind
from core.spreadsheets import EXCEL_CSV, CsvDialect, safe_row
from desk.workqueue import WorkItem

TABLE_TEMPLATE = "django_tables2/traject.html"
# The caseload draws its rows from precomputed cells (`CaseloadTable.screen_rows`).
CASELOAD_TEMPLATE = "desk/caseload_table.html"


def _d(day: datetime.date | None) -> str:
    return date_format(day, "d/m/Y") if day else ""


def _none(text: str) -> str:
    """A dash on screen; screen readers and the export read the words."""
    return format_html(
        '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>', text
    )


def income_text(record: Any) -> str:
    if not record.income_kind:
        return str(_("geen lopend recht"))
    kind = IncomeKind(record.income_kind).label
    category = IncomeCategory(record.income_category).label if record.income_category else ""
    return f"{kind} ({category})" if category else str(kind)


def gpmi_text(record: Any) -> str:
    if not record.gpmi_since:
        return str(_("geen lopend GPMI"))
    return str(_("lopend sinds %(date)s") % {"date": _d(record.gpmi_since)})


def article60_text(record: Any) -> str:
    if not record.article60_since:
        return str(_("nee"))
    if record.article60_until:
        return str(_("tot %(date)s") % {"date": _d(record.article60_until)})
    return str(_("sinds %(date)s") % {"date": _d(record.article60_since)})


def vdab_text(record: Any) -> str:
    if not record.vdab_since:
        return str(_("niet ingeschreven"))
    return str(_("ingeschreven sinds %(date)s") % {"date": _d(record.vdab_since)})


class CaseloadTable(tables.Table):
    """Mijn caseload: one row per client, with what runs today and what is due next."""

    name = tables.Column(
        verbose_name=_("Naam"),
        accessor="last_name",
        order_by=("last_name", "first_name"),
        linkify=lambda record: record.get_absolute_url(),
    )
    age = tables.Column(
        verbose_name=_("Leeftijd"), accessor="birth_date", order_by=("-birth_date",)
    )
    income = tables.Column(
        verbose_name=_("Inkomen en categorie"),
        accessor="income_kind",
        order_by=("income_kind", "income_category"),
        empty_values=(),
    )
    gpmi = tables.Column(verbose_name=_("GPMI"), accessor="gpmi_since", empty_values=())
    article60 = tables.Column(
        verbose_name=_("Artikel 60"), accessor="article60_until", empty_values=()
    )
    vdab = tables.Column(verbose_name=_("VDAB"), accessor="vdab_since", empty_values=())
    next_action = tables.Column(
        verbose_name=_("Eerstvolgende actie"), accessor="pk", orderable=False, default=""
    )

    class Meta:
        model = Client
        fields: tuple[str, ...] = ()
        sequence = ("name", "age", "income", "gpmi", "article60", "vdab", "next_action")
        template_name = CASELOAD_TEMPLATE
        empty_text = _("Geen cliënten gevonden.")
        attrs = {"class": "data-table"}
        orderable = True

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # client pk -> earliest WorkItem; filled in by the view for the rows it shows.
        self.next_actions: dict[int, WorkItem] = {}

    def screen_rows(self) -> list[list[Any]]:
        """The cells of the rows on this page, in the order of the columns: the same
        `render_*` methods, called once per cell without django-tables2's introspection
        of each call (`desk/caseload_table.html` draws them)."""
        rows = self.page.object_list if self.page else self.rows
        return [
            [
                format_html('<a href="{}">{}</a>', record.get_absolute_url(), record),
                self.render_age(record),
                self.render_income(record),
                self.render_gpmi(record),
                self.render_article60(record),
                self.render_vdab(record),
                self.render_next_action(record),
            ]
            for record in (row.record for row in rows)
        ]

    def render_name(self, record: Client) -> str:
        return str(record)

    def render_age(self, record: Client) -> int:
        return record.age_on(self.today)

    def value_age(self, record: Client) -> int:
        return record.age_on(self.today)

    def render_income(self, record: Any) -> str:
        return income_text(record) if record.income_kind else _none(income_text(record))

    def value_income(self, record: Any) -> str:
        return income_text(record)

    def render_gpmi(self, record: Any) -> str:
        # Compact on screen (tablets); the export keeps the full words.
        if not record.gpmi_since:
            return _none(gpmi_text(record))
        return str(_("sinds %(date)s") % {"date": _d(record.gpmi_since)})

    def value_gpmi(self, record: Any) -> str:
        return gpmi_text(record)

    def render_article60(self, record: Any) -> str:
        return article60_text(record)

    def value_article60(self, record: Any) -> str:
        return article60_text(record)

    def render_vdab(self, record: Any) -> str:
        if not record.vdab_since:
            return _none(vdab_text(record))
        return str(_("sinds %(date)s") % {"date": _d(record.vdab_since)})

    def value_vdab(self, record: Any) -> str:
        return vdab_text(record)

    def render_next_action(self, record: Client) -> str:
        item = self.next_actions.get(record.pk)
        if item is None:
            return ""
        return format_html(
            '<a href="{}" class="{}">{}</a> <span class="due">{}</span>',
            item.url,
            "overdue" if item.overdue else "",
            item.rule_label,
            _d(item.due_date),
        )

    def value_next_action(self, record: Client) -> str:
        item = self.next_actions.get(record.pk)
        return f"{item.rule_label} ({_d(item.due_date)})" if item else ""

    def value_name(self, record: Client) -> str:
        return str(record)


class SafeTableExport(TableExport):
    """A table's CSV or XLSX export whose cells no spreadsheet runs as a formula; its CSV
    in `dialect` (default: for Excel with Belgian settings, `core.spreadsheets`)."""

    dialect: CsvDialect = EXCEL_CSV

    def export(self) -> Any:
        if self.format != self.CSV:
            return super().export()
        return self.dialect.prefix + self.dataset.export("csv", delimiter=self.dialect.separator)

    def table_to_dataset(self, table: Any, exclude_columns: Any, dataset_kwargs: Any = None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        return Dataset(
            *(safe_row(row) for row in dataset),
            headers=safe_row(dataset.headers or []),
            title=dataset.title,
        )
