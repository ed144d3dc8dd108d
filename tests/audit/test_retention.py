"""Retention: clients whose last record ended more than N years ago are pseudonymised,
and every figure of the council report stays the same."""

import datetime
import json

import pytest
from django.core.management import call_command

from audit.models import AuditAction, AuditEntry, Pseudonymisation
from audit.retention import PSEUDONYM_FIRST_NAME, REDACTED_TEXT, apply_retention, retention_due
from casework.models import Client, ClientNote, Trajectory, TrajectoryEvaluation
from core import writes
from reporting.statistics import Month, ReportParameters, build_report
from tests.factories import (
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    ClientNoteFactory,
    EmploymentFactory,
    HouseholdMemberFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    PopulationFactory,
    ReferralFactory,
    SocialWorkerFactory,
    TrajectoryEvaluationFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)
from tests.records.bundles import nn_for

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 30)


def old_file(organisation, worker, n, *, gender="f", birth=None, end=None):
    """A client whose every record ended by `end` (with a national number and notes)."""
    birth = birth or D(1980, 3, 1)
    end = end or D(2012, 5, 31)
    serial = f"{n:03d}"
    base = f"{birth:%y%m%d}{serial}"
    number = base + f"{97 - int(base) % 97:02d}"
    client = ClientFactory(
        organisation=organisation,
        first_name=f"Oud{n}",
        last_name=f"Dossier{n}",
        gender=gender,
        birth_date=birth,
        national_number=number,
    )
    AssignmentFactory(client=client, social_worker=worker, start_date=D(2009, 1, 1), end_date=end)
    IncomeRightFactory(client=client, start_date=D(2009, 1, 1), end_date=end)
    trajectory = TrajectoryFactory(
        client=client, start_date=D(2009, 2, 1), end_date=end, goal=f"Werk voor Oud{n}"
    )
    TrajectoryEvaluationFactory(trajectory=trajectory, date=D(2009, 6, 1), notes="Moeilijk")
    ClientNoteFactory(client=client, date=D(2010, 1, 5), text=f"Oud{n} belde over de huur")
    Article60PlacementFactory(
        client=client,
        start_date=D(2010, 1, 1),
        planned_end_date=D(2011, 6, 30),
        end_date=D(2011, 6, 30),
        outcome="work",
    )
    VdabRegistrationFactory(client=client, registered_on=D(2011, 7, 1), ended_on=end)
    EmploymentFactory(client=client, start_date=D(2011, 8, 1), end_date=end)
    MmppScreeningFactory(client=client, advised_on=D(2009, 3, 1), category=3, ended_on=end)
    ReferralFactory(
        client=client, start_date=D(2010, 3, 1), end_date=D(2010, 9, 1), outcome="training"
    )
    return client


@pytest.fixture
def files(organisation):
    PopulationFactory(organisation=organisation, year=2010, inhabitants=80000)
    worker = SocialWorkerFactory(organisation=organisation, start_date=D(2008, 1, 1))
    old = [
        old_file(organisation, worker, 1),
        old_file(organisation, worker, 2, gender="m", birth=D(1992, 7, 9)),
        old_file(organisation, worker, 3, birth=D(1965, 1, 20), end=D(2014, 12, 31)),
    ]
    # Recent: a record ended 2 years ago.
    recent = old_file(organisation, worker, 4, end=D(2023, 5, 1))
    # Old records but still followed: an assignment without end.
    followed = old_file(organisation, worker, 5)
    AssignmentFactory(client=followed, social_worker=worker, start_date=D(2012, 6, 1))
    # Nothing at all in the file: counts from the day it was made (today).
    empty = ClientFactory(organisation=organisation)
    return {"old": old, "recent": recent, "followed": followed, "empty": empty}


def report(organisation):
    params = ReportParameters(
        organisation=organisation,
        period_from=Month(2008, 1),
        period_to=Month(2024, 12),
        reference_month=Month(2010, 6),
        as_of=D(2025, 1, 1),
    )
    return build_report(params)


def test_only_files_whose_last_record_ended_before_the_cutoff_are_due(files):
    due = retention_due(years=10, today=TODAY)
    assert set(due) == {files["old"][0].pk, files["old"][1].pk, files["old"][2].pk}
    assert due[files["old"][2].pk] == D(2014, 12, 31)
    assert set(retention_due(years=11, today=TODAY)) == {files["old"][0].pk, files["old"][1].pk}


