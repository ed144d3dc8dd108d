"""The demo's logins: one per role of access/roles.py, printed by seed_demo."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import models
from django.utils.translation import gettext as _

from access.roles import ADMINISTRATOR, DPO, MANAGER, SOCIAL_ASSISTANT, TEAM_LEAD, group_name
from access.services import staff_membership_set
from casework.models import Assignment, Organisation, SocialWorker
from demo.generator.rows import Worker
from demo.generator.timeline import overlaps
from partners.models import Article60Placement

D = datetime.date

# The demo login that is not a role of access/roles.py: the technical superuser.
SUPERUSER = "superuser"
# Roles without a social-worker profile: they belong to the organisation as staff.
STAFF_ROLES = (MANAGER, ADMINISTRATOR, DPO)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    description: str = ""
    # The password hashed in advance (PBKDF2, the settings' first hasher): hashing five
    # passwords at 1.5 million iterations would take longer than the whole demo.
    password_hash: str = field(default="", repr=False)


# One login per role of access/roles.py. The passwords pass the settings' validators
# (checked when the users are made); they are demo passwords, printed on purpose.
DEMO_LOGINS = (
    DemoLogin(
        "assistent",
        "Leefloon-Traject-2025",
        SOCIAL_ASSISTANT,
        password_hash="pbkdf2_sha256$1500000$jpyUUrmfb5YZO4nspPSu7c$"
        "dXdnUn9esF7iddAiycQdqZvICuk/PoKGI02bXPqUBHM=",
    ),
    DemoLogin(
        "teamlead",
        "Caseload-Overzicht-25",
        TEAM_LEAD,
        password_hash="pbkdf2_sha256$1500000$HbYMaxZxc62xQdkZ0LvFlx$"
        "5Qa/lMnNzRqX+TeWXdKZKc+dnr/iYOFB9xtyaBlodVQ=",
    ),
    DemoLogin(
        "manager",
        "Raadsvraag-Cijfers-25",
        MANAGER,
        password_hash="pbkdf2_sha256$1500000$u98Igvv0G4atldnCkFoMNb$"
        "BPGx0iJnrvOPLgCaLuy1bG1oyVoU6DcHKeFoGAczcxk=",
    ),
    DemoLogin(
        "beheerder",
        "Beheer-Sociaal-Huis-25",
        ADMINISTRATOR,
        password_hash="pbkdf2_sha256$1500000$CGx366Ahvdd4ubmPl44QbV$"
        "sz7EPclqHjoD+m9VgK/ITPkELoW+KVevIb6ctzY98zQ=",
    ),
    DemoLogin(
        "dpo",
        "Privacy-Register-AVG-25",
        DPO,
        password_hash="pbkdf2_sha256$1500000$YDSloyXFGvJRuuDbsDbnHf$"
        "cNoYMuakVVroKGBf8Izq7LTKfnxTA1Eaaaz7RUXf2K8=",
    ),
    # The one technical superuser (no role: sees everything, every read logged; in
    # production with a second factor). Not for daily work.
    DemoLogin(
        "superuser",
        "Noodsleutel-Technisch-2025",
        SUPERUSER,
        password_hash="pbkdf2_sha256$1500000$UC4WbqWZrZuxMUZV7Cdmdx$"
        "2EZpuJ9CUsQB4BtR5bbzhUu6Aac9TTGWcJECQjBlPfo=",
    ),
)


def set_demo_password(user: Any, login: DemoLogin) -> None:
    """The prepared hash when this installation can check it, else hash it now."""
    try:
        identify_hasher(login.password_hash)
    except ValueError:
        user.set_password(login.password)
    else:
        user.password = login.password_hash


def make_users(
    organisation: Organisation,
    workers: list[Worker],
    records: dict[type[models.Model], list[dict[str, Any]]],
    today: D,
) -> list[DemoLogin]:
    """One login per role. The social assistant follows about 72 clients today, among
    them (preferably) some whose article-60 placement ends soon, so that their work
    queue shows every kind of item; the team lead leads that social assistant's team."""
    caseload: dict[int, set[int]] = defaultdict(set)
    for assignment in records[Assignment]:
        if overlaps(assignment["start_date"], assignment["end_date"], today, today):
            caseload[assignment["social_worker_id"]].add(assignment["client_id"])
    soon = today + datetime.timedelta(days=60)
    ending = {
        placement["client_id"]
        for placement in records[Article60Placement]
        if placement["end_date"] is None and placement["planned_end_date"] <= soon
    }

    def fit(worker: Worker) -> tuple:
        clients = caseload[worker.record.pk]
        off = abs(len(clients) - 72)
        return (off > 4, -len(clients & ending), off, worker.record.external_id)

    full_time = [w for w in workers if w.end is None and w.record.fte == 1]
    assistant = min(full_time, key=fit)
    lead = next(
        w for w in full_time if w.record.team is assistant.record.team and w is not assistant
    )
    linked = {SOCIAL_ASSISTANT: assistant.record, TEAM_LEAD: lead.record}
    other_names = {
        MANAGER: ("Katrien", "Vermeulen"),
        ADMINISTRATOR: ("Bart", "Goossens"),
        DPO: ("Ilse", "Lemmens"),
        SUPERUSER: ("Technisch", "Beheer"),
    }
    User = get_user_model()
    logins = []
    for login in DEMO_LOGINS:
        worker = linked.get(login.role)
        first, last = (worker.first_name, worker.last_name) if worker else other_names[login.role]
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.first_name, user.last_name = first, last
        user.email = f"{login.username}@traject-demo.invalid"
        user.is_active = True
        user.is_staff = login.role in (ADMINISTRATOR, SUPERUSER)
        user.is_superuser = login.role == SUPERUSER
        validate_password(login.password, user)
        set_demo_password(user, login)
        user.save()
        user.groups.set(
            [] if login.role == SUPERUSER else [Group.objects.get(name=group_name(login.role))]
        )
        # Managers, the administrator and the DPO act in the demo organisation only.
        staff_membership_set(
            user=user, organisation=organisation if login.role in STAFF_ROLES else None
        )
        description = ""
        if login.role == ADMINISTRATOR:
            description = _("beheerder van %(organisation)s, beheert via /admin/") % {
                "organisation": organisation.name
            }
        elif login.role == SUPERUSER:
            description = _("technische superuser: noodaccount, niet voor dagelijks werk")
        if worker is not None:
            SocialWorker.objects.filter(user=user).exclude(pk=worker.pk).update(user=None)
            worker.user = user
            worker.save(update_fields=["user"])
            clients = len(caseload[worker.pk])
            description = _("%(team)s, %(clients)s cliënten vandaag") % {
                "team": worker.team,
                "clients": clients,
            }
        logins.append(DemoLogin(login.username, login.password, login.role, description))
    return logins
