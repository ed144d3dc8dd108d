"""Hostile bundles: each is refused by name with a Dutch message, never a traceback, and
reading stays bounded (memory of one line, a capped list of problems)."""

import io
import stat
import tracemalloc
import zipfile

import pytest
from django.core.management import CommandError, call_command

from casework.models import Client, Organisation
from records import bundle
from tests.records.bundles import base_files, csv_text, import_ok, import_problems, write_bundle

pytestmark = pytest.mark.django_db


def zip_with(path, members):
    """A zip of the base bundle (in a folder `bundle/`) with `members` added or replacing."""
    files = {"bundle/" + name: csv_text(rows) for name, rows in base_files().items()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**files, **members}.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "member",
    ["bundle/../../evil/clients.csv", "/etc/clients.csv", "C:/evil/clients.csv"],
)
def test_a_member_that_points_outside_the_bundle_is_refused_by_name(tmp_path, member):
    path = zip_with(tmp_path / "b.zip", {member: b"id\n"})
    problems = import_problems(path)
    assert len(problems) == 1
    assert member in problems[0]
    assert "buiten de bundel" in problems[0]
    assert not Organisation.objects.exists()


def test_a_symbolic_link_in_a_folder_bundle_is_refused_and_never_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = write_bundle(tmp_path / "b", base_files())
    (folder / "clients.csv").unlink()
    (folder / "clients.csv").symlink_to(secret)
    problems = import_problems(folder)
    assert problems == [
        "clients.csv:0: -: clients.csv is een symbolische koppeling; een bundel bevat enkel "
        "gewone bestanden."
    ]
    assert "root:x" not in " ".join(problems)


def test_a_symbolic_link_in_a_zip_is_refused(tmp_path):
    link = zipfile.ZipInfo("bundle/clients.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bundle/organisation.csv", csv_text(base_files()["organisation.csv"]))
        archive.writestr(link, "/etc/passwd")
    problems = import_problems(path)
    assert problems == [
        "bundle/clients.csv:0: -: bundle/clients.csv is een symbolische koppeling; een bundel "
        "bevat enkel gewone bestanden."
    ]


def test_a_hidden_csv_is_refused_by_name_but_macos_metadata_is_ignored(tmp_path):
    hidden = zip_with(tmp_path / "h.zip", {"bundle/.clients.csv": b"id\n"})
    assert import_problems(hidden) == [
        "bundle/.clients.csv:0: -: bundle/.clients.csv is een verborgen CSV-bestand; geef het "
        "een gewone naam of laat het weg."
    ]
    metadata = zip_with(
        tmp_path / "m.zip", {"bundle/._clients.csv": b"\x00", "__MACOSX/bundle/._x.csv": b"\x00"}
    )
    import_ok(metadata)
    assert Client.objects.count() == 2


def test_one_huge_line_is_refused_without_reading_it_into_memory(tmp_path):
    huge = b"year,inhabitants\n" + b"2" * (40 * bundle.MAX_LINE_BYTES)
    path = zip_with(tmp_path / "b.zip", {"bundle/population.csv": huge})
    tracemalloc.start()
    try:
        problems = import_problems(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems == [
        "population.csv:2: -: Een regel is langer dan 1.048.576 bytes; de rest wordt niet gelezen."
    ]
    assert peak < 8 * bundle.MAX_LINE_BYTES  # a few lines' worth, not the 40 MB line


def test_a_flood_of_empty_lines_is_refused(tmp_path):
    files = base_files()
    text = csv_text(files["population.csv"]) + "\n" * (bundle.MAX_EMPTY_LINES + 5)
    problems = import_problems(write_bundle(tmp_path / "b", {**files, "population.csv": text}))
    assert problems == [
        f"population.csv:{bundle.MAX_EMPTY_LINES + 3}: -: Meer dan 10.000 lege regels; de rest "
        "wordt niet gelezen."
    ]


def test_a_nul_byte_is_a_problem_of_its_cell_not_a_traceback(tmp_path):
    files = base_files()
    text = csv_text(files["population.csv"]).replace("88000", "88\x00000")
    problems = import_problems(write_bundle(tmp_path / "b", {**files, "population.csv": text}))
    assert problems == [
        "population.csv:2: inhabitants: Deze cel bevat een NUL-teken; dat is geen tekst."
    ]


def test_an_overlong_cell_is_a_problem_of_its_column(tmp_path):
    files = base_files()
    files["clients.csv"][0]["last_name"] = "x" * (bundle.MAX_CELL_CHARS + 1)
    problems = import_problems(write_bundle(tmp_path / "b", files))
    assert problems[0] == "clients.csv:2: last_name: Het veld is langer dan 10.000 tekens."
    # The row is not read further: what refers to its client says that client is unknown.
    assert all("'c1' bestaat niet" in problem for problem in problems[1:])


def test_the_problems_reported_are_capped_and_the_rest_counted(tmp_path):
    files = base_files()
    bad = [{"year": "nope", "inhabitants": "1"} for _ in range(bundle.MAX_PROBLEMS + 250)]
    folder = write_bundle(tmp_path / "b", {**files, "population.csv": bad})
    with pytest.raises(CommandError) as refused:
        call_command("import_records", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    lines = str(refused.value).splitlines()
    assert lines[0].startswith(f"{bundle.MAX_PROBLEMS + 250} problemen gevonden")
    assert len(lines) == 1 + bundle.MAX_PROBLEMS + 1
    assert lines[-1] == "... en nog 250 problemen (niet getoond)."
    assert not Organisation.objects.exists()
