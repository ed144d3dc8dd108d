"""Security events that Django and django-axes announce as signals: logins, failed
logins, lockouts and changes of a user's roles (groups) go into the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed

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


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="audit_logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit_logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_locked_out")
    m2m_changed.connect(
        on_groups_changed, sender=get_user_model().groups.through, dispatch_uid="audit_groups"
    )
