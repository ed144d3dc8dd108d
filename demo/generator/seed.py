"""Load the demo organisation: replace it as a whole, in one transaction, in seconds.

Reference data (organisation, population, teams) goes through the services;
the volume (clients and their records) is bulk-created from timelines that
respect every rule of the models (see records.py), because tens of thousands
of full_clean() calls would take minutes.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import StaffMembership
from answers.models import PublishedAnswer, Question
from casework.models import (
    Appointment,
    Assignment,
    Client,
    ClientNote,
    Exemption,
    IncomeRight,
    Organisation,
    Population,
    SocialWorker,
    Team,
    Trajectory,
    TrajectoryEvaluation,
)
from casework.services import population_set, team_get_or_create
from core.bulk import highest_id, reset_sequences
from core.writes import writes_by
from demo.generator import shape
from demo.generator.bulk import insert_rows
from demo.generator.logins import DEMO_LOGINS, DemoLogin, make_users
from demo.generator.names import FLEMISH_FIRST_NAMES, FLEMISH_LAST_NAMES
from demo.generator.records import RecordBuilder
from demo.generator.rows import Worker
from demo.generator.timeline import ONE_DAY, Timeline, days, overlaps
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
from partners.services import organisation_get_or_create

D = datetime.date

# Children before parents: the order to create in (and, reversed, to delete in).
CREATE_ORDER: tuple[type[models.Model], ...] = (
    Client,
    Assignment,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
    Exemption,
    ClientNote,
    Appointment,
    ProgrammeSession,
    ProgrammeFunding,
    Referral,
    Article60Placement,
    VdabRegistration,
    Employment,
    MmppScreening,
)


@dataclass
class DemoSummary:
    organisation: Organisation
    today: D
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    seconds: float = 0.0


def delete_demo_organisation(code: str = shape.CODE) -> None:
    """Remove an organisation and everything of it, children first.

    Django's cascade would load every client into memory to find its records;
    the records are deleted here kind by kind instead, each with one statement.
    Rows of other apps that point at them (the audit's break-glass grants, ...)
    are deleted or cleared first, as their on_delete says.
    """
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        return
    for model in reversed(CREATE_ORDER):
        rows: models.QuerySet[Any]
        if model is ProgrammeFunding:
            rows = model._default_manager.filter(programme__organisation=organisation)
        else:
            rows = model._default_manager.filter(organisation=organisation)
        if not model._meta.related_objects:
            rows.delete()  # nothing points here: Django deletes with one statement
            continue
        for relation in model._meta.related_objects:
            if relation.related_model in CREATE_ORDER:
                continue  # deleted before, in this loop
            linked = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": rows.values("pk")}
            )
            if relation.on_delete is models.SET_NULL:
                linked.update(**{relation.field.name: None})
            else:
                linked.delete()
        connection = connections[router.db_for_write(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name("organisation_id")  # OrganisationRecord
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [organisation.pk])
    SocialWorker.objects.filter(organisation=organisation).delete()
    Programme.objects.filter(organisation=organisation).delete()
    # The demo's staff belong to it (made again by make_users).
    StaffMembership.objects.filter(organisation=organisation).delete()
    organisation.delete()


class DemoRefused(Exception):
    """The demo cannot be loaded (the message is for people: Dutch)."""


def is_demo_organisation(organisation: Organisation) -> bool:
    """Only records the demo made (their ids start with "demo-"): safe to replace. Written
    questions are never the demo's (and a published answer can never be deleted)."""
    prefix = shape.DEMO_ID_PREFIX
    if (
        Question.objects.filter(organisation=organisation).exists()
        or PublishedAnswer.objects.filter(organisation=organisation).exists()
    ):
        return False
    return not (
        Client.objects.filter(organisation=organisation).exclude(external_id__startswith=prefix)
    ).exists() and not (
        SocialWorker.objects.filter(organisation=organisation)
        .exclude(external_id__startswith=prefix)
        .exists()
    )


@transaction.atomic
def seed_demo(*, today: D) -> DemoSummary:
    """Replace the demo organisation by a freshly generated one, as of `today`."""
    if today < shape.EARLIEST_TODAY:
        raise DemoRefused(
            _("De demo heeft een datum 'vandaag' op of na %(day)s nodig.")
            % {"day": f"{shape.EARLIEST_TODAY:%d/%m/%Y}"}
        )
    existing = Organisation.objects.filter(code=shape.CODE).first()
    if existing is not None and not is_demo_organisation(existing):
        raise DemoRefused(
            _(
                "De organisatie '%(code)s' bevat gegevens die niet van de demo komen; "
                "seed_demo vervangt ze niet. Gebruik een andere databank (DATABASE_URL)."
            )
            % {"code": shape.CODE}
        )
    began = time.monotonic()
    rng = random.Random(shape.SEED)
    with writes_by(source="command:seed_demo"):
        highest_ids = {model: highest_id(model) for model in CREATE_ORDER}  # before deleting
        delete_demo_organisation()
        organisation = organisation_get_or_create(
            code=shape.CODE, name=shape.NAME, nis_code=shape.NIS_CODE
        )
        for year, inhabitants in shape.POPULATION.items():
            if year <= today.year:
                population_set(organisation=organisation, year=year, inhabitants=inhabitants)
        teams = [team_get_or_create(organisation=organisation, name=n) for n in shape.TEAMS]
        workers = make_workers(organisation, teams, rng)

        timeline = Timeline(today, rng)
        timeline.build_spells()
        timeline.build_placements()
        timeline.build_care()
        fte_in_reference_month = sum(
            (w.record.fte for w in workers if w.employed_on(shape.REFERENCE_LAST)), Decimal(0)
        )
        wanted = round(float(fte_in_reference_month) * shape.CLIENTS_PER_FTE)
        timeline.add_other_aid(max(0, wanted - followed_on(timeline, shape.REFERENCE_LAST)))

        programmes = {p.code: p for p in Programme.objects.filter(organisation=organisation)}
        builder = RecordBuilder(timeline, organisation, programmes, workers, rng, highest_ids)
        records = builder.build()
        logins = make_users(organisation, workers, records, today)
        add_notes(builder, records, today, logins)
        add_appointments(builder, records, today)
        for model in CREATE_ORDER:
            insert_rows(model, records.get(model, []))
        reset_sequences(CREATE_ORDER)

    summary = DemoSummary(organisation=organisation, today=today, logins=logins)
    summary.counts = {
        str(model._meta.verbose_name_plural): len(records.get(model, [])) for model in CREATE_ORDER
    }
    summary.counts[str(SocialWorker._meta.verbose_name_plural)] = len(workers)
    summary.seconds = time.monotonic() - began
    return summary


def followed_on(timeline: Timeline, day: D) -> int:
    return sum(
        1 for person in timeline.people if any(overlaps(s, e, day, day) for s, e in person.care)
    )


def make_workers(organisation: Organisation, teams: list[Team], rng: random.Random) -> list[Worker]:
    """40 social assistants employed today (and in January 2025) in 5 teams, plus 4
    who left over the years, each replaced the next day in the same team."""
    ftes = list(shape.FTES)
    rng.shuffle(ftes)
    names: set[tuple[str, str]] = set()

    def name() -> tuple[str, str]:
        while True:
            gender = "f" if rng.random() < 0.8 else "m"
            candidate = (rng.choice(FLEMISH_FIRST_NAMES[gender]), rng.choice(FLEMISH_LAST_NAMES))
            if candidate not in names:
                names.add(candidate)
                return candidate

    def worker(index: int, team: Team, fte: Any, start: D, end: D | None) -> Worker:
        first, last = name()
        record = SocialWorker(
            organisation=organisation,
            external_id=f"{shape.DEMO_ID_PREFIX}ma-{index:03d}",
            first_name=first,
            last_name=last,
            fte=fte,
            team=team,
            start_date=start,
            end_date=end,
        )
        return Worker(record=record, start=start, end=end)

    workers = []
    stayers = len(ftes) - len(shape.DEPARTURES)
    for i in range(stayers):
        start = D(2003, 1, 1) + days(rng.uniform(0, 12 * 365))
        workers.append(worker(i + 1, teams[i % len(teams)], ftes[i], start, None))
    for j, left in enumerate(shape.DEPARTURES):
        team = teams[j % len(teams)]
        start = D(2004, 1, 1) + days(rng.uniform(0, 10 * 365))
        former = worker(stayers + j + 1, team, Decimal("1.0"), start, left)
        newcomer = worker(len(ftes) + j + 1, team, ftes[stayers + j], left + ONE_DAY, None)
        former.replacement = newcomer
        workers += [former, newcomer]
    SocialWorker.objects.bulk_create([w.record for w in workers])
    return workers


def add_notes(
    builder: RecordBuilder,
    records: dict[type[models.Model], list[dict[str, Any]]],
    today: D,
    logins: list[DemoLogin],
) -> None:
    """A few notes in the files of the demo social assistant's clients."""
    User = get_user_model()
    author = User.objects.get(username=DEMO_LOGINS[0].username)
    worker = author.social_worker
    rng = builder.rng
    texts = (
        "Telefonisch contact: afspraak verzet naar volgende week.",
        "Huisbezoek gedaan; de woning is in orde.",
        "Cliënt brengt loonfiches binnen voor de herziening.",
        "Gesprek over de stap naar een tewerkstelling artikel 60.",
        "Doorverwezen naar schuldbemiddeling.",
        "Inschrijving bij VDAB samen in orde gebracht.",
    )
    for assignment in records[Assignment]:
        if assignment["social_worker_id"] != worker.pk:
            continue
        if not overlaps(assignment["start_date"], assignment["end_date"], today, today):
            continue
        for _note in range(rng.randint(1, 2)):
            day = max(assignment["start_date"], today - days(rng.uniform(0, 150)))
            builder.add(
                ClientNote,
                "note",
                client_id=assignment["client_id"],
                date=day,
                text=rng.choice(texts),
                author_id=author.pk,
            )


# The demo social assistant's week: (weekday, hour, minute, kind, place).
DEMO_WEEK = (
    (0, 9, 30, "gpmi_evaluation", "Bureau 2.14"),
    (0, 14, 0, "conversation", "Bureau 2.14"),
    (1, 10, 0, "home_visit", "Bij de cliënt thuis"),
    (1, 13, 30, "gpmi_evaluation", "Bureau 2.14"),
    (2, 9, 0, "intake", "Onthaal, lokaal 1"),
    (2, 11, 0, "gpmi_evaluation", "Bureau 2.14"),
    (3, 10, 30, "conversation", "Telefonisch"),
    (3, 14, 30, "gpmi_evaluation", "Bureau 2.14"),
    (4, 9, 30, "home_visit", "Bij de cliënt thuis"),
    (4, 11, 0, "gpmi_evaluation", "Bureau 2.14"),
)


def add_appointments(
    builder: RecordBuilder, records: dict[type[models.Model], list[dict[str, Any]]], today: D
) -> None:
    """The demo social assistant's appointments of this week (Monday to Friday): GPMI
    evaluations with clients whose GPMI runs, home visits, an intake, conversations.
    Those before today were held, except the last one, left to register (work queue)."""
    worker = get_user_model().objects.get(username=DEMO_LOGINS[0].username).social_worker
    clients = sorted(
        {
            a["client_id"]
            for a in records[Assignment]
            if a["social_worker_id"] == worker.pk
            and overlaps(a["start_date"], a["end_date"], today, today)
        }
    )
    gpmis = {
        t["client_id"]: t
        for t in sorted(records[Trajectory], key=lambda t: t["start_date"])
        if t["kind"] == "gpmi"
        and t["client_id"] in clients
        and overlaps(t["start_date"], t["end_date"], today, today)
    }
    with_gpmi = sorted(gpmis)
    others = [c for c in clients if c not in gpmis]
    monday = today - days(today.weekday())
    past = [slot for slot in DEMO_WEEK if monday + days(slot[0]) < today]
    for index, (weekday, hour, minute, kind, place) in enumerate(DEMO_WEEK):
        pool = with_gpmi if kind == "gpmi_evaluation" and with_gpmi else others or clients
        if not pool:
            return
        client_id = pool[index % len(pool)]
        starts = timezone.make_aware(
            datetime.datetime.combine(monday + days(weekday), datetime.time(hour, minute))
        )
        held = monday + days(weekday) < today and (weekday, hour, minute, kind, place) != past[-1]
        builder.add(
            Appointment,
            "afspraak",
            client_id=client_id,
            social_worker_id=worker.pk,
            kind=kind,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=45 if kind == "conversation" else 60),
            place=place,
            status="held" if held else "planned",
            trajectory_id=(
                gpmis[client_id]["id"] if kind == "gpmi_evaluation" and client_id in gpmis else None
            ),
        )


def record_counts(organisation: Organisation) -> dict[str, int]:
    """How many records of each kind the organisation has (for re-run checks)."""
    counts = {}
    models_: tuple[type[models.Model], ...] = (
        *CREATE_ORDER,
        SocialWorker,
        Team,
        Population,
        Programme,
    )
    for model in models_:
        manager = model._default_manager
        if model is ProgrammeFunding:
            queryset = manager.filter(programme__organisation=organisation)
        else:
            queryset = manager.filter(organisation=organisation)
        counts[model._meta.label] = queryset.count()
    return counts
