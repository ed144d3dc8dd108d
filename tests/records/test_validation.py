"""Every validation rule of the bundle, each with a bundle that breaks it.

The database already holds the base bundle; the broken bundle also changes an
existing record (so "nothing written" covers updates too). Each case checks
the non-zero exit, the file, line and column named, and an unchanged database.
"""

import datetime

import pytest

from casework.models import Organisation
from tests.factories import ClientFactory, IncomeRightFactory, ReferralFactory
from tests.records.bundles import (
    base_files,
    import_ok,
    import_problems,
    nn_for,
    snapshot,
    write_bundle,
    write_zip,
)

pytestmark = pytest.mark.django_db

FUTURE = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def _set(file, index, **values):
    def change(files):
        files[file][index].update(values)

    return change


def _add(file, row=None, **values):
    def change(files):
        files[file].append({**(row or {}), **values})

    return change


def _raw(file, text):
    def change(files):
        files[file] = text

    return change


def _more_participants(files):
    # with r1, three clients in s1 (capacity 2): r4 is one too many
    for key, client in (("r3", "c2"), ("r4", "c8")):
        if client == "c8":
            files["clients.csv"].append({**CLIENT, "id": "c8", "national_number": ""})
        files["referrals.csv"].append(
            {
                "id": key,
                "client": client,
                "programme": "jobroad",
                "start_date": "2024-03-01",
                "session": "s1",
            }
        )


CLIENT = {
    "id": "c9",
    "first_name": "Nieuw",
    "last_name": "Client",
    "birth_date": "1970-01-01",
    "gender": "x",
}
RIGHT = {"id": "i9", "client": "c1", "kind": "leefloon", "category": "single"}

