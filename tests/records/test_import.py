"""Importing record bundles: round trips, idempotence, updates, file formats."""

import datetime
import filecmp
import io
import threading
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from casework import services
from casework.models import (
    Assignment,
    Client,
    IncomeRight,
    Organisation,
    SocialWorker,
    Team,
    TrajectoryEvaluation,
)
from core import writes
from partners.models import Programme, ProgrammeFunding, Referral
from records.importer import import_bundle
from records.importer.writer import Writer
from records.progress import Progress
from tests.factories import (
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    EmploymentFactory,
    ExemptionFactory,
    HouseholdMemberFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    PopulationFactory,
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    RegionFactory,
    SocialWorkerFactory,
    TeamFactory,
    TrajectoryEvaluationFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)
from tests.records.bundles import (
    base_files,
    empty_database,
    import_ok,
    import_problems,
    nn_for,
    snapshot,
    write_bundle,
    write_zip,
)

pytestmark = pytest.mark.django_db


def exporter() -> str:
    get_user_model().objects.get_or_create(username="exporter")
    return "exporter"


def export(code, folder):
    call_command("export_records", code, str(folder), "--user", exporter(), stdout=io.StringIO())
    return folder


def same_files(first, second):
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    return names


def every_kind_of_record():
    """An organisation with records of every kind, made in the app (factories)."""
    flanders = RegionFactory(code="vlaanderen", name="Vlaanderen")
    province = RegionFactory(
        code="oost-vlaanderen", name="Provincie Oost-Vlaanderen", parent=flanders
    )
    RegionFactory(code="limburg", name="Provincie Limburg", parent=flanders)  # not exported
    organisation = OrganisationFactory(
        code="gent", name="OCMW Gent", nis_code="44021", region=province
    )
    Programme.objects.bulk_create(
        Programme(organisation=organisation, code=code, name=name)
        for code, name in Programme.DEFAULTS.items()
    )
    PopulationFactory(organisation=organisation, year=2024, inhabitants=265000)
    team = TeamFactory(organisation=organisation, name="Team Zuid")
    worker = SocialWorkerFactory(
        organisation=organisation, external_id="sw-1", team=team, fte=Decimal("0.750")
    )
    client = ClientFactory(
        organisation=organisation,
        external_id="c-1",
        first_name="Zoë",
        last_name='Van den Broeck, "Zo"',
        birth_date=datetime.date(1999, 12, 31),
        national_number=nn_for(datetime.date(1999, 12, 31), 7),
        household="married",
        migration_background=None,
        street="Bruul",
        house_number="12 bus 3",
        postcode="2800",
        municipality="Mechelen",
        phone="+32 15 12 34 56",
        email="zoe@example.be",
        language="fr",
        interpreter_needed=True,
    )
    HouseholdMemberFactory(
        client=client,
        external_id="h-1",
        relation="partner",
        first_name="Aydın",
        last_name="Yılmaz",
        birth_date=datetime.date(1998, 2, 3),
        national_number=nn_for(datetime.date(1998, 2, 3), 11),
        dependant=False,
        start_date=datetime.date(2020, 5, 1),
    )
    other = ClientFactory(organisation=organisation, external_id="c-0", household="")
    HouseholdMemberFactory(client=other, external_id="h-2", birth_date=None, end_date=None)
    AssignmentFactory(client=client, social_worker=worker, external_id="a-1")
    IncomeRightFactory(client=client, external_id="i-2", end_date=datetime.date(2024, 3, 31))
    IncomeRightFactory(client=other, external_id="i-1", category="family")
    trajectory = TrajectoryFactory(client=client, external_id="t-1", goal="Lijn 1\nLijn 2")
    TrajectoryEvaluationFactory(trajectory=trajectory, external_id="e-1", notes="a,b")
    ExemptionFactory(client=other, external_id="x-1", reason="equity")
    Article60PlacementFactory(client=client, external_id="p-1", outcome="work")
    programme = ProgrammeFactory(organisation=organisation, code="jobroad")
    ProgrammeFundingFactory(programme=programme, year=2023, amount_eur=Decimal("1234.50"))
    session = ProgrammeSessionFactory(programme=programme, external_id="s-1", capacity=None)
    ReferralFactory(
        client=client, programme=programme, session=session, external_id="r-1", outcome="none"
    )
    VdabRegistrationFactory(client=client, external_id="v-1", warm_handover=True)
    EmploymentFactory(client=other, external_id="w-1", contract="")
    MmppScreeningFactory(client=other, external_id="m-1", category=5)
    return organisation


