"""What an import remembers of every row is kept on disk (records.spill), per batch of
rows: the problems are the same whatever the batches, and memory does not hold it."""

from __future__ import annotations

import copy
import datetime

import pytest

from audit.chain import verify_chain
from audit.models import AuditEntry
from casework.models import Client, IncomeRight, TrajectoryEvaluation
from records.spill import IdMap, Spill, key_text
from tests.records.bundles import base_files, import_ok, import_problems, nn_for, write_bundle

pytestmark = pytest.mark.django_db


def _problems_with_batches(tmp_path, monkeypatch, files, size: int) -> list[str]:
    monkeypatch.setattr("records.importer.core.BATCH_SIZE", size)
    return import_problems(write_bundle(tmp_path / f"b{size}", files))


def _client(key: str, birth: datetime.date, serial: int, **extra: str) -> dict[str, str]:
    return {
        "id": key,
        "first_name": "Test",
        "last_name": key.upper(),
        "birth_date": birth.isoformat(),
        "gender": "x",
        "national_number": nn_for(birth, serial),
        "household": "",
        "migration_background": "",
        **extra,
    }


def _problem_bundle() -> dict:
    files = copy.deepcopy(base_files())
    clients = files["clients.csv"]
    birth = datetime.date(1990, 5, 1)
    clients += [_client(f"c{n}", birth, n) for n in range(3, 9)]
    # A key repeated in a later batch (sorted after the first) and one sorting before it.
    clients.append(_client("c5", birth, 40))
    clients.append(_client("c0", birth, 41))
    clients.append(_client("c0", birth, 42))
    # A national number of an earlier batch's row.
    clients.append({**_client("c9", birth, 43), "national_number": clients[3]["national_number"]})
    rights = files["income_rights.csv"]
    template = dict(rights[0])
    # Two overlapping rights of one client, rows far apart; one of an unknown client.
    rights.append({**template, "id": "i90", "client": "c4", "start_date": "2024-01-01"})
    rights.append({**template, "id": "i91", "client": "c4", "start_date": "2024-03-01"})
    rights.append({**template, "id": "i92", "client": "c77"})
    rights.append({**template, "id": "i90", "client": "c5"})
    return files


def test_spilled_keys_give_the_same_problems_whatever_the_batches(tmp_path, monkeypatch):
    files = _problem_bundle()
    one_by_one = _problems_with_batches(tmp_path, monkeypatch, files, 1)
    three = _problems_with_batches(tmp_path, monkeypatch, files, 3)
    all_at_once = _problems_with_batches(tmp_path, monkeypatch, files, 1000)
    # Stand-ins forgotten after every batch: looked up in the spill again.
    monkeypatch.setattr("records.importer.references.CACHE_SIZE", 0)
    uncached = _problems_with_batches(tmp_path / "uncached", monkeypatch, files, 2)
    assert one_by_one == three == all_at_once == uncached
    # As before the spill (in memory, checked against main at 94fbd95).
    assert all_at_once == [
        "clients.csv:10: id: c5 staat al op regel 6 van dit bestand.",
        "clients.csv:12: id: c0 staat al op regel 11 van dit bestand.",
        "clients.csv:13: national_number: Er bestaat al een cliënt met dit rijksregisternummer "
        "in deze organisatie. (regel 5)",
        "income_rights.csv:6: start_date: Deze cliënt heeft in deze periode al een recht op "
        "maatschappelijke integratie. (overlapt met i90)",
        "income_rights.csv:7: client: 'c77' bestaat niet in clients.csv en niet in de organisatie.",
        "income_rights.csv:8: id: i90 staat al op regel 5 van dit bestand.",
    ]


def test_a_bundle_read_one_row_at_a_time_imports_as_in_one_batch(tmp_path, monkeypatch):
    monkeypatch.setattr("records.importer.core.BATCH_SIZE", 1)
    monkeypatch.setattr("records.importer.references.CACHE_SIZE", 0)
    import_ok(write_bundle(tmp_path / "b", base_files()))
    assert Client.objects.count() == 2
    assert IncomeRight.objects.filter(client__isnull=False).count() == len(
        base_files()["income_rights.csv"]
    )
    for evaluation in TrajectoryEvaluation.objects.select_related("trajectory"):
        assert evaluation.trajectory.organisation_id == evaluation.organisation_id
    assert list(verify_chain(AuditEntry)) == []


def test_a_key_is_text_equal_exactly_when_the_keys_are():
    assert key_text(("c1",)) == "c1"
    assert key_text((2024,)) != key_text(("2024",))
    assert key_text(("jobroad", 2024)) == key_text(("jobroad", 2024))
    assert key_text(("jobroad", 2024)) != key_text(("jobroad", 2025))


def test_the_spill_finds_a_repeated_key_in_sorted_and_unsorted_batches():
    spill = Spill()
    try:
        spill.prefetch_seen("clients.csv", ["a", "b"])
        spill.add_seen("clients.csv", "a", 2)
        spill.add_seen("clients.csv", "b", 3)
        # Sorted after every earlier key: not looked up, and nothing repeated.
        spill.prefetch_seen("clients.csv", ["c"])
        assert spill.first_line("clients.csv", "c") is None
        spill.add_seen("clients.csv", "c", 4)
        # Not sorted: looked up.
        spill.prefetch_seen("clients.csv", ["b", "d"])
        assert spill.first_line("clients.csv", "b") == 3
        assert spill.first_line("clients.csv", "d") is None
        assert spill.first_line("trajectories.csv", "b") is None
        spill.flush()
        assert spill.seen_keys("clients.csv", ["a", "x", "c"]) == {"a", "c"}
    finally:
        spill.close()


def test_the_index_of_referenced_records_keeps_the_last_value_and_known_keys():
    spill = Spill()
    try:
        spill.put_refs("clients.csv", [("c1", (1, ())), ("c2", (2, ()))])
        spill.put_refs("clients.csv", [("c1", None)])  # the bundle's row has a problem
        spill.know_refs("clients.csv", ["c2", "c3"])  # known, values unknown
        assert spill.get_refs("clients.csv", ["c1", "c2", "c3", "c4"]) == {
            "c1": None,
            "c2": (2, ()),
            "c3": None,
        }
    finally:
        spill.close()


def test_placeholders_map_to_ids_in_runs():
    ids = IdMap()
    ids[-1] = 7  # the organisation
    for placeholder, pk in zip(range(-10, -1010, -1), range(100, 1100), strict=True):
        ids[placeholder] = pk
    ids[-5] = 50  # out of order
    ids[-1010] = 2000  # a gap in the ids (a concurrent writer on PostgreSQL)
    assert len(ids._starts) == 4
    assert (ids[-1], ids[-5], ids[-10], ids[-509], ids[-1009], ids[-1010]) == (
        7,
        50,
        100,
        599,
        1099,
        2000,
    )
    with pytest.raises(KeyError):
        ids[-3]
    assert len(ids) == 1003