# (rule, change to the base bundle, the start of the problem line expected)
CASES = [
    ("unknown column", _add("clients.csv", CLIENT, nickname="N"), "clients.csv:1: nickname: "),
    (
        "missing required column",
        _raw("population.csv", "year\n2024\n"),
        "population.csv:1: inhabitants: ",
    ),
    ("unknown file", _raw("client.csv", "id\nc1\n"), "client.csv:1: -: "),
    (
        "organisation.csv has exactly one row",
        _add("organisation.csv", code="lier", name="OCMW Lier", nis_code=""),
        "organisation.csv:3: -: ",
    ),
    (
        "NIS code of 5 digits",
        _set("organisation.csv", 0, nis_code="1202"),
        "organisation.csv:2: nis_code: ",
    ),
    (
        "inhabitants > 0",
        _set("population.csv", 0, inhabitants="0"),
        "population.csv:2: inhabitants: ",
    ),
    ("a number", _set("population.csv", 0, inhabitants="veel"), "population.csv:2: inhabitants: "),
    ("fte <= 1", _set("social_workers.csv", 0, fte="1.5"), "social_workers.csv:2: fte: "),
    ("fte > 0", _set("social_workers.csv", 1, fte="0"), "social_workers.csv:3: fte: "),
    ("fte is a number", _set("social_workers.csv", 1, fte="0,8"), "social_workers.csv:3: fte: "),
    ("required cell", _set("clients.csv", 1, last_name=""), "clients.csv:3: last_name: "),
    (
        "required reference",
        _set("income_rights.csv", 0, client=""),
        "income_rights.csv:2: client: ",
    ),
    ("gender code", _set("clients.csv", 0, gender="v"), "clients.csv:2: gender: "),
    ("household code", _set("clients.csv", 0, household="alone"), "clients.csv:2: household: "),
    (
        "true or false",
        _set("clients.csv", 0, migration_background="ja"),
        "clients.csv:2: migration_background: ",
    ),
    (
        "birth date not in the future",
        _add("clients.csv", CLIENT, birth_date=FUTURE),
        "clients.csv:4: birth_date: ",
    ),
    ("a real date", _set("clients.csv", 1, birth_date="2003-02-29"), "clients.csv:3: birth_date: "),
    (
        "an ISO date",
        _set("assignments.csv", 0, start_date="01/01/2024"),
        "assignments.csv:2: start_date: ",
    ),
    (
        "national number checksum",
        _set("clients.csv", 0, national_number="85073003329"),
        "clients.csv:2: national_number: ",
    ),
    (
        "national number agrees with birth date",
        _set("clients.csv", 0, birth_date="1985-07-31"),
        "clients.csv:2: national_number: ",
    ),
    (
        "national number 2000+ checksum",
        _set("clients.csv", 1, national_number=nn_for(datetime.date(1903, 2, 14))),
        "clients.csv:3: national_number: ",
    ),
    (
        "national number has 11 digits",
        _set("clients.csv", 0, national_number="8507300332"),
        "clients.csv:2: national_number: ",
    ),
    (
        "national number unique in the bundle",
        _add(
            "clients.csv",
            **{**CLIENT, "birth_date": "1985-07-30", "national_number": "85073003328"},
        ),
        "clients.csv:4: national_number: ",
    ),
    ("id unique in its file", _add("clients.csv", CLIENT, id="c2"), "clients.csv:4: id: "),
    (
        "reference to a client",
        _add(
            "income_rights.csv",
            RIGHT,
            client="c7",
            start_date="2020-01-01",
            end_date="2020-02-01",
        ),
        "income_rights.csv:6: client: ",
    ),
    (
        "reference to a social worker",
        _set("assignments.csv", 0, social_worker="sw9"),
        "assignments.csv:2: social_worker: ",
    ),
    (
        "reference to a trajectory",
        _set("trajectory_evaluations.csv", 1, trajectory="t9"),
        "trajectory_evaluations.csv:4: trajectory: ",
    ),
    (
        "reference to a programme",
        _set("referrals.csv", 1, programme="jobroute"),
        "referrals.csv:3: programme: ",
    ),
    (
        "reference to a programme (funding)",
        _set("programme_funding.csv", 0, programme="x"),
        "programme_funding.csv:2: programme: ",
    ),
    (
        "reference to a session",
        _set("referrals.csv", 0, session="s9"),
        "referrals.csv:2: session: ",
    ),
    (
        "session of the same programme",
        _set("referrals.csv", 1, session="s1"),
        "referrals.csv:3: session: ",
    ),
    (
        "end not before start",
        _set("income_rights.csv", 0, end_date="2023-12-31"),
        "income_rights.csv:2: end_date: ",
    ),
    (
        "planned end not before start",
        _set("article60_placements.csv", 0, planned_end_date="2024-06-30"),
        "article60_placements.csv:2: planned_end_date: ",
    ),
    (
        "ended_on not before registered_on",
        _set("vdab_registrations.csv", 0, ended_on="2024-01-14"),
        "vdab_registrations.csv:2: ended_on: ",
    ),
    (
        "no record before the client's birth",
        _set("income_rights.csv", 2, start_date="2003-02-13"),
        "income_rights.csv:4: start_date: ",
    ),
    (
        "no assignment before birth",
        _set("assignments.csv", 1, start_date="2002-01-01"),
        "assignments.csv:3: start_date: ",
    ),
    (
        "no registration before birth",
        _set("vdab_registrations.csv", 0, registered_on="1985-07-29"),
        "vdab_registrations.csv:2: registered_on: ",
    ),
    (
        "no screening before birth",
        _set("mmpp_screenings.csv", 0, advised_on="1980-01-01"),
        "mmpp_screenings.csv:2: advised_on: ",
    ),
    (
        "no evaluation before its trajectory",
        _set("trajectory_evaluations.csv", 1, date="2024-01-31"),
        "trajectory_evaluations.csv:4: date: ",
    ),
    (
        "income kind code",
        _set("income_rights.csv", 0, kind="pension"),
        "income_rights.csv:2: kind: ",
    ),
    (
        "income category code",
        _set("income_rights.csv", 0, category="couple"),
        "income_rights.csv:2: category: ",
    ),
    ("trajectory kind code", _set("trajectories.csv", 0, kind="job"), "trajectories.csv:2: kind: "),
    (
        "exemption reason code",
        _set("exemptions.csv", 0, reason="other"),
        "exemptions.csv:2: reason: ",
    ),
    (
        "employer kind code",
        _set("article60_placements.csv", 0, employer_kind="firm"),
        "article60_placements.csv:2: employer_kind: ",
    ),
    (
        "placement outcome code",
        _set("article60_placements.csv", 0, outcome="job"),
        "article60_placements.csv:2: outcome: ",
    ),
    (
        "referral outcome code",
        _set("referrals.csv", 1, outcome="job"),
        "referrals.csv:3: outcome: ",
    ),
    (
        "VDAB category code",
        _set("vdab_registrations.csv", 0, category="jobseeker"),
        "vdab_registrations.csv:2: category: ",
    ),
    ("contract code", _set("employment.csv", 0, contract="fixed"), "employment.csv:2: contract: "),
    (
        "MMPP category 1 to 5",
        _set("mmpp_screenings.csv", 0, category="6"),
        "mmpp_screenings.csv:2: category: ",
    ),
    (
        "capacity > 0",
        _set("programme_sessions.csv", 0, capacity="0"),
        "programme_sessions.csv:2: capacity: ",
    ),
    (
        "amount >= 0",
        _set("programme_funding.csv", 1, amount_eur="-1"),
        "programme_funding.csv:3: amount_eur: ",
    ),
    (
        "income rights of a client do not overlap",
        _add("income_rights.csv", RIGHT, start_date="2024-05-01", end_date="2024-05-15"),
        "income_rights.csv:6: start_date: ",
    ),
    (
        "article-60 placements of a client do not overlap",
        _add(
            "article60_placements.csv",
            id="p2",
            client="c1",
            employer_kind="public",
            start_date="2025-01-01",
        ),
        "article60_placements.csv:3: start_date: ",
    ),
    (
        "session capacity",
        _more_participants,
        "referrals.csv:5: session: ",
    ),
    (
        "a row has as many fields as the header",
        _raw("population.csv", "year,inhabitants\n2024,88000,1\n"),
        "population.csv:2: -: ",
    ),
]