def test_export_then_import_into_an_empty_database_gives_the_same_records_and_bytes(tmp_path):
    every_kind_of_record()
    first = export("gent", tmp_path / "first")
    records = snapshot(with_bookkeeping=False)
    # Only the organisation's region and the regions above it are in its bundle.
    records["Region"] = [row for row in records["Region"] if row[0] != "limburg"]

    empty_database()
    assert not Organisation.objects.exists()
    import_ok(first)

    assert snapshot(with_bookkeeping=False) == records
    second = export("gent", tmp_path / "second")
    names = same_files(first, second)
    # every file of the spec and household_members.csv: there is a record of every kind
    assert len(names) == 19
    assert (second / "regions.csv").read_bytes().decode() == (
        "code,name,parent\r\n"
        "oost-vlaanderen,Provincie Oost-Vlaanderen,vlaanderen\r\n"
        "vlaanderen,Vlaanderen,\r\n"
    )


def test_exporting_twice_gives_identical_bytes(tmp_path):
    every_kind_of_record()
    same_files(export("gent", tmp_path / "a"), export("gent", tmp_path / "b"))


def test_the_export_writes_values_in_the_form_of_the_spec(tmp_path):
    bundle = write_bundle(tmp_path / "in", base_files())
    import_ok(bundle)
    out = export("mechelen", tmp_path / "out")
    clients = (out / "clients.csv").read_bytes().decode("utf-8")
    # Stored normalised: the national number without dots and dashes.
    assert "c1,An,Peeters,1985-07-30,f,85073003328,single,false\r\n" in clients
    assert '"El Amrani, jr."' in clients
    funding = (out / "programme_funding.csv").read_bytes().decode("utf-8")
    assert funding == "programme,year,amount_eur\r\njobroad,2024,70000.5\r\ntalentwerkt,2024,0\r\n"
    evaluations = (out / "trajectory_evaluations.csv").read_bytes().decode("utf-8")
    assert evaluations == (
        "id,trajectory,date,face_to_face,notes\r\n"
        'e1,t1,2024-05-01,true,"Gesprek, met ""tolk""\nen opvolging"\r\n'
        "e2,t1,2024-09-01,,\r\n"  # empty in the bundle: not known, so empty again
    )


def test_importing_a_bundle_twice_equals_importing_it_once(tmp_path):
    bundle = write_bundle(tmp_path / "b", base_files())
    import_ok(bundle)
    once = snapshot()
    output = import_ok(bundle)
    assert snapshot() == once  # no duplicate, no version bump, no timestamp touched
    assert "clients.csv: 0 nieuw, 0 gewijzigd, 2 ongewijzigd" in output


def test_the_import_creates_every_kind_of_record_with_its_values(tmp_path):
    import_ok(write_bundle(tmp_path / "b", base_files()))
    organisation = Organisation.objects.get(code="mechelen")
    assert (organisation.name, organisation.nis_code) == ("OCMW Mechelen", "12025")
    client = Client.objects.get(external_id="c1")
    assert client.organisation == organisation
    assert client.national_number == "85073003328"
    assert client.migration_background is False
    assert Client.objects.get(external_id="c2").household == ""
    worker = SocialWorker.objects.get(external_id="sw1")
    assert worker.fte == Decimal("0.8")
    assert worker.team.name == "Team Noord"
    assert SocialWorker.objects.get(external_id="sw2").team is None
    evaluation = TrajectoryEvaluation.objects.get(external_id="e1")
    assert evaluation.notes == 'Gesprek, met "tolk"\nen opvolging'
    assert evaluation.organisation == organisation
    # An empty cell is "unknown / none" (import-format.md); exported again as empty.
    assert TrajectoryEvaluation.objects.get(external_id="e2").face_to_face is None
    referral = Referral.objects.get(external_id="r1")
    assert (referral.programme.code, referral.session.external_id) == ("jobroad", "s1")
    assert ProgrammeFunding.objects.get(programme__code="jobroad").amount_eur == Decimal("70000.5")
    # The standard programmes exist without being imported, next to the imported one.
    assert set(organisation.programmes.values_list("code", flat=True)) == {
        *Programme.DEFAULTS,
        "talentwerkt",
    }


