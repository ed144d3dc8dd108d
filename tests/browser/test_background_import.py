"""An administrator imports a bundle in a real browser while the database-backed worker
runs beside the server: the job page shows the check's progress, the dry run, and
after the confirmation the import's result, without a page load of its own."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from casework.models import Client
from tests.browser.test_daily_work import PASSWORD, with_password
from tests.records.bundles import base_files, nn_for, write_zip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The worker runs in a thread beside the live server: SQLite's shared in-memory test
    # database locks whole tables across threads without waiting, so the page's polls
    # fail while the worker writes. The suite's PostgreSQL run (make test-postgres)
    # drives this test; tests/records/test_background.py runs the worker on both.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent worker and live server need PostgreSQL (see the comment)",
    ),
]

CLIENTS = 3000


def big_bundle(folder):
    files = base_files()
    birth = datetime.date(1980, 1, 1)
    files["clients.csv"] = [
        {
            "id": f"c{n}",
            "first_name": "Naam",
            "last_name": f"Cliënt {n}",
            "birth_date": (birth + datetime.timedelta(days=n)).isoformat(),
            "gender": "f",
            "national_number": nn_for(birth + datetime.timedelta(days=n)),
        }
        for n in range(1, CLIENTS + 1)
    ]
    keep = ("organisation.csv", "population.csv", "clients.csv")
    return write_zip(folder / "groot.zip", {name: files[name] for name in keep}, prefix="b/")


def test_an_import_runs_in_the_background_and_the_page_follows_it(
    page, live_server, staff, settings, tmp_path, fast_passwords, screenshot
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.RECORDS_UPLOAD_DIR = tmp_path / "uploads"
    with_password(staff.users["administrator"])
    bundle = big_bundle(tmp_path)
    # The worker of `make demo` (in a thread: it shares the in-memory test database, and
    # signal handlers belong to the main thread): two tasks, the check and the import.
    worker = threading.Thread(
        target=Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=2,
            worker_id="browser-test",
            excluded_queue_names=[],
        ).run,
        daemon=True,
    )
    worker.start()

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Gebruikersnaam").fill("administrator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.goto(live_server.url + reverse("records:import"))
    page.get_by_label("Recordbundel (.zip)").set_input_files(str(bundle))
    page.get_by_role("button", name="Opladen en controleren").click()

    expect(page.get_by_role("heading", name=re.compile("groot.zip"))).to_be_visible()
    expect(page.get_by_text("Geen problemen gevonden")).to_be_visible(timeout=60_000)
    expect(page.locator("table.summary")).to_contain_text(str(CLIENTS))
    screenshot(page, "20-import-checked")
    assert not Client.objects.exists()

    page.get_by_role("button", name="Import bevestigen").click()
    expect(page.get_by_text(re.compile("Geïmporteerd: \\d+ rijen"))).to_be_visible(timeout=60_000)
    screenshot(page, "21-import-done")
    worker.join(timeout=30)
    assert Client.objects.filter(organisation__code="mechelen").count() == CLIENTS