def test_pseudonymisation_removes_what_identifies_and_keeps_what_counts(files):
    result = apply_retention(years=10, today=TODAY)
    assert sorted(result.client_ids) == sorted(c.pk for c in files["old"])
    for original in files["old"]:
        client = Client.objects.get(pk=original.pk)
        assert client.first_name == PSEUDONYM_FIRST_NAME
        assert client.last_name.startswith("P-") and client.last_name != original.last_name
        assert client.national_number == ""
        assert (client.birth_date, client.gender, client.household) == (
            original.birth_date,
            original.gender,
            original.household,
        )
        assert client.version == original.version + 1
        assert list(ClientNote.objects.filter(client=client).values_list("text", flat=True)) == [
            REDACTED_TEXT
        ]
        assert Trajectory.objects.get(client=client).goal == ""
        assert TrajectoryEvaluation.objects.get(trajectory__client=client).notes == ""
        assert Pseudonymisation.objects.get(client=client).retention_years == 10
    # The others are untouched.
    for key in ("recent", "followed", "empty"):
        client = Client.objects.get(pk=files[key].pk)
        assert client.national_number == files[key].national_number
        assert client.first_name == files[key].first_name
    assert ClientNote.objects.filter(text__startswith="Oud4").exists()


def test_every_figure_of_the_council_report_stays_the_same(files, organisation):
    before = report(organisation)
    apply_retention(years=10, today=TODAY)
    after = report(organisation)
    assert after["statistics"] == before["statistics"]
    # The data set is not empty: the old files are counted in the report.
    assert before["statistics"]["income_support"]["leefloon"] == 5
    assert before["statistics"]["article60"]["employed_in_reference_month"] == 5


def test_the_audit_trail_records_the_pseudonymisation_without_the_old_names(files):
    apply_retention(years=10, today=TODAY)
    entries = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type="casework.client")
    assert entries.count() == 3
    entry = entries.get(client_id=files["old"][0].pk)
    assert entry.source == "command:apply_retention"
    assert entry.changes["first_name"] == ["***", PSEUDONYM_FIRST_NAME]
    assert entry.changes["national_number"][0].endswith("*****")
    assert "Oud1" not in json.dumps(entry.changes)


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nothing(files, capsys):
    call_command("apply_retention", "--years", "10", "--dry-run")
    assert "3 cliënten te pseudonimiseren" in capsys.readouterr().out
    assert not Pseudonymisation.objects.exists()
    assert Client.objects.filter(first_name=PSEUDONYM_FIRST_NAME).count() == 0
    call_command("apply_retention", "--years", "10")
    assert "3 cliënten gepseudonimiseerd" in capsys.readouterr().out
    call_command("apply_retention", "--years", "10")
    assert "0 cliënten gepseudonimiseerd" in capsys.readouterr().out
    assert Pseudonymisation.objects.count() == 3


def test_the_setting_gives_the_default_period(files, settings):
    settings.TRAJECT_RETENTION_YEARS = 11
    result = apply_retention(today=TODAY, dry_run=True)
    assert result.years == 11
    assert len(result.client_ids) == 2


def test_a_period_under_one_year_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="minstens 1"):
        call_command("apply_retention", "--years", "0")


def test_pseudonymisation_clears_contact_details_and_the_households_names(files):
    old = files["old"][0]
    writes.record_update(
        instance=old, street="Bruul", house_number="1", phone="015 11 22 33", email="x@y.be"
    )
    child = HouseholdMemberFactory(
        client=old,
        first_name="Lotte",
        birth_date=D(2005, 1, 2),
        national_number=nn_for(D(2005, 1, 2), 5),
        start_date=D(2005, 1, 2),
    )
    # A child still living with the client keeps no file open.
    assert old.pk in retention_due(years=10, today=TODAY)
    apply_retention(years=10, today=TODAY)
    client = Client.objects.get(pk=old.pk)
    assert (client.street, client.house_number, client.phone, client.email) == ("", "", "", "")
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.national_number) == (
        PSEUDONYM_FIRST_NAME,
        REDACTED_TEXT,
        "",
    )
    assert (child.birth_date, child.relation, child.dependant) == (D(2005, 1, 2), "child", True)