def test_a_changed_row_updates_its_record_an_empty_cell_clears_and_others_are_left_alone(
    tmp_path,
):
    import_ok(write_bundle(tmp_path / "first", base_files()))
    before = IncomeRight.objects.get(external_id="i3")
    untouched = snapshot()["Referral"]
    changes = {
        "organisation.csv": base_files()["organisation.csv"],
        "income_rights.csv": [
            {
                "id": "i3",
                "client": "c2",
                "kind": "leefloon",
                "category": "cohabiting",
                "start_date": "2024-02-01",
                "end_date": "2024-12-31",
            }
        ],
        "clients.csv": [
            {
                "id": "c1",
                "first_name": "An",
                "last_name": "Peeters",
                "birth_date": "1985-07-30",
                "gender": "f",
                "national_number": "",
                "household": "",
                "migration_background": "",
            }
        ],
    }
    output = import_ok(write_bundle(tmp_path / "second", changes))
    assert "income_rights.csv: 0 nieuw, 1 gewijzigd, 0 ongewijzigd" in output
    after = IncomeRight.objects.get(external_id="i3")
    assert (after.kind, after.end_date) == ("leefloon", datetime.date(2024, 12, 31))
    assert after.version == before.version + 1
    assert after.pk == before.pk
    client = Client.objects.get(external_id="c1")
    assert (client.national_number, client.household, client.migration_background) == (
        "",
        "",
        None,
    )
    assert IncomeRight.objects.filter(client__external_id="c1").count() == 2  # not in bundle
    assert snapshot()["Referral"] == untouched


def test_an_optional_column_left_out_keeps_the_stored_value(tmp_path):
    import_ok(write_bundle(tmp_path / "first", base_files()))
    rows = [
        {"id": "t1", "client": "c1", "kind": "activation", "start_date": "2024-02-01"}
    ]  # no end_date, no goal
    files = {"organisation.csv": base_files()["organisation.csv"], "trajectories.csv": rows}
    import_ok(write_bundle(tmp_path / "second", files))
    trajectory = Client.objects.get(external_id="c1").trajectories.get()
    assert (trajectory.kind, trajectory.goal) == ("activation", "Werk in de logistiek")


def test_organisation_csv_updates_the_organisation_and_keeps_a_left_out_nis_code(tmp_path):
    import_ok(write_bundle(tmp_path / "a", base_files()))
    files = {"organisation.csv": [{"code": "mechelen", "name": "Sociaal Huis Mechelen"}]}
    output = import_ok(write_bundle(tmp_path / "b", files))
    assert "organisation.csv: 0 nieuw, 1 gewijzigd, 0 ongewijzigd" in output
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.nis_code) == ("Sociaal Huis Mechelen", "12025")
    assert Client.objects.count() == 2  # the other files were not in this bundle


def test_the_same_id_in_another_organisation_is_another_record(tmp_path):
    import_ok(write_bundle(tmp_path / "a", base_files()))
    files = base_files()
    files["organisation.csv"] = [{"code": "lier", "name": "OCMW Lier", "nis_code": ""}]
    import_ok(write_bundle(tmp_path / "b", files))
    assert Client.objects.filter(external_id="c1").count() == 2
    assert Client.objects.filter(national_number="85073003328").count() == 2


