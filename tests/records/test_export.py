"""export_records: every file with records, columns in the spec's order, rows sorted by key."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from records.spec import FILES
from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    PopulationFactory,
    ProgrammeFactory,
    ProgrammeFundingFactory,
)

pytestmark = pytest.mark.django_db


def exporter() -> str:
    get_user_model().objects.get_or_create(username="exporter")
    return "exporter"


def export(code, folder):
    out = io.StringIO()
    call_command("export_records", code, str(folder), "--user", exporter(), stdout=out)
    return out.getvalue()


def lines(path):
    return path.read_bytes().decode("utf-8").split("\r\n")[:-1]


def test_rows_are_sorted_by_key_in_code_point_order_on_every_database(tmp_path, organisation):
    for external_id in ["b", "B", "a-1", "a1", "Ä", "a"]:
        ClientFactory(organisation=organisation, external_id=external_id)
    export("mechelen", tmp_path)
    ids = [line.split(",")[0] for line in lines(tmp_path / "clients.csv")[1:]]
    assert ids == ["B", "a", "a-1", "a1", "b", "Ä"]


def test_reference_files_are_sorted_by_their_own_keys(tmp_path, organisation):
    for year in (2025, 2019, 2100):
        PopulationFactory(organisation=organisation, year=year, inhabitants=1000 + year)
    for code in ("zorg", "arbeid"):
        programme = ProgrammeFactory(organisation=organisation, code=code, name=code.title())
        for year in (2024, 2023):
            ProgrammeFundingFactory(programme=programme, year=year)
    export("mechelen", tmp_path)
    assert lines(tmp_path / "population.csv") == [
        "year,inhabitants",
        "2019,3019",
        "2025,3025",
        "2100,3100",
    ]
    assert lines(tmp_path / "programme_funding.csv") == [
        "programme,year,amount_eur",
        "arbeid,2023,70000",
        "arbeid,2024,70000",
        "zorg,2023,70000",
        "zorg,2024,70000",
    ]


def test_only_files_with_records_are_written_with_the_spec_columns(tmp_path, organisation):
    client = ClientFactory(organisation=organisation, external_id="c1", national_number="")
    IncomeRightFactory(client=client, external_id="i1", end_date=datetime.date(2024, 2, 29))
    output = export("mechelen", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "clients.csv",
        "income_rights.csv",
        "organisation.csv",
    ]
    # A file of the spec without Traject's extension columns when no record uses them.
    spec = {s.name: [c.name for c in s.columns if not c.extension] for s in FILES}
    for path in tmp_path.iterdir():
        assert lines(path)[0] == ",".join(spec[path.name])
    assert lines(tmp_path / "income_rights.csv")[1] == "i1,c1,leefloon,single,2024-01-01,2024-02-29"
    assert lines(tmp_path / "clients.csv")[1].endswith(",1990-06-15,f,,single,false")
    assert "3 rijen in 3 bestanden" in output


def test_a_file_of_an_older_export_without_records_now_is_removed(tmp_path, organisation):
    (tmp_path / "exemptions.csv").write_text("id,client,kind,reason,start_date,end_date\n")
    (tmp_path / "notes.txt").write_text("kept")
    export("mechelen", tmp_path)
    assert not (tmp_path / "exemptions.csv").exists()
    assert (tmp_path / "notes.txt").read_text() == "kept"
    assert not list(tmp_path.glob(".*.part"))


def test_only_the_records_of_the_organisation_are_exported(tmp_path, organisation):
    ClientFactory(organisation=organisation, external_id="mine")
    ClientFactory(organisation=OrganisationFactory(code="lier"), external_id="theirs")
    export("mechelen", tmp_path)
    assert [line.split(",")[0] for line in lines(tmp_path / "clients.csv")] == ["id", "mine"]
    assert lines(tmp_path / "organisation.csv") == [
        "code,name,nis_code,region",
        "mechelen,OCMW Mechelen,12025,",
    ]


def test_an_unknown_organisation_is_an_error(tmp_path, db):
    with pytest.raises(CommandError, match="Organisatie nergens bestaat niet."):
        export("nergens", tmp_path)
