"""The second factor for everybody (TRAJECT_OTP_REQUIRED=all, the production default):
once per session before any page but logging in, enrolment and static files; recovery
codes for a lost phone, each usable once."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from audit.models import AuditAction, AuditEntry
from audit.otp import recovery_codes_create, totp_device_ensure

pytestmark = pytest.mark.django_db


def token(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def otp_all(settings):
    settings.TRAJECT_OTP_REQUIRED = "all"


@pytest.mark.parametrize("role", ["sa", "dpo", "superuser", "administrator", "manager"])
def test_every_user_passes_a_second_factor_before_any_page(world, client, otp_all, role):
    user = world.user(role)
    client.force_login(user)
    for url in (
        reverse("desk:home"),
        reverse("desk:client_detail", args=[world.clients["own"].pk]),
        reverse("audit:client_search"),
        reverse("records:import"),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, (role, url)
        assert response["Location"].startswith(reverse("audit:otp_setup")), (role, url)
    # An htmx panel sends the whole page to the second factor.
    panel = client.get(reverse("desk:caseload"), headers={"HX-Request": "true"})
    assert panel.status_code == 200 and reverse("audit:otp_setup") in panel["HX-Redirect"]
    # Enrolment, logging out and the login page stay open.
    assert client.get(reverse("audit:otp_setup")).status_code == 200
    assert client.get(reverse("login")).status_code == 200


def test_after_the_code_the_session_is_verified_once(world, client, otp_all):
    user = world.user("sa")
    device = totp_device_ensure(user)
    client.force_login(user)
    home = reverse("desk:home")
    response = client.get(home)
    assert response["Location"].startswith(reverse("audit:otp_verify"))
    response = client.post(reverse("audit:otp_verify"), {"token": token(device), "next": home})
    assert response["Location"] == home
    assert client.get(home).status_code == 200
    assert client.get(reverse("desk:caseload")).status_code == 200


def test_staff_mode_asks_staff_only_and_off_asks_nobody(world, client, settings):
    settings.TRAJECT_OTP_REQUIRED = "staff"
    client.force_login(world.user("sa"))
    assert client.get(reverse("desk:home")).status_code == 200
    client.force_login(world.user("superuser"))
    assert client.get(reverse("desk:home")).status_code == 302
    settings.TRAJECT_OTP_REQUIRED = "off"
    assert client.get(reverse("desk:home")).status_code == 200


def test_a_recovery_code_opens_the_session_once(world, client, otp_all):
    user = world.user("dpo")
    totp_device_ensure(user)
    codes = recovery_codes_create(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.force_login(user)
    target = reverse("audit:client_search")
    response = client.post(reverse("audit:otp_verify"), {"token": codes[0].upper(), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9
    entry = AuditEntry.objects.get(action=AuditAction.OTP_RECOVERY)
    assert entry.username == "dpo" and entry.changes == {"codes_left": [None, 9]}
    # The same code a second time: refused.
    client.logout()
    client.force_login(user)
    response = client.post(reverse("audit:otp_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert client.get(target).status_code == 302


def test_enrolment_shows_ten_recovery_codes_that_work(world, client, otp_all):
    user = world.user("manager")
    client.force_login(user)
    client.get(reverse("audit:otp_setup"))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("audit:otp_setup"), {"token": token(device)})
    codes = response.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert code in response.content.decode()
    assert StaticToken.objects.filter(device__user=user, token__in=codes).count() == 10


def test_without_debug_everybody_needs_a_second_factor_by_default():
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TRAJECT_OTP_REQUIRED, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout.split()
    assert out == ["all", "False"]
    # And DEBUG itself is off unless asked for.
    del env["DEBUG"]
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout.split()
    assert out == ["all", "False"]