def test_an_existing_record_made_in_the_app_is_updated_by_its_id(tmp_path, organisation):
    client = services.client_create(
        organisation=organisation,
        first_name="An",
        last_name="Oud",
        birth_date=datetime.date(1985, 7, 30),
        gender="f",
        external_id="c1",
    )
    import_ok(write_bundle(tmp_path / "b", base_files()))
    client.refresh_from_db()
    assert (client.last_name, client.version) == ("Peeters", 2)
    assert Client.objects.filter(organisation=organisation).count() == 2


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    output = import_ok(write_bundle(tmp_path / "b", base_files()), "--dry-run")
    assert "clients.csv: 2 nieuw, 0 gewijzigd, 0 ongewijzigd" in output
    assert "niets geschreven" in output
    assert not Organisation.objects.exists()


def test_a_utf8_bom_is_accepted(tmp_path):
    import_ok(write_bundle(tmp_path / "b", base_files(), bom=True))
    assert Organisation.objects.get().code == "mechelen"
    assert Client.objects.count() == 2


def test_columns_may_come_in_any_order(tmp_path):
    files = base_files()
    files["clients.csv"] = [dict(reversed(list(row.items()))) for row in files["clients.csv"]]
    import_ok(write_bundle(tmp_path / "b", files))
    assert Client.objects.get(external_id="c2").last_name == "El Amrani, jr."


def test_quoted_fields_with_commas_and_newlines_keep_line_numbers_right(tmp_path):
    files = base_files()
    files["trajectory_evaluations.csv"] = (
        "id,trajectory,date,face_to_face,notes\r\n"
        'e1,t1,2024-05-01,true,"eerste regel\ntweede, met komma\nderde"\r\n'
        'e2,t1,2024-13-01,false,"ok"\r\n'
    )
    # e1 spans lines 2-4, so e2 starts on line 5.
    assert import_problems(write_bundle(tmp_path / "b", files)) == [
        "trajectory_evaluations.csv:5: date: '2024-13-01' is geen bestaande datum."
    ]


def test_blank_lines_and_empty_rows_are_skipped(tmp_path):
    files = base_files()
    files["population.csv"] = "year,inhabitants\r\n\r\n2024,88000\r\n,\r\n"
    import_ok(write_bundle(tmp_path / "b", files))
    assert Organisation.objects.get().populations.get().inhabitants == 88000


def test_a_zip_with_the_files_at_its_root(tmp_path):
    import_ok(write_zip(tmp_path / "bundle.zip", base_files()))
    assert Client.objects.count() == 2


def test_a_zip_with_the_files_in_a_sub_folder(tmp_path):
    files = {**base_files(), "README.txt": "uitleg"}
    import_ok(write_zip(tmp_path / "bundle.zip", files, prefix="export-2025/mechelen/"))
    assert Client.objects.count() == 2
    assert IncomeRight.objects.count() == 3


def test_a_csv_file_outside_the_folder_of_organisation_csv_is_refused_not_left_out(tmp_path):
    folder = write_bundle(tmp_path / "b", base_files())
    (folder / "extra").mkdir()
    (folder / "extra" / "clients.csv").write_text("id,first_name\r\n")
    # A second bundle beside the first in one zip: neither is silently dropped.
    zipped = write_zip(tmp_path / "b.zip", base_files(), prefix="eerste/")
    with zipfile.ZipFile(zipped, "a") as archive:
        archive.writestr("tweede/clients.csv", "id\r\n")
    misplaced = (
        "-: Dit bestand staat niet in de map van organisation.csv: een bundel is één map "
        "met alle bestanden naast elkaar."
    )
    assert import_problems(folder) == [f"extra/clients.csv:0: {misplaced}"]
    assert import_problems(zipped) == [f"tweede/clients.csv:0: {misplaced}"]
    assert not Organisation.objects.exists()


def test_hidden_files_and_macos_folders_are_no_part_of_a_bundle(tmp_path):
    files = {**base_files(), "._clients.csv": "\x00", "__MACOSX/._clients.csv": "\x00"}
    import_ok(write_zip(tmp_path / "b.zip", files))
    assert Client.objects.count() == 2


