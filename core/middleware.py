"""Request parameters no page can use are stopped or tamed here, before any view.

- A NUL byte in a parameter (name or value, query string or form) is no text:
  PostgreSQL refuses it, so it would become a server error deep in a query. The
  request is refused as a bad request (400) instead.
- A page number (`page`, the admin's `p`) longer than `MAX_PAGE_DIGITS` digits or
  not a number at all is dropped (the first page), so that no paginator computes
  an offset the database cannot hold.
- A page size (`per_page`) is capped at `MAX_PER_PAGE` rows (and dropped when it
  is not a number), so that nobody asks a million rows of one page.

Every list page, the admin's included, is covered by this one rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict

PAGE_PARAMETERS = ("page", "p")
MAX_PAGE_DIGITS = 6
PER_PAGE_PARAMETER = "per_page"
MAX_PER_PAGE = 100


class NulByteInRequest(SuspiciousOperation):
    """A request parameter holds a NUL byte (answered with 400 Bad Request)."""


def has_nul(query: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


def tamed_query(query: QueryDict) -> Any:
    """`query` with absurd page numbers dropped and the page size capped (None: unchanged)."""
    changes: dict[str, str | None] = {}
    for name in PAGE_PARAMETERS:
        value = query.get(name)
        if value is not None and not (value.isdigit() and len(value) <= MAX_PAGE_DIGITS):
            changes[name] = None
    per_page = query.get(PER_PAGE_PARAMETER)
    if per_page is not None:
        if not per_page.isdigit():
            changes[PER_PAGE_PARAMETER] = None
        elif len(per_page) > MAX_PAGE_DIGITS or int(per_page) > MAX_PER_PAGE:
            changes[PER_PAGE_PARAMETER] = str(MAX_PER_PAGE)
    if not changes:
        return None
    tamed = query.copy()
    for name, value in changes.items():
        if value is None:
            tamed.pop(name, None)
        else:
            tamed[name] = value
    tamed._mutable = False
    return tamed


class RequestParametersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or has_nul(request.GET):
            raise NulByteInRequest("NUL byte in the query string")
        if request.method == "POST" and has_nul(request.POST):
            raise NulByteInRequest("NUL byte in the form")
        tamed = tamed_query(request.GET)
        if tamed is not None:
            request.GET = tamed
        return self.get_response(request)
