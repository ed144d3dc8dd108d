"""Login hardening: lockout after failures, strong passwords, session expiry, a second
factor for staff before the admin."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.admin_site import TrajectAdminSite
from audit.models import AuditAction, AuditEntry
from audit.otp import totp_device_ensure

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PASSWORD = "Juiste-Paardenbatterij-42"


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(world, fast_hasher):
    user = world.user("sa")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, password, username="sa", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- Lockout ---------------------------------------------------------------------------


def test_a_correct_login_works_and_is_logged(member, client):
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, username="sa").count() == 1


def test_after_the_failure_limit_even_the_right_password_is_refused(member, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "wrong-password").status_code == 200
    response = attempt(client, "wrong-password")
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, username="sa")
    assert failures.count() == 6
    assert AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT, username="sa").exists()


def test_failures_from_other_addresses_do_not_lock_the_real_user_out(member, client):
    # An attacker typing wrong passwords for "sa" elsewhere is locked out there only.
    for _ in range(5):
        attempt(client, "wrong-password", REMOTE_ADDR="198.51.100.7")
    assert attempt(client, "wrong-password", REMOTE_ADDR="198.51.100.7").status_code == 429
    response = attempt(client, PASSWORD, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_lockout_is_per_username_and_address(member, client):
    for _ in range(5):
        attempt(client, "wrong-password", REMOTE_ADDR="10.0.0.1")
    assert attempt(client, PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_a_few_failures_on_other_names_do_not_lock_a_shared_address(world, client, fast_hasher):
    for name in ("colleague", "lead", "other_sa", "manager", "dpo", "nobody", "x"):
        attempt(client, "Welkom2025!", username=name, REMOTE_ADDR="203.0.113.5")
    member = world.user("administrator")
    member.set_password(PASSWORD)
    member.save()
    response = attempt(client, PASSWORD, username="administrator", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302


def test_password_spraying_from_one_address_is_locked_out(world, client, fast_hasher, settings):
    assert settings.TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT == 100
    settings.TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT = 12  # the same rule, fewer requests
    for n in range(11):
        attempt(client, "Welkom2025!", username=f"name{n}", REMOTE_ADDR="203.0.113.5")
    member = world.user("administrator")
    member.set_password(PASSWORD)
    member.save()
    attempt(client, "wrong", username="someone", REMOTE_ADDR="203.0.113.5")  # the 12th
    response = attempt(client, PASSWORD, username="administrator", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    # Another address is not concerned.
    response = attempt(client, PASSWORD, username="administrator", REMOTE_ADDR="203.0.113.6")
    assert response.status_code == 302


def test_a_successful_login_does_not_clear_the_failures_of_other_names(
    world, client, fast_hasher, settings
):
    settings.TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    member = world.user("administrator")
    member.set_password(PASSWORD)
    member.save()
    for n in range(11):
        attempt(client, "Welkom2025!", username=f"name{n}", REMOTE_ADDR="203.0.113.5")
    assert (
        attempt(client, PASSWORD, username="administrator", REMOTE_ADDR="203.0.113.5").status_code
        == 302
    )
    client.logout()
    attempt(client, "wrong", username="someone", REMOTE_ADDR="203.0.113.5")
    response = attempt(client, PASSWORD, username="administrator", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429


def test_tests_may_still_use_client_login(member, client):
    # A call without a request is not a web login attempt: the lockout backend steps aside.
    assert client.login(username="sa", password=PASSWORD)


def test_the_lockout_backend_comes_first():
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "audit.backends.LockoutBackend"


# --- Passwords and sessions ------------------------------------------------------------


@pytest.mark.parametrize("password", ["kort-1", "123456789012", "password1234"])
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.user("sa"))


def test_a_strong_password_is_accepted(world):
    validate_password(PASSWORD, world.user("sa"))


def test_sessions_expire_after_thirty_minutes_without_a_request(world, client):
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    # Every request moves the end forward (core.sessions), without a write every time.
    assert django_settings.SESSION_ENGINE == "core.sessions"
    assert "core.sessions.SessionExpiryMiddleware" in django_settings.MIDDLEWARE
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client.force_login(world.user("sa"))
    home = reverse("desk:home")
    assert client.get(home).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)
    # Every request pushes the end forward; after 30 idle minutes the session is gone.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def stored_end(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_moves_the_session_end_forward_when_it_lags_more_than_a_minute(world, client):
    client.force_login(world.user("sa"))
    home = reverse("desk:home")
    assert client.get(home).status_code == 200
    # The stored end as it would be 10 idle minutes later: the next request moves it.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=20)
    )
    assert client.get(home).status_code == 200
    remaining = stored_end(client) - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_a_request_within_a_minute_of_the_last_save_writes_no_session(world, client):
    client.force_login(world.user("sa"))
    home = reverse("desk:home")
    assert client.get(home).status_code == 200
    end = stored_end(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home).status_code == 200
    assert not [
        q
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    assert stored_end(client) == end
    # Never later than the idle timeout: 30 minutes after the last request at most.
    assert end - timezone.now() <= datetime.timedelta(minutes=30)


def test_a_session_lagging_less_than_a_minute_still_ends_within_the_idle_timeout(world, client):
    client.force_login(world.user("sa"))
    home = reverse("desk:home")
    assert client.get(home).status_code == 200
    # Last written 50 seconds ago: not written again, and it ends 29 min 10 s from now.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=29, seconds=10)
    )
    assert client.get(home).status_code == 200
    remaining = stored_end(client) - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining < datetime.timedelta(minutes=29, seconds=10)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(home)
    assert (response.status_code, response["Location"].startswith(LOGIN)) == (302, True)


def test_a_changed_session_is_saved_at_once(world, client):
    client.force_login(world.user("sa"))
    caseload = reverse("desk:caseload")
    assert client.get(caseload).status_code == 200
    # The caseload's filter is kept in the session: written at once, within the minute.
    assert client.post(caseload, {"q": "Peeters"}).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.get_decoded()["caseload_filter"]["q"] == "Peeters"


def test_a_panel_asked_for_after_the_session_ended_sends_the_whole_page_to_login(world, client):
    page = reverse("desk:client_detail", args=[world.clients["own"].pk])
    panel = reverse("desk:record_add", args=[world.clients["own"].pk, "evaluation"])
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
    response = client.get(panel, headers=htmx)
    # Not the login page inside the panel: htmx loads the login page as a whole page,
    # which returns to the client file, not to the panel's URL.
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next={page.replace('/', '%2F')}"
    assert response.content == b""
    # Without htmx, the usual redirect.
    response = client.get(panel)
    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={panel}")


# --- Second factor for staff -------------------------------------------------------------


def token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def otp_required(settings):
    settings.TRAJECT_OTP_REQUIRED = "staff"


def test_the_admin_uses_the_otp_aware_site():
    from django.contrib import admin

    assert isinstance(admin.site, TrajectAdminSite)


def test_staff_without_a_device_enrol_one_with_a_qr_code(world, client, otp_required):
    admin_user = world.user("administrator")
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:otp_setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>")[0]
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    # A wrong code: refused, logged, still not confirmed.
    wrong = f"{(int(token(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("audit:otp_setup"), {"token": wrong})
    assert "klopt niet" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.OTP_FAILED).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the next try is immediate in the test
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        reverse("audit:otp_setup"), {"token": token(device), "next": reverse("admin:index")}
    )
    # The recovery codes are shown once, with the way on to the page asked for.
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert f'href="{reverse("admin:index")}"' in response.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.OTP_ENROLLED, username="administrator")


def test_staff_with_a_device_give_a_code_before_the_admin(world, client, otp_required):
    admin_user = world.user("administrator")
    device = totp_device_ensure(admin_user, key_hex="3132333435363738393031323334353637383930")
    client.force_login(admin_user)
    changelist = reverse("admin:casework_team_changelist")
    response = client.get(changelist)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:otp_verify"))
    assert client.post(reverse("audit:otp_verify"), {"token": "12345"}).status_code == 200
    response = client.post(
        reverse("audit:otp_verify"), {"token": token(device), "next": changelist}
    )
    assert response["Location"] == changelist
    assert client.get(changelist).status_code == 200


def test_a_used_code_cannot_be_replayed(world, client, otp_required):
    admin_user = world.user("administrator")
    device = totp_device_ensure(admin_user)
    code = token(device)
    client.force_login(admin_user)
    assert client.post(reverse("audit:otp_verify"), {"token": code}).status_code == 302
    client.logout()
    client.force_login(admin_user)
    response = client.post(reverse("audit:otp_verify"), {"token": code})
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_site_itself_refuses_an_unverified_staff_member(world, rf, otp_required):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = world.user("superuser")
    request.user.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_non_staff_users_never_reach_the_admin(world, client, otp_required):
    client.force_login(world.user("sa"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_without_the_requirement_staff_reach_the_admin_directly(world, client, settings):
    settings.TRAJECT_OTP_REQUIRED = "off"
    client.force_login(world.user("administrator"))
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_requirement_is_on_by_default_in_production(monkeypatch):
    import subprocess
    import sys

    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TRAJECT_OTP_REQUIRED, s.SESSION_COOKIE_SECURE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout.split()
    assert out == ["all", "True"]


def test_a_user_model_is_not_deleted_once_it_has_audit_entries(world):
    from django.db.models import ProtectedError

    user = world.user("sa")
    AuditEntry.objects.create(action=AuditAction.LOGIN, user=user, username="sa")
    with pytest.raises(ProtectedError):
        get_user_model().objects.filter(pk=user.pk).delete()
