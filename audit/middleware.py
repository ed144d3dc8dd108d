"""Request-wide security duties, each in one place."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from audit.otp import has_second_factor, otp_required_for, otp_verified
from audit.request_info import client_address
from core.writes import writes_by


class WriteSourceMiddleware:
    """Attribute every write during a request to its user, page and address (audit trail)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with writes_by(
            user=request.user,
            source=f"page:{request.path}"[:255],
            address=client_address(request) or "",
        ):
            return self.get_response(request)


# Paths whose pages show client data even to a visitor who is not logged in (none
# today: they all redirect to the login page), kept for the rule below.
CLIENT_DATA_PREFIXES = ("/clients/",)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page that can show client data.

    Every response to a logged-in user is personal (client files, caseloads,
    the admin, the audit log), so none may be kept by the browser or a proxy;
    the pages under /clients/ are covered even before login.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            CLIENT_DATA_PREFIXES
        ):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
            response.headers.pop("Expires", None)
        return response


class SecondFactorMiddleware:
    """Whoever must pass a second factor (`TRAJECT_OTP_REQUIRED`) does so once per session
    before any page but logging in and out, the pages of the second factor itself,
    setting a password through a reset link, the language switch and static files.

    An unverified user is sent to the token page (or, without an authenticator app,
    to the page that enrols one) and comes back afterwards. The admin site checks
    it a second time (TrajectAdminSite.has_permission).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if otp_required_for(user) and not otp_verified(user) and not _open_path(request.path):
            target = reverse("audit:otp_verify" if has_second_factor(user) else "audit:otp_setup")
            next_page = request.get_full_path()
            if request.headers.get("HX-Request"):
                # A panel: the whole page goes to the token page and returns to the page.
                next_page = request.headers.get("HX-Current-URL") or next_page
                next_page = urlsplit(next_page)._replace(scheme="", netloc="").geturl()
                url = f"{target}?{urlencode({'next': next_page})}"
                return HttpResponseClientRedirect(url)
            return HttpResponseRedirect(f"{target}?{urlencode({'next': next_page})}")
        return self.get_response(request)


def _open_path(path: str) -> bool:
    """Pages an authenticated user reaches before their second factor."""
    names = (
        "login",
        "logout",
        "admin:logout",
        "set_language",
        "password_reset_complete",
        "audit:otp_setup",
        "audit:otp_verify",
    )
    if path in {reverse(name) for name in names}:
        return True
    static = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    prefixes = (static, reverse("password_reset_complete").rsplit("/", 2)[0] + "/")
    return path.startswith(prefixes)


class HtmxLoginRedirectMiddleware:
    """A panel loaded with htmx after the session ended (30 minutes idle) would show
    the login page inside the panel; instead the whole page goes to the login page,
    which then returns to the page the user was on (not to the panel's URL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or response.status_code != 302:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login:
            return response
        page = htmx.current_url_abs_path or request.get_full_path()
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': page})}")
