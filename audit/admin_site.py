"""The admin site: staff must also have passed the second factor (TOTP) when it is required."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


def otp_required_for(user) -> bool:
    """Whether `user` must pass a second factor: staff, when TRAJECT_ADMIN_OTP_REQUIRED is on."""
    return bool(settings.TRAJECT_ADMIN_OTP_REQUIRED and user.is_authenticated and user.is_staff)


def otp_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class TrajectAdminSite(admin.AdminSite):
    site_header = _("Traject beheer")
    site_title = _("Traject beheer")
    index_title = _("Beheer")

    def has_permission(self, request) -> bool:
        # AdminOTPMiddleware sends an unverified staff member to the token page
        # first; this is the second lock on the same door.
        if not super().has_permission(request):
            return False
        return not otp_required_for(request.user) or otp_verified(request.user)


class TrajectAdminConfig(AdminConfig):
    """`django.contrib.admin` with Traject's admin site as `admin.site`."""

    default_site = "audit.admin_site.TrajectAdminSite"
