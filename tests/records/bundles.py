"""Small helpers that write record bundles for the tests (no fixture files)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from casework.models import (
    Assignment,
    Client,
    Exemption,
    HouseholdMember,
    IncomeRight,
    Organisation,
    Population,
    Region,
    SocialWorker,
    Team,
    Trajectory,
    TrajectoryEvaluation,
)
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Programme,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)

Rows = list[dict[str, str]]
Files = dict[str, "Rows | str"]


def nn_for(birth: datetime.date, serial: int = 1) -> str:
    """A valid national number for a birth date (both century rules)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    n = int(base) + (2_000_000_000 if birth.year >= 2000 else 0)
    return f"{base}{97 - n % 97:02d}"


def csv_text(rows: Rows) -> str:
    """CSV as Python's csv module writes it; the header is the union of the rows' keys."""
    header: list[str] = []
    for row in rows:
        header += [name for name in row if name not in header]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()


def base_files() -> dict[str, Any]:
    """A small valid bundle touching every file of the spec."""
    return {
        "organisation.csv": [{"code": "mechelen", "name": "OCMW Mechelen", "nis_code": "12025"}],
        "population.csv": [{"year": "2024", "inhabitants": "88000"}],
        "social_workers.csv": [
            {
                "id": "sw1",
                "first_name": "Els",
                "last_name": "Maes",
                "fte": "0.8",
                "team": "Team Noord",
                "start_date": "2020-01-01",
                "end_date": "",
            },
            {
                "id": "sw2",
                "first_name": "Tom",
                "last_name": "Claes",
                "fte": "1",
                "team": "",
                "start_date": "",
                "end_date": "",
            },
        ],
        "clients.csv": [
            {
                "id": "c1",
                "first_name": "An",
                "last_name": "Peeters",
                "birth_date": "1985-07-30",
                "gender": "f",
                "national_number": "85.07.30-033.28",
                "household": "single",
                "migration_background": "false",
            },
            {
                "id": "c2",
                "first_name": "Youssef",
                "last_name": "El Amrani, jr.",
                "birth_date": "2003-02-14",
                "gender": "m",
                "national_number": nn_for(datetime.date(2003, 2, 14)),
                "household": "",
                "migration_background": "true",
            },
        ],
        "assignments.csv": [
            {
                "id": "a1",
                "client": "c1",
                "social_worker": "sw1",
                "start_date": "2024-01-01",
                "end_date": "",
            },
            {
                "id": "a2",
                "client": "c2",
                "social_worker": "sw2",
                "start_date": "2024-02-01",
                "end_date": "2024-12-31",
            },
        ],
        "income_rights.csv": [
            {
                "id": "i1",
                "client": "c1",
                "kind": "leefloon",
                "category": "single",
                "start_date": "2024-01-01",
                "end_date": "2024-05-31",
            },
            {
                "id": "i2",
                "client": "c1",
                "kind": "leefloon",
                "category": "family",
                "start_date": "2024-06-01",
                "end_date": "",
            },
            {
                "id": "i3",
                "client": "c2",
                "kind": "equivalent",
                "category": "cohabiting",
                "start_date": "2024-02-01",
                "end_date": "",
            },
        ],
        "trajectories.csv": [
            {
                "id": "t1",
                "client": "c1",
                "kind": "gpmi",
                "start_date": "2024-02-01",
                "end_date": "",
                "goal": "Werk in de logistiek",
            }
        ],
        "trajectory_evaluations.csv": [
            {
                "id": "e1",
                "trajectory": "t1",
                "date": "2024-05-01",
                "face_to_face": "true",
                "notes": 'Gesprek, met "tolk"\nen opvolging',
            },
            {
                "id": "e2",
                "trajectory": "t1",
                "date": "2024-09-01",
                "face_to_face": "",
                "notes": "",
            },
        ],
        "exemptions.csv": [
            {
                "id": "x1",
                "client": "c2",
                "kind": "vdab_registration",
                "reason": "health",
                "start_date": "2024-03-01",
                "end_date": "",
            }
        ],
        "article60_placements.csv": [
            {
                "id": "p1",
                "client": "c1",
                "employer_kind": "own_service",
                "employer_name": "Groendienst",
                "start_date": "2024-07-01",
                "planned_end_date": "2025-06-30",
                "end_date": "",
                "outcome": "",
            }
        ],
        "programmes.csv": [{"code": "talentwerkt", "name": "Talent Werkt"}],
        "programme_funding.csv": [
            {"programme": "jobroad", "year": "2024", "amount_eur": "70000.50"},
            {"programme": "talentwerkt", "year": "2024", "amount_eur": "0"},
        ],
        "programme_sessions.csv": [
            {"id": "s1", "programme": "jobroad", "date": "2024-03-15", "capacity": "2"}
        ],
        "referrals.csv": [
            {
                "id": "r1",
                "client": "c1",
                "programme": "jobroad",
                "start_date": "2024-03-01",
                "end_date": "",
                "session": "s1",
                "outcome": "",
            },
            {
                "id": "r2",
                "client": "c2",
                "programme": "talentwerkt",
                "start_date": "2024-04-01",
                "end_date": "2024-10-01",
                "session": "",
                "outcome": "temporary_job",
            },
        ],
        "vdab_registrations.csv": [
            {
                "id": "v1",
                "client": "c1",
                "registered_on": "2024-01-15",
                "category": "ocmw",
                "ended_on": "",
                "warm_handover": "false",
            }
        ],
        "employment.csv": [
            {
                "id": "w1",
                "client": "c2",
                "start_date": "2024-11-01",
                "end_date": "",
                "contract": "interim",
            }
        ],
        "mmpp_screenings.csv": [
            {
                "id": "m1",
                "client": "c1",
                "advised_on": "2024-04-01",
                "category": "4",
                "ended_on": "",
            }
        ],
    }