def test_an_import_is_one_transaction_attributed_to_the_command(tmp_path, monkeypatch):
    seen = []

    def observer(action, items):
        source = writes.current_write_source().source
        seen.append((action, type(items[0][0]).__name__, len(items), source))

    monkeypatch.setattr(writes, "write_observers", [observer])
    import_ok(write_bundle(tmp_path / "b", base_files()))
    assert ("create", "Client", 2, "command:import_records") in seen
    assert ("create", "IncomeRight", 3, "command:import_records") in seen
    assert {source for *_rest, source in seen} == {"command:import_records"}

    seen.clear()
    files = base_files()
    files["clients.csv"][0]["last_name"] = "Peeters-Maes"
    import_ok(write_bundle(tmp_path / "c", files))
    assert seen == [("update", "Client", 1, "command:import_records")]


def test_the_audit_trail_gets_the_changes_of_an_update(tmp_path, monkeypatch):
    import_ok(write_bundle(tmp_path / "b", base_files()))
    calls = []
    monkeypatch.setattr(writes, "write_observers", [lambda a, items: calls.extend(items)])
    files = base_files()
    files["clients.csv"][0]["household"] = "married"
    import_ok(write_bundle(tmp_path / "c", files))
    ((instance, changes),) = calls
    assert instance.external_id == "c1"
    assert changes == {"household": ("single", "married"), "version": (1, 2)}


def test_every_record_an_import_creates_has_its_own_audit_entry_with_its_values(tmp_path):
    """One entry per created record, with its client and values: the DPO's per-client log
    and `answers verify` (which records changed since a publication) read them."""
    from audit.chain import verify_chain
    from audit.models import AuditEntry

    import_ok(write_bundle(tmp_path / "b", base_files()))
    created = AuditEntry.objects.filter(action="create", source="command:import_records")
    for client in Client.objects.all():
        entry = created.get(object_type="casework.client", object_id=str(client.pk))
        assert entry.client_id == client.pk
        assert entry.changes["last_name"] == [None, client.last_name]
    rights = IncomeRight.objects.all()
    entries = created.filter(object_type="casework.incomeright")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        str(right.pk) for right in rights
    )
    assert {entry.client_id for entry in entries} == {right.client_id for right in rights}
    assert {entry.organisation_id for entry in entries} == {Organisation.objects.get().pk}
    assert list(verify_chain(AuditEntry)) == []


def test_large_bundles_are_written_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr("records.importer.core.BATCH_SIZE", 7)
    monkeypatch.setattr("records.importer.spool.WRITE_BATCH_SIZE", 7)
    batches = []

    def observe(action, items):
        batches.append((items[0][0]._meta.model_name, len(items)))

    monkeypatch.setattr(writes, "write_observers", [observe])
    files = base_files()
    files["population.csv"] = [
        {"year": str(year), "inhabitants": str(80000 + year)} for year in range(2000, 2020)
    ]
    import_ok(write_bundle(tmp_path / "b", files))
    assert Organisation.objects.get().populations.count() == 20
    assert [n for model, n in batches if model == "population"] == [7, 7, 6]
    assert max(n for _model, n in batches) <= 7


def test_progress_shows_the_file_rows_and_rows_per_second(tmp_path):
    stream = io.StringIO()
    result = import_bundle(
        write_bundle(tmp_path / "b", base_files()), progress=Progress(stream, interval=0)
    )
    assert result.ok
    text = stream.getvalue()
    assert "clients.csv controleren: 2 rijen" in text
    assert "clients.csv schrijven: 2 rijen" in text
    assert "rijen/s" in text


def test_the_command_reports_every_problem_not_only_the_first(tmp_path):
    files = base_files()
    files["clients.csv"][0]["gender"] = "v"
    files["clients.csv"][1]["birth_date"] = "2003-02-30"
    files["income_rights.csv"][2]["kind"] = "pension"
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert [p.split(": ")[0] for p in problems] == [
        "clients.csv:2",
        "clients.csv:3",
        "income_rights.csv:4",
    ]


