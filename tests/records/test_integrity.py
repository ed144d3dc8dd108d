"""The integrity rules (domain.md "Integrity", import-format.md "Validation") in the
importer: checked over the bundle and the stored records together, each problem as
`file.csv:LINE: column: message` naming the clashing row's line or the stored
record's own key, and nothing written."""

import datetime

import pytest

from casework.models import Organisation, Trajectory
from partners.models import Employment, MmppScreening, Programme, VdabRegistration
from tests.records.bundles import base_files, import_ok, import_problems, snapshot, write_bundle

pytestmark = pytest.mark.django_db

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
TOMORROW_NL = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")


def _refused(tmp_path, change, *, stored_first=False):
    """The problems of the base bundle changed by `change`; with `stored_first`, the
    base bundle is imported first and the changed files alone are imported after."""
    if stored_first:
        import_ok(write_bundle(tmp_path / "base", base_files()))
    before = snapshot()
    files = base_files()
    change(files)
    if stored_first:
        touched = {name for name in files if files[name] != base_files()[name]}
        files = {n: f for n, f in files.items() if n in touched or n == "organisation.csv"}
        for name in touched:  # only the new rows: the stored ones are left alone
            files[name] = [row for row in files[name] if row not in base_files()[name]]
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert snapshot() == before
    return problems


def test_two_gpmis_of_a_client_may_not_overlap(tmp_path):
    def change(files):
        files["trajectories.csv"].append(
            {"id": "t2", "client": "c1", "kind": "gpmi", "start_date": "2025-01-01"}
        )

    assert _refused(tmp_path, change) == [
        "trajectories.csv:3: start_date: Deze cliënt heeft in deze periode al een GPMI. "
        "(overlapt met t1)"
    ]


def test_a_gpmi_may_overlap_another_kind_of_trajectory(tmp_path):
    files = base_files()
    files["trajectories.csv"].append(
        {"id": "t2", "client": "c1", "kind": "activation", "start_date": "2025-01-01"}
    )
    import_ok(write_bundle(tmp_path / "b", files))
    assert Trajectory.objects.count() == 2


def test_a_vdab_registration_overlapping_a_stored_one_names_its_key(tmp_path):
    def change(files):
        files["vdab_registrations.csv"].append(
            {"id": "v2", "client": "c1", "registered_on": "2024-06-01", "category": "other"}
        )

    assert _refused(tmp_path, change, stored_first=True) == [
        "vdab_registrations.csv:2: registered_on: Deze cliënt is in deze periode al "
        "ingeschreven bij VDAB. (overlapt met v1)"
    ]


def test_referrals_to_one_programme_may_not_overlap_other_programmes_may(tmp_path):
    def change(files):
        files["referrals.csv"].append(
            {"id": "r3", "client": "c1", "programme": "jobroad", "start_date": "2024-05-01"}
        )
        files["referrals.csv"].append(
            {"id": "r4", "client": "c1", "programme": "wijkwerken", "start_date": "2024-05-01"}
        )

    assert _refused(tmp_path, change) == [
        "referrals.csv:4: start_date: Deze cliënt heeft in deze periode al een toeleiding "
        "naar dit programma. (overlapt met r1)"
    ]


def test_one_mmpp_advice_a_day(tmp_path):
    def change(files):
        files["mmpp_screenings.csv"].append(
            {"id": "m2", "client": "c1", "advised_on": "2024-04-01", "category": "2"}
        )

    assert _refused(tmp_path, change) == [
        "mmpp_screenings.csv:3: advised_on: Deze cliënt heeft op deze dag al een "
        "MMPP-advies. (regel 2)"
    ]


def test_one_employment_record_per_start_day_names_the_stored_record(tmp_path):
    def change(files):
        files["employment.csv"].append(
            {"id": "w2", "client": "c2", "start_date": "2024-11-01", "contract": "other"}
        )

    assert _refused(tmp_path, change, stored_first=True) == [
        "employment.csv:2: start_date: Deze cliënt heeft al een tewerkstelling die op deze "
        "dag begint. (w1 in de organisatie)"
    ]


def test_one_referral_per_client_per_session(tmp_path):
    def change(files):
        files["referrals.csv"][0]["end_date"] = "2024-03-10"
        files["referrals.csv"].append(
            {
                "id": "r3",
                "client": "c1",
                "programme": "jobroad",
                "start_date": "2024-03-11",
                "session": "s1",
            }
        )

    assert _refused(tmp_path, change) == [
        "referrals.csv:4: session: Deze cliënt is al toegeleid naar deze sessie. (regel 2)"
    ]


@pytest.mark.parametrize(
    ("file", "row", "column", "line"),
    [
        (
            "trajectory_evaluations.csv",
            {"id": "e9", "trajectory": "t1", "date": TOMORROW},
            "date",
            5,  # the first evaluation's notes take two lines
        ),
        (
            "vdab_registrations.csv",
            {"id": "v9", "client": "c2", "registered_on": TOMORROW, "category": "ocmw"},
            "registered_on",
            3,
        ),
        (
            "mmpp_screenings.csv",
            {"id": "m9", "client": "c2", "advised_on": TOMORROW, "category": "3"},
            "advised_on",
            3,
        ),
    ],
)
def test_what_happened_is_not_dated_after_the_day_of_the_import(tmp_path, file, row, column, line):
    def change(files):
        files[file].append(row)

    assert _refused(tmp_path, change) == [
        f"{file}:{line}: {column}: Deze datum ligt in de toekomst ({TOMORROW_NL}): wat nog "
        "niet gebeurd is, kan niet geregistreerd worden."
    ]


def test_a_valid_bundle_with_every_kind_still_imports(tmp_path):
    import_ok(write_bundle(tmp_path / "b", base_files()))
    organisation = Organisation.objects.get()
    assert VdabRegistration.objects.filter(organisation=organisation).count() == 1
    assert Employment.objects.count() == 1
    assert MmppScreening.objects.count() == 1
    assert Programme.objects.filter(organisation=organisation, code="wijkwerken").exists()
