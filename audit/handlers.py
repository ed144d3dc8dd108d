"""Security events that Django and django-axes announce as signals: logins, failed
logins, lockouts and every change of an account's roles (groups), permissions,
superuser and staff status, active flag and password go into the audit trail,
whatever made the change (the admin, a command, the password-reset pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from audit.models import AuditAction
from audit.services import audit_log


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(action=AuditAction.LOGIN, user=user, request=request)


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, user=user, request=request)


def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any):
    # Django has already replaced the password by asterisks; only the username is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    audit_log(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        user=None,
        username=username,
        reason="locked_out" if getattr(request, "axes_locked_out", False) else "",
    )


def on_locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    audit_log(
        action=AuditAction.LOCKED_OUT,
        request=request,
        user=None,
        username=username or "",
        object_type="auth.user",
    )


def _group_names(pks: set[int] | None) -> list[str]:
    return sorted(Group.objects.filter(pk__in=pks or ()).values_list("name", flat=True))


def on_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """Role assignments (group membership) are part of access control: log them."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    user_model = get_user_model()
    if reverse:  # group.user_set.add(...): one entry per user
        users = list(
            user_model.objects.filter(pk__in=pk_set or ()) if action != "pre_clear" else []
        )
        if action == "pre_clear":
            users = list(instance.user_set.all())
        groups = [instance.name]
    else:
        users = [instance]
        groups = (
            list(instance.groups.values_list("name", flat=True))
            if action == "pre_clear"
            else _group_names(pk_set)
        )
    if not groups:
        return
    key = "added" if action == "post_add" else "removed"
    for user in users:
        audit_log(
            action=AuditAction.ROLES_CHANGED,
            object_type=user_model._meta.label_lower,
            object_id=user.pk,
            changes={key: groups},
        )


# The account fields that are privileges (their old and new values are logged).
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "is_active")


def on_user_saving(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Remember what an account held before the save (one query; none for a login,
    which saves last_login only)."""
    update_fields = kwargs.get("update_fields")
    watched = {*PRIVILEGE_FIELDS, "password"}
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not watched & set(update_fields))
    ):
        instance._traject_before = None
        return
    instance._traject_before = (
        sender._base_manager.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS, "password").first()
    )


def on_user_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    label = sender._meta.label_lower
    if created:
        audit_log(
            action=AuditAction.PRIVILEGES_CHANGED,
            object_type=label,
            object_id=instance.pk,
            changes={"created": [None, instance.get_username()]}
            | {name: [None, getattr(instance, name)] for name in PRIVILEGE_FIELDS},
        )
        return
    before = getattr(instance, "_traject_before", None)
    if not before:
        return
    changed = {
        name: [before[name], getattr(instance, name)]
        for name in PRIVILEGE_FIELDS
        if before[name] != getattr(instance, name)
    }
    if changed:
        audit_log(
            action=AuditAction.PRIVILEGES_CHANGED,
            object_type=label,
            object_id=instance.pk,
            changes=changed,
        )
    if before["password"] != instance.password:
        # Never the hash itself: only that it changed, and whether it can be used.
        audit_log(
            action=AuditAction.PASSWORD_CHANGED,
            object_type=label,
            object_id=instance.pk,
            changes={"usable_password": [None, instance.has_usable_password()]},
        )


def on_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """Permissions given to an account (or a group) directly: part of access control."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    from django.contrib.auth.models import Permission

    if action == "pre_clear":
        names = (
            sorted(
                f"{app}.{code}"
                for app, code in instance.user_permissions.values_list(
                    "content_type__app_label", "codename"
                )
            )
            if not reverse
            else [f"{instance.content_type.app_label}.{instance.codename}"]
        )
    else:
        names = (
            sorted(
                f"{app}.{code}"
                for app, code in Permission.objects.filter(pk__in=pk_set or ()).values_list(
                    "content_type__app_label", "codename"
                )
            )
            if not reverse
            else [f"{instance.content_type.app_label}.{instance.codename}"]
        )
    if not names:
        return
    user_model = get_user_model()
    user_pks = [instance.pk] if not reverse else sorted(pk_set or ())
    key = "added" if action == "post_add" else "removed"
    for pk in user_pks:
        audit_log(
            action=AuditAction.PRIVILEGES_CHANGED,
            object_type=user_model._meta.label_lower,
            object_id=pk,
            changes={f"permissions_{key}": names},
        )


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="audit_logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit_logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_locked_out")
    user_model = get_user_model()
    m2m_changed.connect(
        on_groups_changed, sender=user_model.groups.through, dispatch_uid="audit_groups"
    )
    m2m_changed.connect(
        on_permissions_changed,
        sender=user_model.user_permissions.through,
        dispatch_uid="audit_user_permissions",
    )
    pre_save.connect(on_user_saving, sender=user_model, dispatch_uid="audit_user_saving")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="audit_user_saved")
