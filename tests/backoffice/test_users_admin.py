"""User accounts in the admin: nobody raises privileges to or above their own, nobody
sets another person's password, every change of privileges is in the audit log."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from access.roles import ADMINISTRATOR, DPO, SOCIAL_ASSISTANT, TEAM_LEAD, group_name
from access.services import staff_membership_set
from audit.models import AuditAction, AuditEntry
from tests.factories import OrganisationFactory
from tests.security.world import user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def post_user(client, user, **fields):
    """Post the change form of `user` as the admin shows it, with `fields` changed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value not in ("", None)}
    return client.post(change_url(user), data)


def test_a_beheerder_cannot_make_itself_superuser(world, client):
    administrator = world.user("administrator")
    client.force_login(administrator)
    # Its own account is shown read-only.
    assert not client.get(change_url(administrator)).context["has_change_permission"]
    response = post_user(
        client,
        administrator,
        is_superuser="on",
        user_permissions=[str(Permission.objects.get(codename="view_auditentry").pk)],
    )
    assert response.status_code == 403
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()


def test_a_beheerder_cannot_grant_superuser_staff_or_permissions_to_someone_below(world, client):
    client.force_login(world.user("administrator"))
    sa = world.user("sa")
    page = client.get(change_url(sa))
    assert page.status_code == 200
    form_fields = page.context["adminform"].form.fields
    assert "is_superuser" not in form_fields and "is_staff" not in form_fields
    assert "user_permissions" not in form_fields and "password" not in form_fields
    response = post_user(
        client,
        sa,
        is_superuser="on",
        is_staff="on",
        user_permissions=[str(Permission.objects.get(codename="view_auditentry").pk)],
    )
    assert response.status_code == 302
    sa.refresh_from_db()
    assert not sa.is_superuser and not sa.is_staff and not sa.user_permissions.exists()


def test_a_beheerder_assigns_only_roles_below_its_own(world, client):
    client.force_login(world.user("administrator"))
    sa = world.user("sa")
    lead = Group.objects.get(name=group_name(TEAM_LEAD))
    for role in (ADMINISTRATOR, DPO):
        group = Group.objects.get(name=group_name(role))
        response = post_user(client, sa, groups=[str(group.pk)])
        assert response.status_code == 200  # the form refuses the choice
        assert not sa.groups.filter(pk=group.pk).exists()
    assert post_user(client, sa, groups=[str(lead.pk)]).status_code == 302
    assert list(sa.groups.values_list("name", flat=True)) == [group_name(TEAM_LEAD)]
    entry = AuditEntry.objects.filter(action=AuditAction.ROLES_CHANGED, object_id=str(sa.pk))
    assert entry.filter(username="administrator").exists()


def test_nobody_edits_an_account_at_or_above_their_own_level(world, client):
    other_admin = user_with_role("admin2", ADMINISTRATOR, is_staff=True)
    staff_membership_set(user=other_admin, organisation=world.organisation)
    client.force_login(world.user("administrator"))
    for target in (other_admin, world.user("dpo"), world.user("superuser")):
        response = post_user(client, target, is_active="")
        assert response.status_code in (302, 403)
        target.refresh_from_db()
        assert target.is_active, target.username
    # The superuser is not even listed.
    listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    assert "superuser" not in {user.username for user in listed}


def test_a_beheerder_sees_only_the_accounts_of_its_organisation(world, client):
    elsewhere = OrganisationFactory(code="gent", name="OCMW Gent")
    stranger = user_with_role("stranger", SOCIAL_ASSISTANT)
    staff_membership_set(user=stranger, organisation=elsewhere)
    client.force_login(world.user("administrator"))
    listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    names = {user.username for user in listed}
    assert "sa" in names and "stranger" not in names
    assert post_user(client, stranger, is_active="").status_code in (302, 403)
    stranger.refresh_from_db()
    assert stranger.is_active


def test_nobody_sets_another_persons_password_in_the_admin(world, client):
    sa = world.user("sa")
    for name in ("administrator", "superuser"):
        client.force_login(world.user(name))
        url = reverse("admin:auth_user_password_change", args=[sa.pk])
        assert client.get(url).status_code == 403
        response = client.post(
            url, {"password1": "Nieuw-Wachtwoord-2025!", "password2": "Nieuw-Wachtwoord-2025!"}
        )
        assert response.status_code == 403
    sa.refresh_from_db()
    assert not sa.check_password("Nieuw-Wachtwoord-2025!")


def test_a_new_account_gets_a_link_to_set_its_own_password(world, client):
    client.force_login(world.user("administrator"))
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nieuw",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "nieuw@example.be",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nieuw")
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    from access.rules import user_organisation

    assert user_organisation(user) == world.organisation
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuw@example.be"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/" in line)
    page = client.get(link.strip(), follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.PASSWORD_RESET, object_id=str(user.pk), username="administrator"
    ).exists()


def test_every_change_of_privileges_password_or_active_flag_is_audited(world):
    sa = world.user("sa")
    sa.is_staff = True
    sa.is_active = False
    sa.save()
    changed = AuditEntry.objects.filter(
        action=AuditAction.PRIVILEGES_CHANGED, object_id=str(sa.pk)
    ).order_by("-pk")[0]
    assert changed.changes == {"is_staff": [False, True], "is_active": [True, False]}
    sa.set_password("Een-Heel-Ander-Wachtwoord-1")
    sa.save()
    password = AuditEntry.objects.get(action=AuditAction.PASSWORD_CHANGED, object_id=str(sa.pk))
    assert "Een-Heel" not in str(password.changes) and "pbkdf2" not in str(password.changes)
    sa.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    granted = AuditEntry.objects.filter(
        action=AuditAction.PRIVILEGES_CHANGED, object_id=str(sa.pk)
    ).order_by("-pk")[0]
    assert granted.changes == {"permissions_added": ["audit.view_auditentry"]}
    sa.is_superuser = True
    sa.save(update_fields=["is_superuser"])
    assert AuditEntry.objects.filter(
        action=AuditAction.PRIVILEGES_CHANGED, changes__is_superuser=[False, True]
    ).exists()


def test_a_beheerder_removes_second_factors_only_of_accounts_it_manages(world, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audit.otp import totp_device_ensure

    below = totp_device_ensure(world.user("sa"))
    above = totp_device_ensure(world.user("dpo"))
    stranger = user_with_role("stranger", SOCIAL_ASSISTANT)
    staff_membership_set(user=stranger, organisation=OrganisationFactory(code="gent"))
    elsewhere = totp_device_ensure(stranger)
    client.force_login(world.user("administrator"))
    listed = client.get(reverse("admin:otp_totp_totpdevice_changelist")).context["cl"].result_list
    assert elsewhere.pk not in {device.pk for device in listed}
    url = reverse("admin:otp_totp_totpdevice_delete", args=[above.pk])
    client.post(url, {"post": "yes"})
    assert TOTPDevice.objects.filter(pk=above.pk).exists()
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[below.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=below.pk).exists()