def _clients(count, last_name):
    return [
        {
            "id": f"c{n:03d}",
            "first_name": "Client",
            "last_name": last_name,
            "birth_date": "1980-01-01",
            "gender": "x",
        }
        for n in range(count)
    ]


def _queries_to_import(tmp_path, name, files):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        import_ok(write_bundle(tmp_path / name, files))
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(tmp_path):
    counts = {}
    for count in (5, 60):
        organisation = [{"code": f"ocmw{count}", "name": "OCMW", "nis_code": ""}]
        counts[count] = [
            _queries_to_import(
                tmp_path,
                f"{count}-{last_name}",
                {"organisation.csv": organisation, "clients.csv": _clients(count, last_name)},
            )
            for last_name in ("A", "B")  # new records, then every one of them changed
        ]
        changed = Client.objects.filter(organisation__code=f"ocmw{count}", last_name="B")
        assert changed.count() == count
    assert counts[5] == counts[60]


def test_a_standard_programme_named_by_a_new_organisation_is_renamed_not_duplicated(tmp_path):
    files = base_files()
    files["programmes.csv"] += [
        {"code": "jobroad", "name": "JobRoad Mechelen"},
        {"code": "vdab", "name": Programme.DEFAULTS["vdab"]},
    ]
    output = import_ok(write_bundle(tmp_path / "b", files))
    # New to the organisation, so counted as new, though the write changes the standard one.
    assert "programmes.csv: 3 nieuw, 0 gewijzigd, 0 ongewijzigd" in output
    names = dict(Programme.objects.values_list("code", "name"))
    assert names == {
        **Programme.DEFAULTS,
        "jobroad": "JobRoad Mechelen",
        "talentwerkt": "Talent Werkt",
    }
    # The rows that refer to it point at the one standard programme.
    jobroad = Programme.objects.get(code="jobroad")
    assert Referral.objects.filter(programme=jobroad).exists()
    assert ProgrammeFunding.objects.filter(programme=jobroad).exists()


NEW_WORKER = {
    "id": "sw9",
    "first_name": "Nieuw",
    "last_name": "Collega",
    "fte": "1",
    "team": "Team Nieuw",
    "start_date": "2024-01-01",
    "end_date": "",
}


def _bundle_that_renames_c1_and_adds_a_worker(folder):
    files = base_files()
    files["clients.csv"][0]["last_name"] = "Uit de bundel"
    files["social_workers.csv"].append(NEW_WORKER)
    return write_bundle(folder, files)


CHANGED_MEANWHILE = (
    "clients.csv:0: -: Een record is gewijzigd of verwijderd sinds de bundel werd "
    "gecontroleerd; er is niets geschreven. Importeer de bundel opnieuw."
)


def test_a_record_changed_between_validation_and_write_is_refused(tmp_path, monkeypatch):
    import_ok(write_bundle(tmp_path / "b", base_files()))
    original_write = Writer.write

    def edited_meanwhile(writer):
        # The client gets a new version after the bundle was validated against the old one.
        client = Client.objects.get(external_id="c1")
        services.client_update(client=client, expected_version=client.version, household="married")
        original_write(writer)

    monkeypatch.setattr(Writer, "write", edited_meanwhile)
    bundle = _bundle_that_renames_c1_and_adds_a_worker(tmp_path / "c")
    assert import_problems(bundle) == [CHANGED_MEANWHILE]
    assert Client.objects.get(external_id="c1").last_name == "Peeters"
    assert not SocialWorker.objects.filter(external_id="sw9").exists()
    assert not Team.objects.filter(name="Team Nieuw").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_by_somebody_else_during_an_import_is_kept(tmp_path, monkeypatch):
    import_ok(write_bundle(tmp_path / "b", base_files()))
    original_write = Writer.write

    def edit_on_a_page():
        try:
            client = Client.objects.get(external_id="c1")
            services.client_update(
                client=client, expected_version=client.version, last_name="Van de pagina"
            )
        finally:
            connection.close()

    def edited_meanwhile(writer):
        page = threading.Thread(target=edit_on_a_page)  # its own connection, committed
        page.start()
        page.join(20)
        original_write(writer)

    monkeypatch.setattr(Writer, "write", edited_meanwhile)
    bundle = _bundle_that_renames_c1_and_adds_a_worker(tmp_path / "c")
    assert import_problems(bundle) == [CHANGED_MEANWHILE]
    assert Client.objects.get(external_id="c1").last_name == "Van de pagina"
    assert not SocialWorker.objects.filter(external_id="sw9").exists()


