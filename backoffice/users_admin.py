"""User accounts in the admin, registered instead of Django's own `UserAdmin`.

Who may manage which account is decided in `access.accounts` only: nobody edits
privileges equal to or above their own, a non-superuser manages only accounts of
their own organisation and never changes `is_superuser`, `is_staff` or
permissions. Nobody types another person's password: a new account has none
and its owner sets it through a reset link (Django's password-reset views),
which an administrator can also send later. Every change of privileges,
password or active flag is in the audit log (`audit.handlers`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.accounts import assignable_groups, manageable_users, may_manage
from access.rules import user_organisation
from access.services import staff_membership_set
from audit.models import AuditAction
from audit.services import audit_log
from casework.models import Organisation

User = get_user_model()

# What every account shows; privileges only for superusers (see get_fieldsets).
PERSONAL = (gettext_lazy("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")})
DATES = (gettext_lazy("Belangrijke data"), {"fields": ("last_login", "date_joined")})


class AccountForm(forms.ModelForm):
    """An account's own fields, and (for superusers) the organisation it acts in."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisatie"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy(
            "Voor managers, beheerders en de functionaris voor gegevensbescherming: de "
            "organisatie waarin ze werken. Maatschappelijk assistenten en teamverantwoordelijken "
            "horen bij de organisatie van hun profiel."
        ),
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            membership = getattr(self.instance, "staff_membership", None)
            self.fields["organisation"].initial = membership.organisation_id if membership else None


class AccountAddForm(AccountForm):
    """A new account: no password (its owner sets one through the reset link)."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def send_password_link(request: Any, user: Any) -> bool:
    """Mail `user` a link to set their own password (Django's reset views); audited."""
    if not user.email:
        return False
    form = PasswordResetForm({"email": user.email})
    if not form.is_valid():
        return False
    # PasswordResetForm mails every active account with that address whose password
    # may be reset (also one without a usable password: a new account).
    form.get_users = lambda email: [user] if user.is_active else []  # type: ignore[method-assign]
    form.save(request=request, use_https=request.is_secure())
    audit_log(
        action=AuditAction.PASSWORD_RESET,
        request=request,
        object_type=User._meta.label_lower,
        object_id=user.pk,
        reason=_("link om een wachtwoord in te stellen verstuurd naar het e-mailadres"),
    )
    return True


class AccountAdmin(DjangoUserAdmin):
    form = AccountForm
    add_form = AccountAddForm
    add_form_template = None
    add_fieldsets = ((None, {"fields": ("username",)}), PERSONAL)
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    actions = ["send_password_links"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(pk__in=manageable_users(request.user).values("pk"))
        )

    def get_fieldsets(self, request, obj=None):
        superuser = request.user.is_superuser
        if obj is None:
            if superuser:
                return (*self.add_fieldsets, (None, {"fields": ("organisation",)}))
            return self.add_fieldsets
        status = ("is_active", "groups")
        if superuser:
            status = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
        fieldsets = [(None, {"fields": ("username",)}), PERSONAL]
        fieldsets.append((gettext_lazy("Rollen en status"), {"fields": status}))
        if superuser:
            fieldsets.append((None, {"fields": ("organisation",)}))
        return [*fieldsets, DATES]

    def get_readonly_fields(self, request, obj=None):
        return ("last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = assignable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and change and not may_manage(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if request.user.is_superuser:
            if "organisation" in form.changed_data or not change:
                staff_membership_set(user=obj, organisation=form.cleaned_data.get("organisation"))
        elif not change:
            # A new account acts in its maker's organisation.
            staff_membership_set(user=obj, organisation=user_organisation(request.user))

    def save_related(self, request, form, formsets, change):
        kept = []
        if not request.user.is_superuser and change:
            # Groups the maker may not assign stay as they were (the form does not show them).
            allowed = set(assignable_groups(request.user).values_list("pk", flat=True))
            kept = [g for g in form.instance.groups.all() if g.pk not in allowed]
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)

    def response_add(self, request, obj, post_url_continue=None):
        if send_password_link(request, obj):
            messages.info(
                request,
                _("Een link om een wachtwoord in te stellen is gemaild naar %(email)s.")
                % {"email": obj.email},
            )
        return super().response_add(request, obj, post_url_continue)

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another person's password (they could then log in as them).
        raise PermissionDenied

    @admin.action(description=gettext_lazy("Mail een link om een nieuw wachtwoord in te stellen"))
    def send_password_links(self, request, queryset):
        sent, skipped = 0, 0
        for user in queryset:
            if may_manage(request.user, user) and send_password_link(request, user):
                sent += 1
            else:
                skipped += 1
        if sent:
            messages.success(request, _("%(count)s link(s) gemaild.") % {"count": sent})
        if skipped:
            messages.warning(
                request,
                _("%(count)s account(s) zonder e-mailadres of buiten je bevoegdheid overgeslagen.")
                % {"count": skipped},
            )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


class ManagedDeviceMixin:
    """Second-factor devices of the accounts the user may manage only: deleting one makes
    its owner enrol anew, so it is as much a change of the account as its roles."""

    def get_queryset(self, request):
        devices = super().get_queryset(request)  # type: ignore[misc]
        return devices.filter(user__in=manageable_users(request.user).values("pk"))

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):  # type: ignore[misc]
            return False
        return obj is None or may_manage(request.user, obj.user)


class ManagedTOTPDeviceAdmin(ManagedDeviceMixin, TOTPDeviceAdmin):
    pass


class ManagedStaticDeviceAdmin(ManagedDeviceMixin, StaticDeviceAdmin):
    pass


for device_model, device_admin in (
    (TOTPDevice, ManagedTOTPDeviceAdmin),
    (StaticDevice, ManagedStaticDeviceAdmin),
):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
    admin.site.register(device_model, device_admin)