@pytest.mark.parametrize(("rule", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_bundle_breaking_a_rule_is_refused_and_nothing_is_written(
    tmp_path, rule, change, expected
):
    import_ok(write_bundle(tmp_path / "base", base_files()))
    before = snapshot()
    files = base_files()
    files["clients.csv"][0]["last_name"] = "Peeters-Maes"  # an update that must not happen
    files["income_rights.csv"].append(
        {**RIGHT, "id": "i8", "client": "c2", "start_date": "2003-03-01", "end_date": "2003-12-31"}
    )  # a new record that must not be written
    change(files)

    problems = import_problems(write_bundle(tmp_path / "broken", files))

    assert problems, rule
    assert all(p.startswith(expected) for p in problems), problems
    assert snapshot() == before


def test_a_new_organisation_with_a_broken_bundle_is_not_created(tmp_path):
    files = base_files()
    files["clients.csv"][0]["gender"] = "q"
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems[0].startswith("clients.csv:2: gender: Waarde 'q' is geen geldige keuze.")
    assert "Toegelaten: m, f, x." in problems[0]
    assert not Organisation.objects.exists()


def test_a_bundle_without_organisation_csv_is_refused(tmp_path):
    files = base_files()
    del files["organisation.csv"]
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems == ["organisation.csv:0: -: De bundel bevat geen organisation.csv."]


def test_a_missing_path_and_a_file_that_is_not_a_zip_are_refused(tmp_path):
    assert import_problems(tmp_path / "nothing.zip")[0].startswith("nothing.zip:0: -: ")
    text = tmp_path / "bundle.zip"
    text.write_text("code,name\n")
    assert "geen map en geen zip" in import_problems(text)[0]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    folder = write_bundle(tmp_path / "b", base_files())
    (folder / "population.csv").write_bytes(
        "year,inhabitants\n2024,88000\n2025,café\n".encode("cp1252")
    )
    assert import_problems(folder) == [
        "population.csv:3: -: Het bestand is niet in UTF-8 gecodeerd; de rest wordt niet gelezen."
    ]


def test_a_nul_byte_in_a_cell_is_a_problem_of_its_row_not_a_server_error(tmp_path):
    files = base_files()
    files["clients.csv"][0]["last_name"] = "Pee\x00ters"
    folder = write_bundle(tmp_path / "b", files)
    problems = import_problems(folder)
    assert "clients.csv:2: last_name: Deze cel bevat een NUL-teken; dat is geen tekst." in problems
    assert not Organisation.objects.exists()


def test_overlap_with_a_stored_income_right_the_bundle_does_not_mention(tmp_path):
    import_ok(write_bundle(tmp_path / "base", base_files()))
    client = ClientFactory(
        organisation=Organisation.objects.get(), external_id="c5", national_number=""
    )
    IncomeRightFactory(client=client, external_id="stored", start_date=datetime.date(2024, 1, 1))
    before = snapshot()
    files = {
        "organisation.csv": base_files()["organisation.csv"],
        "income_rights.csv": [
            {**RIGHT, "id": "new", "client": "c5", "start_date": "2025-01-01", "end_date": ""}
        ],
    }
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems == [
        "income_rights.csv:2: start_date: Deze cliënt heeft in deze periode al een recht op "
        "maatschappelijke integratie. (overlapt met stored)"
    ]  # the stored record's own key (import-format.md), nothing else of it
    assert snapshot() == before


def test_moving_a_stored_period_out_of_the_way_in_the_same_bundle_is_allowed(tmp_path):
    import_ok(write_bundle(tmp_path / "base", base_files()))
    files = {
        "organisation.csv": base_files()["organisation.csv"],
        "income_rights.csv": [
            {**RIGHT, "id": "i2", "start_date": "2024-06-01", "end_date": "2024-12-31"},
            {**RIGHT, "id": "i9", "start_date": "2025-01-01", "end_date": ""},
        ],
    }
    import_ok(write_bundle(tmp_path / "b", files))


def test_a_national_number_taken_by_a_stored_client_is_refused(tmp_path):
    import_ok(write_bundle(tmp_path / "base", base_files()))
    birth = datetime.date(1970, 1, 1)
    ClientFactory(
        organisation=Organisation.objects.get(),
        external_id="c5",
        birth_date=birth,
        national_number=nn_for(birth),
    )
    files = {
        "organisation.csv": base_files()["organisation.csv"],
        "clients.csv": [{**CLIENT, "national_number": nn_for(birth)}],
    }
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems == [
        "clients.csv:2: national_number: Er bestaat al een cliënt met dit "
        "rijksregisternummer in deze organisatie. (een opgeslagen record van de organisatie)"
    ]  # not which client holds it: the row does not say


def test_a_session_full_with_stored_referrals_is_refused(tmp_path):
    import_ok(write_bundle(tmp_path / "base", base_files()))
    organisation = Organisation.objects.get()
    session = organisation.programmes.get(code="jobroad").sessions.get()
    ReferralFactory(
        client=ClientFactory(organisation=organisation, external_id="c5"),
        programme=session.programme,
        session=session,
        external_id="stored",
    )  # s1 (capacity 2) now holds r1 and this one
    files = base_files()
    files["referrals.csv"].append(
        {
            "id": "r3",
            "client": "c2",
            "programme": "jobroad",
            "start_date": "2024-03-01",
            "session": "s1",
        }
    )
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems == ["referrals.csv:4: session: Deze sessie is volzet (2 deelnemers)."]

    # Lowering the capacity below the stored participants is refused on the session.
    files = base_files()
    files["programme_sessions.csv"][0]["capacity"] = "1"
    del files["referrals.csv"]
    problems = import_problems(write_bundle(tmp_path / "c", files))
    assert problems == [
        "programme_sessions.csv:2: capacity: Deze capaciteit is kleiner dan het aantal "
        "opgeslagen deelnemers die de bundel niet wijzigt."
    ]


def test_a_later_birth_date_is_checked_against_the_stored_records_of_the_client(tmp_path):
    import_ok(write_bundle(tmp_path / "base", base_files()))
    files = {
        "organisation.csv": base_files()["organisation.csv"],
        "clients.csv": [
            {**base_files()["clients.csv"][0], "birth_date": "2024-03-01", "national_number": ""}
        ],
    }
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems
    assert all(p.startswith("clients.csv:2: birth_date: ") for p in problems), problems
    # The stored record is not named (the row does not hold its key).
    assert any("income_rights.csv: een opgeslagen record:" in p for p in problems)
    assert not any(" i1" in p for p in problems)


def test_every_problem_of_a_bundle_full_of_mistakes_is_listed(tmp_path):
    files = base_files()
    for row in files["income_rights.csv"]:
        row["category"] = "x"
    files["referrals.csv"][0]["start_date"] = "2024-02-30"
    files["referrals.csv"][1]["client"] = "nobody"
    problems = import_problems(write_zip(tmp_path / "b.zip", files, prefix="b/"))
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in problems] == [
        "income_rights.csv:2: category",
        "income_rights.csv:3: category",
        "income_rights.csv:4: category",
        "referrals.csv:2: start_date",
        "referrals.csv:3: client",
    ]


def test_swapping_national_numbers_of_stored_clients_is_refused_without_writing(tmp_path):
    """A known limit: the database checks uniqueness row by row (see README)."""
    import_ok(write_bundle(tmp_path / "base", base_files()))
    before = snapshot()
    clients = base_files()["clients.csv"]
    first, second = clients[0]["national_number"], clients[1]["national_number"]
    clients[0].update(national_number=second, birth_date="2003-02-14")
    clients[1].update(national_number=first, birth_date="1985-07-30")
    files = {"organisation.csv": base_files()["organisation.csv"], "clients.csv": clients}
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert len(problems) == 1
    assert problems[0].startswith("clients.csv:0: -: De database weigert de bundel")
    assert snapshot() == before


def test_a_column_twice_in_the_header_and_an_empty_file_are_refused(tmp_path):
    files = base_files()
    files["population.csv"] = "year,inhabitants,year\n2024,88000,2025\n"
    files["employment.csv"] = ""
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems == [
        "population.csv:1: year: Deze kolom staat twee keer in de kop.",
        "employment.csv:1: -: Het bestand is leeg; de eerste regel is de kop.",
    ]


def test_references_into_a_file_missing_a_required_column_are_still_checked(tmp_path):
    files = base_files()
    files["programmes.csv"] = "code\r\ntalentwerkt\r\n"  # no name column
    files["programme_funding.csv"].append({"programme": "nope", "year": "2024", "amount_eur": "1"})
    problems = import_problems(write_bundle(tmp_path / "b", files))
    # talentwerkt is known from its key column; only the reference to nothing is reported.
    assert problems == [
        "programmes.csv:1: name: Verplichte kolom ontbreekt.",
        "programme_funding.csv:4: programme: 'nope' bestaat niet in programmes.csv en niet "
        "in de organisatie.",
    ]


def test_a_file_with_only_a_header_is_fine(tmp_path):
    files = base_files()
    files["employment.csv"] = "id,client,start_date,end_date,contract\r\n"
    import_ok(write_bundle(tmp_path / "b", files))
    assert Organisation.objects.get().code == "mechelen"
