"""regions.csv and organisation.csv's `region` (import-format.md)."""

from __future__ import annotations

import pytest

from casework.models import Organisation, Region
from tests.factories import OrganisationFactory, RegionFactory
from tests.records.bundles import base_files, import_ok, import_problems, write_bundle

pytestmark = pytest.mark.django_db

TREE = [
    {"code": "regio-mechelen", "name": "Regio Mechelen", "parent": "antwerpen-provincie"},
    {"code": "vlaanderen", "name": "Vlaanderen", "parent": ""},
    {"code": "antwerpen-provincie", "name": "Provincie Antwerpen", "parent": "vlaanderen"},
]


def with_regions(regions, region="regio-mechelen"):
    files = base_files()
    files["organisation.csv"][0]["region"] = region
    if regions is not None:
        files["regions.csv"] = regions
    return files


def test_a_bundle_defines_the_tree_and_the_organisation_s_smallest_region(tmp_path):
    import_ok(write_bundle(tmp_path / "b", with_regions(TREE)))
    organisation = Organisation.objects.get(code="mechelen")
    assert organisation.region.code == "regio-mechelen"
    parents = dict(Region.objects.values_list("code", "parent__code"))
    assert parents == {
        "vlaanderen": None,
        "antwerpen-provincie": "vlaanderen",
        "regio-mechelen": "antwerpen-provincie",
    }


def test_importing_the_tree_twice_changes_nothing_and_a_name_is_updated(tmp_path):
    import_ok(write_bundle(tmp_path / "a", with_regions(TREE)))
    ids = dict(Region.objects.values_list("code", "pk"))
    out = import_ok(write_bundle(tmp_path / "b", with_regions(TREE)))
    assert dict(Region.objects.values_list("code", "pk")) == ids
    assert "regions.csv" in out
    renamed = [dict(row) for row in TREE]
    renamed[1]["name"] = "Vlaams Gewest"
    import_ok(write_bundle(tmp_path / "c", with_regions(renamed)))
    assert Region.objects.get(code="vlaanderen").name == "Vlaams Gewest"


def test_the_region_may_be_stored_already(tmp_path):
    RegionFactory(code="regio-mechelen", name="Regio Mechelen")
    import_ok(write_bundle(tmp_path / "b", with_regions(None)))
    assert Organisation.objects.get(code="mechelen").region.code == "regio-mechelen"


def test_an_unknown_region_or_parent_is_refused(tmp_path):
    problems = import_problems(
        write_bundle(
            tmp_path / "b",
            with_regions(
                [{"code": "regio-mechelen", "name": "R", "parent": "atlantis"}], "nergens"
            ),
        )
    )
    assert problems == [
        "organisation.csv:2: region: Onbekende regio 'nergens': niet in regions.csv en niet "
        "bewaard.",
        "regions.csv:2: parent: Onbekende regio 'atlantis': niet in regions.csv en niet bewaard.",
    ]
    assert not Region.objects.exists()


def test_a_cycle_is_refused_also_through_stored_regions(tmp_path):
    top = RegionFactory(code="vlaanderen", name="Vlaanderen")
    RegionFactory(code="antwerpen-provincie", name="Provincie Antwerpen", parent=top)
    cycle = [{"code": "vlaanderen", "name": "Vlaanderen", "parent": "antwerpen-provincie"}]
    problems = import_problems(write_bundle(tmp_path / "b", with_regions(cycle, "vlaanderen")))
    assert problems == [
        "regions.csv:2: parent: Een regio kan niet tot zichzelf of een van haar deelregio's "
        "behoren."
    ]
    assert Region.objects.get(code="vlaanderen").parent is None


def test_codes_are_unique_among_regions_and_organisations_together(tmp_path):
    OrganisationFactory(code="lier")
    regions = [
        {"code": "lier", "name": "Regio Lier", "parent": ""},
        {"code": "mechelen", "name": "Regio Mechelen", "parent": ""},
        {"code": "Niet Goed", "name": "x", "parent": ""},
        {"code": "lier", "name": "Dubbel", "parent": ""},
    ]
    problems = import_problems(write_bundle(tmp_path / "b", with_regions(regions, "")))
    assert problems[0] == "regions.csv:2: code: Deze code is al de code van een organisatie."
    assert problems[1] == "regions.csv:3: code: Deze code is al de code van een organisatie."
    assert problems[2].startswith("regions.csv:4: code: ")
    assert problems[3] == "regions.csv:5: code: Deze code staat al op regel 2."
    assert len(problems) == 4


def test_an_organisation_code_already_used_by_a_region_is_refused(tmp_path):
    RegionFactory(code="mechelen", name="Regio Mechelen")
    problems = import_problems(write_bundle(tmp_path / "b", with_regions(None, "")))
    assert problems == ["organisation.csv:2: code: Deze code is al de code van een regio."]


def test_a_bundle_without_the_region_column_keeps_the_stored_region(tmp_path):
    import_ok(write_bundle(tmp_path / "a", with_regions(TREE)))
    import_ok(write_bundle(tmp_path / "b", base_files()))
    assert Organisation.objects.get(code="mechelen").region.code == "regio-mechelen"
    files = with_regions(None, "")
    import_ok(write_bundle(tmp_path / "c", files))
    assert Organisation.objects.get(code="mechelen").region is None