def test_a_changed_reference_to_a_record_new_in_the_same_bundle_gets_its_real_id(
    tmp_path, monkeypatch
):
    import_ok(write_bundle(tmp_path / "b", base_files()))
    calls = []
    monkeypatch.setattr(writes, "write_observers", [lambda a, items: calls.append((a, items))])
    files = base_files()
    files["social_workers.csv"].append(NEW_WORKER)
    files["assignments.csv"][0]["social_worker"] = "sw9"  # a1 moves to the new worker
    import_ok(write_bundle(tmp_path / "d", files))
    assignment = Assignment.objects.get(external_id="a1")
    new_worker = SocialWorker.objects.get(external_id="sw9")
    assert assignment.social_worker == new_worker
    assert new_worker.team.name == "Team Nieuw"
    # Observers see the real ids, never the placeholders used while validating.
    [(_action, [(_instance, changes)])] = [
        (a, items) for a, items in calls if items[0][0]._meta.model_name == "assignment"
    ]
    old_worker = SocialWorker.objects.get(external_id="sw1")
    assert changes == {
        "social_worker_id": (old_worker.pk, new_worker.pk),
        "version": (1, 2),
    }


def test_contact_details_and_household_members_import_and_export_byte_identical(tmp_path):
    files = base_files()
    files["clients.csv"][0].update(
        street="Bruul",
        house_number="12",
        postcode="2800",
        municipality="Mechelen",
        phone="015 12 34 56",
        email="an@example.be",
        language="tr",
        interpreter_needed="true",
    )
    member = {
        "id": "h1",
        "client": "c1",
        "relation": "child",
        "first_name": "Aydın",
        "last_name": "Peeters",
        "birth_date": "2012-05-04",
        "national_number": nn_for(datetime.date(2012, 5, 4), 3),
        "lives_with_client": "true",
        "dependant": "true",
        "start_date": "2012-05-04",
        "end_date": "",
    }
    files["household_members.csv"] = [member]
    bundle = write_bundle(tmp_path / "in", files)
    import_ok(bundle)
    client = Client.objects.get(external_id="c1")
    assert (client.address, client.language, client.interpreter_needed) == (
        "Bruul 12, 2800 Mechelen",
        "tr",
        True,
    )
    child = client.household_members.get()
    assert (child.first_name, child.dependant, child.birth_date) == (
        "Aydın",
        True,
        datetime.date(2012, 5, 4),
    )
    out = export("mechelen", tmp_path / "out")
    assert (out / "household_members.csv").read_bytes() == (
        bundle / "household_members.csv"
    ).read_bytes()
    header, first = (out / "clients.csv").read_text().splitlines()[:2]
    assert header.endswith(
        ",migration_background,street,house_number,postcode,municipality,phone,email,"
        "language,interpreter_needed"
    )
    assert first.endswith(",false,Bruul,12,2800,Mechelen,015 12 34 56,an@example.be,tr,true")
    empty_database()
    import_ok(out)
    same_files(out, export("mechelen", tmp_path / "again"))


def test_a_household_member_with_a_wrong_national_number_is_a_problem_of_its_row(tmp_path):
    files = base_files()
    files["household_members.csv"] = [
        {
            "id": "h1",
            "client": "c1",
            "relation": "child",
            "first_name": "Lotte",
            "last_name": "Peeters",
            "birth_date": "2012-05-04",
            "national_number": "12.05.04-003.00",
            "start_date": "2012-05-04",
        }
    ]
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems == [
        "household_members.csv:2: national_number: "
        "Het controlegetal van het rijksregisternummer klopt niet."
    ]