def write_bundle(folder: Path, files: dict[str, Any], *, bom: bool = False) -> Path:
    """Write files (rows or raw text) into a folder; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else csv_text(content)
        data = text.encode("utf-8")
        (folder / name).write_bytes(b"\xef\xbb\xbf" + data if bom else data)
    return folder


def write_zip(path: Path, files: dict[str, Any], *, prefix: str = "") -> Path:
    """Write files (rows or raw text) into a .zip, optionally inside a sub-folder."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            text = content if isinstance(content, str) else csv_text(content)
            archive.writestr(prefix + name, text)
    return path


def import_ok(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_records", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_problems(path: Path, *args: str) -> list[str]:
    """Import a bundle that must be refused; returns the problem lines."""
    with pytest.raises(CommandError) as refused:
        call_command("import_records", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    lines = str(refused.value).splitlines()
    assert "niets geschreven" in lines[0]
    return lines[1:]


BUNDLE_MODELS: tuple[type[models.Model], ...] = (
    Region,
    Organisation,
    Population,
    Team,
    SocialWorker,
    Client,
    Assignment,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
    Exemption,
    Article60Placement,
    Programme,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    VdabRegistration,
    Employment,
    MmppScreening,
    HouseholdMember,
)


def snapshot(*, with_bookkeeping: bool = True) -> dict[str, list[tuple]]:
    """Every row of every bundle model (ids, versions and timestamps included by default)."""
    result = {}
    for model in BUNDLE_MODELS:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if with_bookkeeping or f.attname not in ("id", "version", "created_at", "updated_at")
        ]
        if not with_bookkeeping:
            # Without ids, references are compared by the other record's key.
            fields = [_natural(model, name) for name in fields]
        result[model.__name__] = sorted(
            model._default_manager.values_list(*fields), key=lambda row: [str(v) for v in row]
        )
    return result


def _natural(model: type[models.Model], attname: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    if not field.is_relation:
        return attname
    target = field.related_model
    for key in ("external_id", "code", "name", "username"):
        if any(f.name == key for f in target._meta.concrete_fields):
            return f"{field.name}__{key}"
    return attname


def empty_database() -> None:
    """Delete every bundle record (children first: some references protect their target)."""
    for model in reversed(BUNDLE_MODELS):
        if model is Region:  # the tree protects a parent: leaves first
            while Region.objects.exists():
                Region.objects.filter(children__isnull=True).delete()
        model._default_manager.all().delete()
