"""Response headers (CSP without unsafe-inline, no-store on client pages) and the
production settings (`check --deploy` clean with the values of the README)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The production environment documented in README ("Production settings").
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3x!v9-Qw7#zP2m@L8r$T5n^B1c&Y6d*H4f(J0g)S3h_U7j+E2k=R9l?A5s%M8x",
    "ALLOWED_HOSTS": "traject.example.be",
    "CSRF_TRUSTED_ORIGINS": "https://traject.example.be",
}


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login"), reverse("desk:home")])
def test_every_page_has_a_content_security_policy_without_unsafe_inline(world, client, url):
    client.force_login(world.user("sa"))
    response = client.get(url, follow=True)
    policy = csp(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_nonce_changes_per_request_and_matches_the_page(rf):
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines

    template = engines["django"].from_string("<script nonce='{{ csp_nonce }}'></script>")

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(template.render({}, request))

    nonces = set()
    for _ in range(2):
        request = rf.get("/")
        middleware = ContentSecurityPolicyMiddleware(view)
        response = middleware(request)
        body = response.content.decode()
        nonce = body.split("nonce='")[1].split("'")[0]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.add(nonce)
    assert len(nonces) == 2


def test_client_pages_are_never_stored(world, client):
    client.force_login(world.user("sa"))
    own = world.clients["own"]
    for url in (
        reverse("desk:client_detail", args=[own.pk]),
        reverse("desk:caseload"),
        reverse("desk:client_edit", args=[own.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_a_refused_client_page_is_not_stored_either(world, client):
    client.force_login(world.user("sa"))
    response = client.get(reverse("desk:client_detail", args=[world.clients["other"].pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_client_urls_are_not_stored_even_before_login(client):
    response = client.get("/clients/1/")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_other_security_headers(world, client):
    client.force_login(world.user("sa"))
    response = client.get(reverse("desk:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "DATABASE_URL", "PYTHONPATH"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_a_secure_default_is_switched_off():
    env = PRODUCTION_ENV | {"SESSION_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
