"""Traject's URLs: each app has its own namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Nobody sets another person's password: the admin mails a link to these pages.
    path(
        "accounts/password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # The accessibility statement Flemish public-sector applications must publish.
    path(
        "toegankelijkheid/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("records/", include("records.urls")),
    path("questions/", include("answers.urls")),
    path("audit/", include("audit.urls")),
    path("programmes/", include("desk.programme_urls")),
    path("", include("reporting.urls")),
    path("", include("desk.urls")),
]
