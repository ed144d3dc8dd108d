"""An outsider's check of the regional council report, from the specifications alone.

Four hand-written record bundles (import-format.md), imported with `import_records`, and
the reports drawn with `council_report`. The region tree:

    ox-vl (Vlaanderen)
      ox-prov (a province)
        ox-regio1: ox-a, ox-b
        ox-regio2: ox-c
      ox-prov2 (another province): ox-d

Persons (the same national number in two OCMWs is one person; council-report.md,
"Reports over a region"):

- P1 (a1 in ox-a, b1 in ox-b): moved from A to B. Leefloon in A 2022-03-01..2024-10-31,
  in B from 2024-11-30 (exactly 30 days later); registered at VDAB in A, later in B; MMPP
  advice recorded by A only; a job recorded by B on 2025-10-31.
- P2 (a2 in ox-a, c2 in ox-c): VDAB registration and MMPP advice (cat 4) in A; a newer
  advice (cat 2) and a job from 2025-01-10 recorded by C.
- P3 (b3 in ox-b): advice cat 5 lapsing on 2024-11-30, replaced by cat 3 on 2024-12-01;
  a warm handover on 2024-10-31 (last day of the month).
- P4 (c4 in ox-c, d4 in ox-d, another province): registration and advice in C, an
  article-60 placement and a job in D (both ending on a month's last day).
- P5a (a5) and P5b (b5): same name and birth date, no national number: two persons.
- P6 (b6): leefloon and VDAB registration dated after the as-of day.
- P7 (a7, b7): leefloon in A and B at the same time (overlapping records), article 60 in
  A then in B.
- P8 (c8): born 1999-12-31, registered on her 25th birthday.

Report 1: --from 2024-10 --to 2025-02 --reference-month 2025-01 --as-of 2025-02-20.
Report 2: the same with --as-of 2025-11-30 (the 12-month windows of 2024-10 and 2024-11
have closed).

A second province (ox2-prov: ox2-e, ox2-f; persons Q1.., g1..g5, x1, z1) and a third
(ox3-prov: ox3-h) hold further cases, described at BUNDLES_2 / BUNDLES_3 and in the tests;
REPORTS lists every report drawn. Every expected figure is computed by hand from
council-report.md and import-format.md, never from the application's code.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from access.models import RegionAssignment
from access.roles import ANALYST, group_name
from casework.models import Organisation, Region

pytestmark = pytest.mark.django_db

BUNDLES = {
    "ox-a": {
        "organisation.csv": """code,name,nis_code,region
ox-a,OCMW A,,ox-regio1
""",
        "regions.csv": """code,name,parent
ox-vl,Vlaanderen,
ox-prov,Provincie,ox-vl
ox-regio1,Regio een,ox-prov
ox-regio2,Regio twee,ox-prov
ox-prov2,Andere provincie,ox-vl
""",
        "population.csv": """year,inhabitants
2025,10000
""",
        "social_workers.csv": """id,first_name,last_name,fte,start_date,end_date
sw1,Ann,A,1.0,2020-01-01,
sw2,Bert,A,0.5,2020-01-01,2025-01-31
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
a1,Piet,Mover,1990-05-15,m,90051501109,single
a2,Mia,Mmpp,1970-02-01,f,70020102274,
a5,Lies,Zonder,1995-01-01,f,,married
a7,Jan,Twee,1960-12-31,m,60123106162,
""",
        "assignments.csv": """id,client,social_worker,start_date,end_date
as1,a5,sw1,2024-12-01,
as2,a7,sw1,2024-01-01,
as3,a1,sw2,2022-03-01,2024-10-31
""",
        "income_rights.csv": """id,client,kind,category,start_date,end_date
ir1,a1,leefloon,single,2022-03-01,2024-10-31
ir2,a5,leefloon,family,2024-12-01,
ir3,a7,leefloon,single,2024-01-01,
""",
        "trajectories.csv": """id,client,kind,start_date,end_date
t1,a1,gpmi,2024-03-01,2024-11-29
t2,a5,gpmi,2024-12-01,
""",
        "article60_placements.csv": """id,client,employer_kind,start_date,end_date,outcome
p1,a7,own_service,2024-10-01,2024-10-31,work
""",
        "vdab_registrations.csv": """id,client,registered_on,category,ended_on,warm_handover
v1,a1,2024-10-10,ocmw,2024-11-29,false
v2,a2,2024-06-01,benefits,,false
v3,a5,2024-12-10,ocmw,,false
v4,a7,2024-01-15,benefits,,false
""",
        "mmpp_screenings.csv": """id,client,advised_on,category,ended_on
m1,a2,2024-06-10,4,
m2,a1,2024-10-15,4,
""",
    },
    "ox-b": {
        "organisation.csv": """code,name,nis_code,region
ox-b,OCMW B,,ox-regio1
""",
        "population.csv": """year,inhabitants
2025,20000
""",
        "social_workers.csv": """id,first_name,last_name,fte,start_date,end_date
sw1,Carl,B,0.8,2025-02-01,
sw2,Dirk,B,1.0,2019-01-01,
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
b1,Piet,Mover,1990-05-15,m,90051501109,
b3,Xan,Jong,2001-03-03,x,01030303345,single
b5,Lies,Zonder,1995-01-01,f,,cohabiting
b6,Tom,Laat,1980-04-04,m,80040405182,single
b7,Jan,Twee,1960-12-31,m,60123106162,
b10,Tien,Vroeg,1977-07-07,f,,
""",
        "assignments.csv": """id,client,social_worker,start_date,end_date
as1,b1,sw2,2024-11-30,
as2,b7,sw2,2024-06-01,
as3,b5,sw2,2025-01-01,
as4,b3,sw2,2025-02-01,
""",
        "income_rights.csv": """id,client,kind,category,start_date,end_date
ir1,b1,leefloon,single,2024-11-30,
ir2,b5,equivalent,cohabiting,2025-01-01,
ir3,b6,leefloon,single,2025-02-25,
ir4,b7,leefloon,single,2024-06-01,
ir10,b10,leefloon,single,2024-02-01,2024-03-31
""",
        "trajectories.csv": """id,client,kind,start_date,end_date
t1,b1,activation,2024-12-15,
t2,b5,activation,2025-01-05,
t3,b6,gpmi,2025-02-01,
t4,b7,training,2024-06-01,
""",
        "article60_placements.csv": """id,client,employer_kind,start_date,end_date,outcome
p1,b7,public,2024-11-01,2025-01-31,leefloon
p10,b10,private,2024-03-01,2024-05-31,work
""",
        "employment.csv": """id,client,start_date,end_date,contract
e1,b1,2025-10-31,,permanent
e2,b3,2025-11-15,,temporary
""",
        "vdab_registrations.csv": """id,client,registered_on,category,ended_on,warm_handover
v1,b1,2024-12-05,ocmw,,false
v2,b3,2024-10-31,ocmw,,true
v3,b5,2025-01-06,ocmw,,false
v4,b6,2025-02-21,ocmw,,false
""",
        "mmpp_screenings.csv": """id,client,advised_on,category,ended_on
m1,b3,2024-09-01,5,2024-11-30
m2,b3,2024-12-01,3,
m3,b3,2025-02-25,2,
""",
    },
    "ox-c": {
        "organisation.csv": """code,name,nis_code,region
ox-c,OCMW C,,ox-regio2
""",
        "population.csv": """year,inhabitants
2025,5000
""",
        "social_workers.csv": """id,first_name,last_name,fte,start_date,end_date
sw1,Els,C,0.5,2020-01-01,
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
c2,Mia,Mmpp,1970-02-01,f,70020102274,
c4,Karel,Vier,1985-07-20,m,85072004129,
c8,Nina,Grens,1999-12-31,f,99123107294,
c9,Olga,Buiten,1978-08-08,f,78080809204,
""",
        "assignments.csv": """id,client,social_worker,start_date,end_date
as1,c4,sw1,2024-08-01,2025-01-31
as2,c2,sw1,2024-11-01,2025-01-30
""",
        "employment.csv": """id,client,start_date,end_date,contract
e1,c2,2025-01-10,,permanent
""",
        "vdab_registrations.csv": """id,client,registered_on,category,ended_on,warm_handover
v1,c4,2024-08-01,other,,false
v2,c8,2024-12-31,ocmw,,false
v3,c9,2024-11-05,ocmw,,false
""",
        "mmpp_screenings.csv": """id,client,advised_on,category,ended_on
m1,c2,2024-11-15,2,
m2,c4,2024-08-05,1,
""",
    },
    "ox-d": {
        "organisation.csv": """code,name,nis_code,region
ox-d,OCMW D,,ox-prov2
""",
        "population.csv": """year,inhabitants
2024,8000
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
d4,Karel,Vier,1985-07-20,m,85072004129,
d9,Olga,Buiten,1978-08-08,f,78080809204,
d7,Jan,Twee,1960-12-31,m,60123106162,
""",
        "article60_placements.csv": """id,client,employer_kind,start_date,end_date,outcome
p1,d4,private,2024-09-01,2024-11-30,work_linked_training
""",
        "employment.csv": """id,client,start_date,end_date,contract
e1,d4,2024-12-01,2024-12-31,temporary
e9,d9,2025-03-01,,permanent
""",
        "income_rights.csv": """id,client,kind,category,start_date,end_date
ir7,d7,leefloon,single,2020-01-01,2023-12-31
""",
        "mmpp_screenings.csv": """id,client,advised_on,category,ended_on
m4,d4,2025-01-05,5,2025-01-20
""",
    },
}

# A second province: the latest advice of a person lapsed in the other OCMW, a national
# number written with dots and dashes in one OCMW, the 30-day rule broken by one day,
# a placement starting on a stock day, age-band boundaries and programmes.
BUNDLES_2 = {
    "ox2-e": {
        "organisation.csv": """code,name,nis_code,region
ox2-e,OCMW E,,ox2-prov
""",
        "regions.csv": """code,name,parent
ox2-prov,Tweede provincie,
""",
        "population.csv": """year,inhabitants
2025,61000
""",
        "social_workers.csv": """id,first_name,last_name,fte,start_date,end_date
sw1,Eva,E,1.0,2020-01-01,
sw2,Emma,E,0.5,2020-01-01,2025-01-25
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
e1,Quinten,Een,1975-03-10,m,75031001322,
e2,Quirine,Twee,1982-08-08,f,82.08.08-024.59,
e3,Quint,Drie,1965-06-06,m,65060603528,
e4,Quentin,Vier,1988-01-20,m,88012004744,
e5,Vijftig,Jaar,1974-10-15,f,,
e7,Job,Road,1990-01-01,m,,
e9,Job,Later,1991-01-01,f,,
e6,Zes,Voor,1980-06-06,m,80060606522,
e10,Tien,Laatst,1984-04-10,m,84041010133,
e11,Elf,Genest,1970-11-11,f,70111111139,
e13,Dertien,Verhuisd,1992-12-12,m,92121213170,
e15,Vijftien,Later,1994-05-05,f,,
e16,Zonder,Nummer,1983-03-03,m,,
x1,Xavier,Eenzelfde,1971-01-01,m,,
e17,Zeventien,Overdracht,1987-07-17,m,87071717131,
""",
        "assignments.csv": """id,client,social_worker,start_date,end_date
as1,e2,sw1,2023-01-01,
as2,e3,sw1,2023-06-01,2024-11-30
as3,e11,sw2,2024-01-01,2025-01-25
""",
        "income_rights.csv": """id,client,kind,category,start_date,end_date
ir1,e2,equivalent,single,2023-01-01,2024-12-31
ir2,e3,leefloon,single,2023-06-01,2024-11-30
ir11a,e11,leefloon,single,2022-01-01,2024-12-31
ir11b,e11,leefloon,single,2025-01-10,
""",
        "article60_placements.csv": """id,client,employer_kind,start_date,end_date,outcome
px1,x1,own_service,2024-02-01,2024-03-15,training
p2,e2,public,2025-01-02,2025-01-20,
""",
        "vdab_registrations.csv": """id,client,registered_on,category,ended_on,warm_handover
v1,e1,2024-09-02,ocmw,,false
v4,e4,2024-08-01,benefits,,false
v5,e5,2024-10-15,ocmw,,false
v6,e6,2024-01-10,ocmw,,false
v10,e10,2024-01-20,ocmw,,false
v13,e13,2024-03-01,ocmw,2024-10-31,false
v16,e16,2024-05-01,benefits,,false
v17,e17,2024-01-05,benefits,,true
""",
        "mmpp_screenings.csv": """id,client,advised_on,category,ended_on
m1,e1,2024-06-03,1,
m4,e4,2024-08-02,2,
m13,e13,2024-03-05,3,
""",
        "programme_funding.csv": """programme,year,amount_eur
jobroad,2024,1000
jobroad,2025,500
""",
        "programme_sessions.csv": """id,programme,date,capacity
s1,jobroad,2024-03-01,35
s2,jobroad,2025-02-15,10
""",
        "referrals.csv": """id,client,programme,start_date,end_date,session,outcome
r1,e7,jobroad,2024-03-01,2024-09-01,s1,permanent_job
r2,e9,jobroad,2025-01-05,,,
r3,e15,jobroad,2025-02-15,,s2,
r5,e2,jobroad,2024-05-01,2024-05-31,,dropped_out
""",
    },
    "ox2-f": {
        "organisation.csv": """code,name,nis_code,region
ox2-f,OCMW F,,ox2-prov
""",
        "population.csv": """year,inhabitants
2025,3000
""",
        "social_workers.csv": """id,first_name,last_name,fte,start_date,end_date
sw1,Fien,F,1.0,2020-01-01,
sw2,Frida,F,1.0,2025-01-25,
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
f1,Quinten,Een,1975-03-10,m,75031001322,
f2,Quirine,Twee,1982-08-08,f,82080802459,
f3,Quint,Drie,1965-06-06,m,65060603528,
f4,Quentin,Vier,1988-01-20,m,88012004744,
f5,Bijna,Vijfentwintig,1999-10-16,m,,
f7,Tijdelijk,Werk,1992-02-02,f,,
f8,Geen,Werk,1993-03-03,m,,
f6,Zes,Voor,1980-06-06,m,80060606522,
f10,Tien,Laatst,1984-04-10,m,84041010133,
f11,Elf,Genest,1970-11-11,f,70111111139,
f13,Dertien,Verhuisd,1992-12-12,m,92121213170,
f14,Veertien,Na,1986-07-07,m,,
f16,Zonder,Nummer,1983-03-03,m,,
x1,Yvonne,Anders,1989-09-09,f,,
g1,Grens,Eenjaar,1960-01-01,f,,
g2,Grens,Tweejaar,1960-01-02,f,,
g3,Grens,Vierjaar,1960-01-03,f,,
g4,Grens,Langer,1960-01-04,f,,
g5,Grens,Lang,1960-01-05,f,,
z1,Schrikkel,Dag,2000-02-29,f,00022920238,
f17,Zeventien,Overdracht,1987-07-17,m,87071717131,
""",
        "assignments.csv": """id,client,social_worker,start_date,end_date
as1,f2,sw1,2025-01-15,
as2,f3,sw1,2024-12-31,
as3,g1,sw1,2025-01-25,
as4,g2,sw2,2025-01-25,
""",
        "income_rights.csv": """id,client,kind,category,start_date,end_date
ir1,f2,leefloon,single,2025-01-15,
ir2,f3,leefloon,single,2024-12-31,
ig1,g1,leefloon,single,2024-01-31,
ig2,g2,leefloon,single,2023-01-31,
ig3,g3,leefloon,single,2021-01-31,
ig4,g4,leefloon,single,2021-01-30,
ig5,g5,leefloon,single,2019-05-05,
ir11,f11,leefloon,single,2023-01-01,2023-03-31
""",
        "article60_placements.csv": """id,client,employer_kind,start_date,end_date,outcome
p1,f4,own_service,2024-11-30,,
p10,f10,public,2025-01-31,,
p14,f14,non_profit,2024-06-01,2025-02-15,work
px1,x1,public,2024-02-10,2024-02-28,work
p2,f2,public,2025-01-21,,
""",
        "vdab_registrations.csv": """id,client,registered_on,category,ended_on,warm_handover
v5,f5,2024-10-15,ocmw,,false
v13,f13,2024-11-01,benefits,,false
vz1,z1,2025-01-08,ocmw,,false
""",
        "mmpp_screenings.csv": """id,client,advised_on,category,ended_on
m1,f1,2024-10-01,5,2024-10-20
m16,f16,2024-05-02,4,
""",
        "employment.csv": """id,client,start_date,end_date,contract
e6,f6,2024-01-05,,permanent
e17,f17,2024-06-01,,temporary
""",
        "programme_sessions.csv": """id,programme,date,capacity
s1,jobroad,2024-04-01,35
""",
        "referrals.csv": """id,client,programme,start_date,end_date,session,outcome
r1,f7,jobroad,2024-04-01,2024-10-01,s1,temporary_job
r2,f8,jobroad,2024-04-01,2024-10-01,s1,none
r4,f8,wijkwerken,2024-05-01,2024-06-01,,none
r5,f2,jobroad,2024-05-02,2024-05-31,,training
""",
    },
}

# A third province of one OCMW: a right ending after the as-of day, one starting after it.
BUNDLES_3 = {
    "ox3-h": {
        "organisation.csv": """code,name,nis_code,region
ox3-h,OCMW H,,ox3-prov
""",
        "regions.csv": """code,name,parent
ox3-prov,Derde provincie,
""",
        "clients.csv": """id,first_name,last_name,birth_date,gender,national_number,household
h1,Eindigt,Later,1970-01-01,f,,
h2,Begint,Later,1971-01-01,f,,
""",
        "income_rights.csv": """id,client,kind,category,start_date,end_date
ir1,h1,leefloon,single,2024-06-01,2025-02-25
ir2,h2,leefloon,single,2025-03-05,
""",
    },
}

PERIOD = ["--from", "2024-10", "--to", "2025-02", "--reference-month", "2025-01"]
AS_OF_1 = "2025-02-20"
AS_OF_2 = "2025-11-30"
PERIOD_2 = ["--from", "2024-01", "--to", "2025-01", "--reference-month", "2025-01"]
AS_OF_3 = "2025-02-10"
# Report 3 (the second province): PERIOD_2 with --as-of 2025-02-10.
# Report 4: a period without a 31 December: --from 2025-01 --to 2025-02.
# Report 5: a period with two 31 Decembers: --from 2023-12 --to 2025-02 (as of 2025-02-20).
LONG = ["--from", "2023-12", "--to", "2025-02", "--reference-month", "2025-01"]
SHORT = ["--from", "2025-01", "--to", "2025-02", "--reference-month", "2025-01"]
# (code, as_of) -> the arguments of every report the tests read.
REPORTS = {
    ("ox-prov", AS_OF_1): PERIOD,
    ("ox-vl", AS_OF_1): PERIOD,
    ("ox-regio1", AS_OF_1): PERIOD,
    ("ox-a", AS_OF_1): PERIOD,
    ("ox-b", AS_OF_1): PERIOD,
    ("ox-prov", AS_OF_2): PERIOD,
    ("ox-a", AS_OF_2): PERIOD,
    ("ox-vl", AS_OF_2): PERIOD,
    ("ox-prov", "long"): LONG,
    ("ox2-prov", AS_OF_3): PERIOD_2,
    ("ox2-e", AS_OF_3): PERIOD_2,
    ("ox-prov", "short"): SHORT,
    ("ox2-prov", "2025-01-31"): PERIOD_2,
    ("ox2-prov", "2025-01-20"): PERIOD_2,
    ("ox-prov", "nov"): ["--from", "2024-10", "--to", "2024-11", "--reference-month", "2024-11"],
    ("ox2-prov", "leap"): ["--from", "2024-01", "--to", "2024-02", "--reference-month", "2024-02"],
    ("ox3-prov", AS_OF_1): ["--from", "2025-01", "--to", "2025-03", "--reference-month", "2025-03"],
}


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker, tmp_path_factory):
    """Import the bundles with `import_records`, draw the reports with `council_report`
    (JSON), roll everything back."""
    root = tmp_path_factory.mktemp("outsider-bundles")
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for code, files in {**BUNDLES, **BUNDLES_2, **BUNDLES_3}.items():
            folder = root / code
            folder.mkdir()
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
            call_command("import_records", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
        # "Idempotent: importing the same bundle twice leaves the same records as importing
        # it once" (import-format.md): every figure below holds after a second import of A.
        call_command(
            "import_records", str(root / "ox-a"), stdout=io.StringIO(), stderr=io.StringIO()
        )
        for (code, as_of), arguments in REPORTS.items():
            day = {"short": AS_OF_1, "long": AS_OF_1, "nov": AS_OF_1, "leap": "2024-03-31"}.get(
                as_of, as_of
            )
            out = io.StringIO()
            call_command("council_report", code, *arguments, "--as-of", day, stdout=out)
            result[code, as_of] = json.loads(out.getvalue())
        # "The same report is ... a JSON endpoint with the same content."
        superuser = get_user_model().objects.create_superuser("outsider", "o@example.org", "x")
        browser = Client()
        browser.force_login(superuser)
        response = browser.get(
            reverse("reporting:council_report_api"),
            {
                "region": "ox-prov",
                "from": "2024-10",
                "to": "2025-02",
                "reference_month": "2025-01",
                "as_of": AS_OF_1,
            },
        )
        assert response.status_code == 200, response.content
        result["api", "ox-prov"] = json.loads(response.content)
        # "Who may see a region's report: users whose role is given for that region": an
        # analyst of ox-regio1 (access.models.RegionAssignment).

        analyst = get_user_model().objects.create(username="outsider-analyst")
        analyst.groups.add(Group.objects.get(name=group_name(ANALYST)))
        RegionAssignment.objects.create(user=analyst, region=Region.objects.get(code="ox-regio1"))
        browser = Client()
        browser.force_login(analyst)
        query = {"from": "2024-10", "to": "2025-02", "reference_month": "2025-01", "as_of": AS_OF_1}
        for kind, code in [
            ("region", "ox-regio1"),
            ("region", "ox-prov"),
            ("region", "ox-regio2"),
            ("organisation", "ox-a"),
            ("organisation", "ox-c"),
        ]:
            response = browser.get(reverse("reporting:council_report_api"), {**query, kind: code})
            result["analyst", code] = response.status_code
        transaction.set_rollback(True)
    return result


def stats(reports, code, as_of=AS_OF_1):
    return reports[code, as_of]["statistics"]


def nonzero(by_category):
    return {key: value for key, value in by_category.items() if value}


def band(under_25=0, middle=0, over_50=0):
    return {
        "under_25": under_25,
        "25_to_49": middle,
        "50_plus": over_50,
        "total": under_25 + middle + over_50,
    }


# --- shape -------------------------------------------------------------------------------


def test_a_region_report_names_the_region_and_its_organisations_sorted(reports):
    # "The report of a region covers every organisation of the region and of its
    # sub-regions"; "The JSON has "region": CODE and "organisations" (their codes, sorted)
    # instead of "organisation"".
    province = reports["ox-prov", AS_OF_1]
    assert province["region"] == "ox-prov"
    assert "organisation" not in province
    assert province["organisations"] == ["ox-a", "ox-b", "ox-c"]
    assert reports["ox-vl", AS_OF_1]["organisations"] == ["ox-a", "ox-b", "ox-c", "ox-d"]
    assert reports["ox-regio1", AS_OF_1]["organisations"] == ["ox-a", "ox-b"]


# --- income_support and leefloon_duration --------------------------------------------------


def test_income_support_counts_persons_over_the_province(reports):
    # "Clients with an income right (leefloon or equivalent) overlapping the reference
    # month" -- "a region counts persons: client records with the same national number are
    # one person; a client record without a national number is a person of its own."
    # 2025-01 leefloon: P1 (b1), P5a (a5), P7 (a7 and b7 overlapping: one person) = 3;
    # equivalent: P5b (b5) = 1.
    # "inhabitants is the sum over the region's organisations of their population for the
    # year": 10000 + 20000 + 5000 = 35000; 3/35 = 0.0857 -> 0.09, 1/35 = 0.0286 -> 0.03.
    # "per year of the period, the number of distinct clients with a right of that kind
    # overlapping the year": 2024 leefloon P1 (a1, b1), P5a, P7, and P10 (b10, whose right
    # 2024-02-01..2024-03-31 overlaps the year 2024, though not the period) = 4; 2025
    # leefloon P1, P5a,
    # P7 = 3 (b6's right starts 2025-02-25, after the as-of day: "Facts dated after it do
    # not count"), equivalent P5b = 1.
    assert stats(reports, "ox-prov")["income_support"] == {
        "leefloon": 3,
        "equivalent": 1,
        "inhabitants": 35000,
        "leefloon_per_1000": 0.09,
        "equivalent_per_1000": 0.03,
        "unique_by_year": {
            "2024": {"leefloon": 4, "equivalent": 0},
            "2025": {"leefloon": 3, "equivalent": 1},
        },
    }


def test_inhabitants_of_a_region_are_null_when_one_organisation_has_none(reports):
    # "`inhabitants` ... `null` when one of them has none for that year" (ox-d has a
    # population for 2024 only); "`inhabitants` and the per-1,000 figures are `null` when
    # no population is known."
    income = stats(reports, "ox-vl")["income_support"]
    assert income["leefloon"] == 3
    assert income["inhabitants"] is None
    assert income["leefloon_per_1000"] is None
    assert income["equivalent_per_1000"] is None


def test_leefloon_spell_runs_across_organisations(reports):
    # "leefloon_duration builds a person's uninterrupted spell from the income rights of
    # all that person's client records in the region, with the same 30-day rule" and "a
    # right that starts at most 30 days after the previous one ended continues the spell".
    # Last day of the reference month 2025-01-31: up_to_1y from 2024-01-31, 1y_to_2y from
    # 2023-01-31, 2y_to_4y from 2021-01-31.
    # P1: A 2022-03-01..2024-10-31, B from 2024-11-30 (30 days later): 2y_to_4y.
    # P7: A from 2024-01-01, B from 2024-06-01: 1y_to_2y. P5a: from 2024-12-01: up_to_1y.
    # Percent: 1/3 = 33.3 -> 33.
    assert stats(reports, "ox-prov")["leefloon_duration"] == {
        "counts": {"up_to_1y": 1, "1y_to_2y": 1, "2y_to_4y": 1, "over_4y": 0},
        "percent": {"up_to_1y": 33, "1y_to_2y": 33, "2y_to_4y": 33, "over_4y": 0},
    }


def test_leefloon_spell_over_flanders_takes_rights_outside_the_province(reports):
    # P7 also had leefloon in ox-d (another province) 2020-01-01..2023-12-31, one day before
    # A's right of 2024-01-01: over Flanders P7's spell starts 2020-01-01 (before
    # 2021-01-31: over_4y); the province's report does not see it (1y_to_2y above).
    assert stats(reports, "ox-vl")["leefloon_duration"] == {
        "counts": {"up_to_1y": 1, "1y_to_2y": 0, "2y_to_4y": 1, "over_4y": 1},
        "percent": {"up_to_1y": 33, "1y_to_2y": 0, "2y_to_4y": 33, "over_4y": 33},
    }


def test_leefloon_spell_of_one_organisation_sees_only_its_own_rights(reports):
    # Organisation-level definition: ox-b's clients under leefloon in 2025-01 are b1
    # (from 2024-11-30) and b7 (from 2024-06-01): both up_to_1y.
    assert stats(reports, "ox-b")["leefloon_duration"]["counts"] == {
        "up_to_1y": 2,
        "1y_to_2y": 0,
        "2y_to_4y": 0,
        "over_4y": 0,
    }


# --- article60 and caseload -----------------------------------------------------------------


def test_article60_over_flanders(reports):
    # "employed_by_month: per month of the period, distinct clients with an article-60
    # placement overlapping the month" (persons in a region). P7: A 2024-10-01..2024-10-31,
    # B 2024-11-01..2025-01-31; P4: D 2024-09-01..2024-11-30.
    # "average_per_month_by_year: ... the mean of that year's monthly figures (months of the
    # year inside the period)": 2024 (2+2+1)/3 = 1.67; 2025 (1+0)/2 = 0.5.
    # "flow_through_by_year: placements whose end_date falls in the year" (records): 2024
    # a7 (work), d4 (work_linked_training) and b10 (work; ended 2024-05-31, in the year
    # though before the period); 2025 b7 (leefloon).
    assert stats(reports, "ox-vl")["article60"] == {
        "employed_by_month": {
            "2024-10": 2,
            "2024-11": 2,
            "2024-12": 1,
            "2025-01": 1,
            "2025-02": 0,
        },
        "average_per_month_by_year": {"2024": 1.67, "2025": 0.5},
        "employed_in_reference_month": 1,
        "flow_through_by_year": {
            "2024": {"ended": 3, "to_work_or_training": 3, "percent": 100},
            "2025": {"ended": 1, "to_work_or_training": 0, "percent": 0},
        },
    }


def test_article60_over_the_province(reports):
    # As above without ox-d: P7 in the period; b10's placement ended 2024-05-31 (work).
    article60 = stats(reports, "ox-prov")["article60"]
    assert article60["employed_by_month"] == {
        "2024-10": 1,
        "2024-11": 1,
        "2024-12": 1,
        "2025-01": 1,
        "2025-02": 0,
    }
    assert article60["average_per_month_by_year"] == {"2024": 1.0, "2025": 0.5}
    assert article60["flow_through_by_year"]["2024"] == {
        "ended": 2,
        "to_work_or_training": 2,
        "percent": 100,
    }


def test_caseload_sums_workers_and_counts_persons(reports):
    # "On the last day of the reference month: social workers employed that day
    # (headcount), the sum of their FTE, clients with an active assignment" --
    # "caseload.social_workers and fte are sums; caseload.clients counts persons."
    # 2025-01-31: A sw1 (1.0) and sw2 (0.5, ends that day), B sw2 (1.0; sw1 starts
    # 2025-02-01), C sw1 (0.5): 4 workers, 3.0 FTE. Assigned that day: a5, a7, b1, b7, b5,
    # c4 (ends that day; c2 ended 2025-01-30) = persons P5a, P7, P1, P5b, P4 = 5.
    # 5 / 3.0 = 1.67.
    assert stats(reports, "ox-prov")["caseload"] == {
        "social_workers": 4,
        "fte": 3.0,
        "clients": 5,
        "clients_per_fte": 1.67,
    }


# --- VDAB ----------------------------------------------------------------------------------

EMPTY_MONTH = {"m": band(), "f": band(), "x": band(), "total": 0}


def test_vdab_inflow_counts_registrations_of_every_organisation(reports):
    # "VDAB registrations of category ocmw whose registered_on falls in the month, by
    # gender and age on registered_on" -- "Where a definition counts records
    # (registrations, ...), a region counts records" (P1's two registrations count twice).
    # 2024-10: a1 (m, 34), b3 (x, 23). 2024-12: b1 (m, 34), a5 (f, 29), c8 (f, 25 that very
    # day: "25 up to 49"). 2025-01: b5 (f, 30). 2025-02: b6 registered 2025-02-21, after the
    # as-of day ("Facts dated after it do not count"). 2024-11: c9 (P9, f, 46).
    assert stats(reports, "ox-prov")["vdab_inflow"] == {
        "2024-10": {"m": band(middle=1), "f": band(), "x": band(under_25=1), "total": 2},
        "2024-11": {"m": band(), "f": band(middle=1), "x": band(), "total": 1},
        "2024-12": {"m": band(middle=1), "f": band(middle=2), "x": band(), "total": 3},
        "2025-01": {"m": band(), "f": band(middle=1), "x": band(), "total": 1},
        "2025-02": EMPTY_MONTH,
    }


def test_vdab_outflow_counts_a_job_recorded_by_another_organisation(reports):
    # "Work after registration (vdab_outflow_12m, ...) counts employment and article-60
    # placements of any client record of the same person in the region."
    # "The window of M has closed when that last day is on or before as_of": with as_of
    # 2025-11-30, 2024-10 (up to 2025-10-31) and 2024-11 (up to 2025-11-30).
    # 2024-10 inflow: a1 (P1) and b3 (P3). P1's job recorded by B starts 2025-10-31, the
    # last day of the window: counts. P3's job starts 2025-11-15, after the window.
    # 2024-11: c9 (P9), whose job is recorded by ox-d, outside the province: "of any client
    # record of the same person in the region" -> not counted in the province, counted in
    # Flanders.
    assert stats(reports, "ox-prov", AS_OF_2)["vdab_outflow_12m"] == {
        "2024-10": {"inflow": 2, "to_work": 1, "percent": 50},
        "2024-11": {"inflow": 1, "to_work": 0, "percent": 0},
    }
    assert stats(reports, "ox-vl", AS_OF_2)["vdab_outflow_12m"] == {
        "2024-10": {"inflow": 2, "to_work": 1, "percent": 50},
        "2024-11": {"inflow": 1, "to_work": 1, "percent": 100},
    }
    # ox-a alone does not see B's job (organisation-level definition).
    assert stats(reports, "ox-a", AS_OF_2)["vdab_outflow_12m"]["2024-10"] == {
        "inflow": 1,
        "to_work": 0,
        "percent": 0,
    }


def test_vdab_outflow_gives_no_month_whose_window_is_open(reports):
    # "a 12-month outflow figure is only given for inflow months whose window has closed
    # on or before it" (as_of 2025-02-20: none of 2024-10..2025-02).
    assert stats(reports, "ox-prov")["vdab_outflow_12m"] == {}


def test_vdab_handover(reports):
    # "VDAB registrations of any category with warm_handover true whose registered_on falls
    # in the month": b3 (x, 23) on 2024-10-31, the month's last day. Window of 2024-10 up
    # to 2025-10-31: P3's job starts 2025-11-15, too late.
    handover = stats(reports, "ox-prov", AS_OF_2)["vdab_handover"]
    assert handover["by_month"]["2024-10"] == {
        "m": band(),
        "f": band(),
        "x": band(under_25=1),
        "total": 1,
    }
    assert all(handover["by_month"][m]["total"] == 0 for m in ("2024-11", "2024-12", "2025-01"))
    assert handover["outflow_12m"] == {
        "2024-10": {"handovers": 1, "to_work": 0, "percent": 0},
        "2024-11": {"handovers": 0, "to_work": 0, "percent": None},
    }


def test_activation_registered_combines_the_records_of_one_person(reports):
    # "distinct clients who have, each overlapping that month, an income right (either
    # kind), a trajectory of kind gpmi or activation, and a VDAB registration" -- "a
    # condition ... holds for the person when it holds over those records together".
    # P1: 2024-10 all in A; 2024-11 the right in B (from 2024-11-30), the GPMI and the
    # registration in A (to 2024-11-29); from 2024-12 all in B. P5a (married) from 2024-12,
    # P5b (cohabiting) from 2025-01. P7's trajectory is `training`: not counted. P6's right
    # and registration are dated after the as-of day: not counted in 2025-02.
    activation = stats(reports, "ox-prov")["activation_registered"]
    assert {month: row["total"] for month, row in activation.items()} == {
        "2024-10": 1,
        "2024-11": 1,
        "2024-12": 2,
        "2025-01": 3,
        "2025-02": 3,
    }
    assert [activation[m]["married"] for m in sorted(activation)] == [0, 0, 1, 1, 1]
    assert [activation[m]["cohabiting"] for m in sorted(activation)] == [0, 0, 0, 1, 1]
    # P1 is "single" in A and unknown in B; the spec does not say which household a person
    # with two client records has, but a distinct person is counted once, so the split
    # adds up to the total.
    for month, row in activation.items():
        split = row["single"] + row["cohabiting"] + row["married"] + row["unknown"]
        assert split == row["total"], month


def test_activation_registered_of_one_organisation(reports):
    # Organisation-level: ox-b has in 2024-11 a right (b1) but no trajectory; from 2024-12
    # b1 (household unknown), from 2025-01 also b5 (cohabiting); b6 dated after as-of.
    activation = stats(reports, "ox-b")["activation_registered"]
    assert {month: row["total"] for month, row in activation.items()} == {
        "2024-10": 0,
        "2024-11": 0,
        "2024-12": 1,
        "2025-01": 2,
        "2025-02": 2,
    }
    assert activation["2025-01"] == {
        "single": 0,
        "cohabiting": 1,
        "married": 0,
        "unknown": 1,
        "total": 2,
    }


# --- MMPP ----------------------------------------------------------------------------------


def test_mmpp_screenings_count_records(reports):
    # "MMPP screening advices counted by advised_on: before the period, per month and per
    # year of the period, and all together" (records). Before 2024-10: a2, b3 (09-01), c4;
    # 2024-10 a1; 2024-11 c2; 2024-12 b3; b3's advice of 2025-02-25 is after the as-of day.
    assert stats(reports, "ox-prov")["mmpp_screenings"] == {
        "before_period": 3,
        "by_month": {"2024-10": 1, "2024-11": 1, "2024-12": 1, "2025-01": 0, "2025-02": 0},
        "by_year": {"2024": 3, "2025": 0},
        "total": 6,
    }


# Province stock, by hand (registration running, no work running, latest advice on or
# before the day not lapsed), over all client records of a person in ox-a, ox-b, ox-c:
#   2024-09-30: P2 (cat 4, A), P4 (cat 1, C)                              -> 2
#   2024-10-31: P1 (reg A, cat 4), P2 (4), P3 (reg that day, cat 5 ends 11-30), P4 (1)
#                                                                          -> 4
#   2024-11-30: P1 (A's registration ended 11-29), P3 (cat 5 ended_on 11-30: lapsed) out;
#               P2 (latest advice: C's cat 2 of 11-15), P4 (1)            -> 2
#   2024-12-31: P1 (B's registration, A's advice cat 4), P2 (2), P3 (3), P4 (1) -> 4
#   2025-01-31: P2 out (C's job from 2025-01-10); P1 (4), P3 (3), P4 (1)  -> 3
PROVINCE_STOCK = {
    "2024-10": (4, {"1": 1, "4": 2, "5": 1}),
    "2024-11": (2, {"1": 1, "2": 1}),
    "2024-12": (4, {"1": 1, "2": 1, "3": 1, "4": 1}),
    "2025-01": (3, {"1": 1, "3": 1, "4": 1}),
}
# Flanders adds ox-d, which records P4's article-60 placement (2024-09-01..2024-11-30) and
# job (2024-12-01..2024-12-31): P4 is out of the stock on 09-30, 10-31, 11-30 and 12-31;
# and an advice of P4 (cat 5, 2025-01-05, lapsed 2025-01-20): P4's latest advice in
# Flanders, which the province does not see ("the person's latest MMPP advice is the latest
# of them all" of "that person's client records in the region"): out on 2025-01-31.
FLANDERS_STOCK = {
    "2024-10": (3, {"4": 2, "5": 1}),
    "2024-11": (1, {"2": 1}),
    "2024-12": (3, {"2": 1, "3": 1, "4": 1}),
    "2025-01": (2, {"3": 1, "4": 1}),
}


@pytest.mark.parametrize(
    ("code", "expected"), [("ox-prov", PROVINCE_STOCK), ("ox-vl", FLANDERS_STOCK)]
)
def test_mmpp_stock_by_month(reports, code, expected):
    # "Per month of the period whose last day is on or before as_of: the stock exactly as
    # in mmpp_stock, counted on the last day of that month" (2025-02-28 is after
    # 2025-02-20: no 2025-02). "the person's latest MMPP advice is the latest of them all";
    # "a registration in one OCMW, a job recorded by another: the job counts".
    by_month = stats(reports, code)["mmpp_stock_by_month"]
    assert sorted(by_month) == sorted(expected)
    for month, (total, by_category) in expected.items():
        assert by_month[month]["total"] == total, month
        assert nonzero(by_month[month]["by_category"]) == by_category, month


@pytest.mark.parametrize(
    ("code", "expected"), [("ox-prov", PROVINCE_STOCK), ("ox-vl", FLANDERS_STOCK)]
)
def test_mmpp_stock_on_31_december(reports, code, expected):
    # "Per year of the period, on 31 December (only years whose 31 December is on or
    # before as_of)": 2024 only.
    stock = stats(reports, code)["mmpp_stock"]
    total, by_category = expected["2024-12"]
    assert list(stock) == ["2024"]
    assert stock["2024"]["total"] == total
    assert nonzero(stock["2024"]["by_category"]) == by_category


def test_mmpp_flow_over_the_province(reports):
    # "inflow = clients in the stock on the last day of M and not on the last day of the
    # month before M; outflow = ... in the stock on the last day of the month before M and
    # not on the last day of M; of the outflow, to_work = those who on the last day of M
    # have an employment record or an article-60 placement running" -- with the work of
    # any client record of the same person in the region.
    # 2024-10: {P2,P4} -> {P1,P2,P3,P4}; 2024-11: -> {P2,P4} (P1, P3 without work);
    # 2024-12: -> {P1,P2,P3,P4}; 2025-01: -> {P1,P3,P4} (P2 out with C's job).
    assert stats(reports, "ox-prov")["mmpp_flow"] == {
        "2024-10": {"inflow": 2, "outflow": 0, "to_work": 0},
        "2024-11": {"inflow": 0, "outflow": 2, "to_work": 0},
        "2024-12": {"inflow": 2, "outflow": 0, "to_work": 0},
        "2025-01": {"inflow": 0, "outflow": 1, "to_work": 1},
    }


def test_mmpp_flow_over_flanders(reports):
    # As above with ox-d: 2024-09-30 {P2}; 2024-10-31 {P1,P2,P3}; 2024-11-30 {P2};
    # 2024-12-31 {P1,P2,P3}; 2025-01-31 {P1,P3} (P4's job in D ended 2024-12-31, but D's
    # lapsed advice of 2025-01-05 is P4's latest).
    assert stats(reports, "ox-vl")["mmpp_flow"] == {
        "2024-10": {"inflow": 2, "outflow": 0, "to_work": 0},
        "2024-11": {"inflow": 0, "outflow": 2, "to_work": 0},
        "2024-12": {"inflow": 2, "outflow": 0, "to_work": 0},
        "2025-01": {"inflow": 0, "outflow": 1, "to_work": 1},
    }


def test_mmpp_of_one_organisation_sees_only_its_own_records(reports):
    # Organisation-level definitions: ox-a sees P2 with its own advice (cat 4) and no job
    # (C's job is not A's record), so P2 stays in A's stock in 2025-01; P1 is in A's stock
    # only while A's registration runs (2024-10-31).
    by_month = stats(reports, "ox-a")["mmpp_stock_by_month"]
    assert {month: row["total"] for month, row in by_month.items()} == {
        "2024-10": 2,
        "2024-11": 1,
        "2024-12": 1,
        "2025-01": 1,
    }
    assert nonzero(by_month["2024-11"]["by_category"]) == {"4": 1}
    assert stats(reports, "ox-a")["mmpp_flow"] == {
        "2024-10": {"inflow": 1, "outflow": 0, "to_work": 0},
        "2024-11": {"inflow": 0, "outflow": 1, "to_work": 0},
        "2024-12": {"inflow": 0, "outflow": 0, "to_work": 0},
        "2025-01": {"inflow": 0, "outflow": 0, "to_work": 0},
    }


# --- by_organisation -----------------------------------------------------------------------


def test_by_organisation_uses_the_organisation_level_definitions(reports):
    # "the headline figures of each organisation computed with the organisation-level
    # definitions": article60_employed = employed_in_reference_month; vdab_inflow = "the sum
    # of vdab_inflow totals over the period"; mmpp_stock = "the total of the last year in
    # mmpp_stock" (2024).
    # A: leefloon a5, a7 (a1's right ended 2024-10-31); 2 / 10000 -> 0.2; caseload 2
    #    clients / 1.5 FTE = 1.33; inflow a1, a5; stock on 2024-12-31: a2 (own advice, own
    #    registration, C's job not seen).
    # B: leefloon b1, b7; equivalent b5; 2 / 20000 -> 0.1, 1 / 20000 -> 0.05; b7 in article
    #    60 in 2025-01; 3 clients / 1.0 FTE; inflow b3, b1, b5 (b6 after as-of); stock b3.
    # C: nothing in income support (0 per 1000 of 5000); c4 assigned / 0.5 FTE = 2.0;
    #    inflow c8, c9; stock c4 (D's placement not seen).
    assert stats(reports, "ox-prov")["by_organisation"] == {
        "ox-a": {
            "leefloon": 2,
            "equivalent": 0,
            "leefloon_per_1000": 0.2,
            "equivalent_per_1000": 0.0,
            "article60_employed": 0,
            "clients_per_fte": 1.33,
            "vdab_inflow": 2,
            "mmpp_stock": 1,
        },
        "ox-b": {
            "leefloon": 2,
            "equivalent": 1,
            "leefloon_per_1000": 0.1,
            "equivalent_per_1000": 0.05,
            "article60_employed": 1,
            "clients_per_fte": 3.0,
            "vdab_inflow": 3,
            "mmpp_stock": 1,
        },
        "ox-c": {
            "leefloon": 0,
            "equivalent": 0,
            "leefloon_per_1000": 0.0,
            "equivalent_per_1000": 0.0,
            "article60_employed": 0,
            "clients_per_fte": 2.0,
            "vdab_inflow": 2,
            "mmpp_stock": 1,
        },
    }


def test_by_organisation_over_flanders_has_every_organisation(reports):
    # ox-d has no population for 2025 ("null when no population is known"), no VDAB
    # registration, so no stock on 2024-12-31 (0, not null: the year 2024 is there).
    by_organisation = stats(reports, "ox-vl")["by_organisation"]
    assert sorted(by_organisation) == ["ox-a", "ox-b", "ox-c", "ox-d"]
    d = by_organisation["ox-d"]
    assert (d["leefloon"], d["equivalent"]) == (0, 0)
    assert d["leefloon_per_1000"] is None
    assert d["article60_employed"] == 0
    assert d["vdab_inflow"] == 0
    assert d["mmpp_stock"] == 0
    assert by_organisation["ox-a"] == stats(reports, "ox-prov")["by_organisation"]["ox-a"]


def test_regional_sums_agree_with_the_organisations_where_they_count_records(reports):
    # "Where a definition counts records ... a region counts records": the region's VDAB
    # inflow is the sum of its organisations' (7 = 2 + 3 + 2).
    total = sum(row["total"] for row in stats(reports, "ox-prov")["vdab_inflow"].values())
    assert total == 7


def test_mmpp_stock_of_by_organisation_is_null_without_a_31_december(reports):
    # "mmpp_stock the total of the last year in mmpp_stock (null when there is none)":
    # the period 2025-01..2025-02 has no 31 December on or before the as-of day.
    short = stats(reports, "ox-prov", "short")
    assert short["mmpp_stock"] == {}
    assert {code: row["mmpp_stock"] for code, row in short["by_organisation"].items()} == {
        "ox-a": None,
        "ox-b": None,
        "ox-c": None,
    }


def test_inhabitants_of_a_regio(reports):
    # "inhabitants is the sum over the region's organisations": ox-regio1 = A + B.
    income = stats(reports, "ox-regio1")["income_support"]
    assert income["inhabitants"] == 30000
    # P1 (b1), P5a (a5), P7 (a7, b7): 3 persons; 3 / 30 = 0.1.
    assert (income["leefloon"], income["leefloon_per_1000"]) == (3, 0.1)


# --- the second province (report 3: 2024-01..2025-01, reference 2025-01, as of 2025-02-10)


def test_a_lapsed_latest_advice_in_another_organisation_ends_the_stock(reports):
    # "the person's latest MMPP advice is the latest of them all" and the stock needs that
    # "latest MMPP screening advice on or before that day has not lapsed". Q1: advice cat 1
    # in E (2024-06-03, current), registration in E from 2024-09-02; advice cat 5 in F on
    # 2024-10-01 that lapsed on 2024-10-20. Q4: registration and advice (cat 2) in E from
    # August; an article-60 placement in F from 2024-11-30, the stock day itself.
    # Q13 moves: registration in E 2024-03-01..2024-10-31 (running on its last day), in F
    # from 2024-11-01, advice cat 3 in E: in the stock from 2024-03 without a break.
    # Q16: registration in E, advice in F, no national number in either: two persons, of
    # whom neither is in the stock ("a client record without a national number is a person
    # of its own").
    # Region: 2024-03..07 {Q13}, 2024-08 {Q13, Q4}, 2024-09 {Q13, Q1, Q4},
    # 2024-10 {Q13, Q4}, from 2024-11 {Q13}.
    by_month = stats(reports, "ox2-prov", AS_OF_3)["mmpp_stock_by_month"]
    assert {month: row["total"] for month, row in by_month.items()} == {
        "2024-01": 0,
        "2024-02": 0,
        "2024-03": 1,
        "2024-04": 1,
        "2024-05": 1,
        "2024-06": 1,
        "2024-07": 1,
        "2024-08": 2,
        "2024-09": 3,
        "2024-10": 2,
        "2024-11": 1,
        "2024-12": 1,
        "2025-01": 1,
    }
    assert nonzero(by_month["2024-09"]["by_category"]) == {"1": 1, "2": 1, "3": 1}
    assert nonzero(by_month["2024-10"]["by_category"]) == {"2": 1, "3": 1}
    assert nonzero(by_month["2024-11"]["by_category"]) == {"3": 1}


def test_mmpp_flow_to_work_with_a_placement_starting_on_the_stock_day(reports):
    # "to_work = those who on the last day of M have an employment record or an article-60
    # placement running" (Q4's placement in F starts 2024-11-30); Q1 leaves in 2024-10
    # without work. Q13, whose registration moves from E to F, flows in once (2024-03)
    # and never out: the stock counts persons.
    flow = stats(reports, "ox2-prov", AS_OF_3)["mmpp_flow"]
    assert {m: v for m, v in flow.items() if any(v.values())} == {
        "2024-03": {"inflow": 1, "outflow": 0, "to_work": 0},
        "2024-08": {"inflow": 1, "outflow": 0, "to_work": 0},
        "2024-09": {"inflow": 1, "outflow": 0, "to_work": 0},
        "2024-10": {"inflow": 0, "outflow": 1, "to_work": 0},
        "2024-11": {"inflow": 0, "outflow": 1, "to_work": 1},
    }
    assert len(flow) == 13


def test_organisation_e_alone_keeps_its_own_current_advice(reports):
    # Organisation-level: E sees neither F's lapsed advice nor F's placement: Q1 and Q4
    # stay in E's stock from 2024-09; Q13 is in E's stock only while E's registration runs
    # (to 2024-10-31).
    e = stats(reports, "ox2-e", AS_OF_3)
    totals = {month: row["total"] for month, row in e["mmpp_stock_by_month"].items()}
    assert [totals[m] for m in ("2024-08", "2024-09", "2024-10", "2024-11", "2025-01")] == [
        2,
        3,
        3,
        2,
        2,
    ]
    assert stats(reports, "ox2-prov", AS_OF_3)["by_organisation"]["ox2-e"]["mmpp_stock"] == 2
    assert stats(reports, "ox2-prov", AS_OF_3)["by_organisation"]["ox2-f"]["mmpp_stock"] == 0
    assert stats(reports, "ox2-prov", AS_OF_3)["mmpp_stock"]["2024"]["total"] == 1


def test_a_national_number_with_dots_and_dashes_is_the_same_person(reports):
    # import-format.md: "national_number | rijksregisternummer, 11 digits (dots and dashes
    # allowed)"; council-report.md: "client records with the same national number are one
    # person". Q2: equivalent in E 2023-01-01..2024-12-31 (written 82.08.08-024.59),
    # leefloon in F from 2025-01-15 (82080802459): one spell from 2023-01-01 ("built from
    # the client's income rights of either kind", 15 days later) -> 2y_to_4y (on or after
    # 2021-01-31, before 2023-01-31).
    # Q3: leefloon in E 2023-06-01..2024-11-30, in F from 2024-12-31: 31 days later, not
    # "at most 30 days": a new spell -> up_to_1y.
    # Q11: leefloon in E 2022-01-01..2024-12-31 and from 2025-01-10; in F 2023-01-01..
    # 2023-03-31, inside E's first right. "how long they have been in income support ...
    # without interruption": from 2022-01-01 (the right of 2025-01-10 starts 10 days after
    # the support ended; F's short right inside it interrupts nothing) -> 2y_to_4y.
    # g1..g5 (F) at the bucket boundaries ("up_to_1y (the spell started on or after that
    # day minus 1 year)", ...): from 2024-01-31 up_to_1y, 2023-01-31 1y_to_2y, 2021-01-31
    # 2y_to_4y, 2021-01-30 and 2019-05-05 over_4y.
    # Of 8: 2 -> 25, 1 -> 12.5 -> 13 ("rounded half up (35.5 -> 36)"), 3 -> 37.5 -> 38,
    # 2 -> 25.
    assert stats(reports, "ox2-prov", AS_OF_3)["leefloon_duration"] == {
        "counts": {"up_to_1y": 2, "1y_to_2y": 1, "2y_to_4y": 3, "over_4y": 2},
        "percent": {"up_to_1y": 25, "1y_to_2y": 13, "2y_to_4y": 38, "over_4y": 25},
    }
    # "caseload.clients counts persons": on 2025-01-31 Q2 assigned in E and in F, Q3, g1 and
    # g2 (from 2025-01-25) in F; Q11's assignment in E ended 2025-01-25. Workers: E sw1
    # (sw2 left 2025-01-25), F sw1 and sw2 (from 2025-01-25): 3, 3.0 FTE; 4 / 3 = 1.33.
    assert stats(reports, "ox2-prov", AS_OF_3)["caseload"] == {
        "social_workers": 3,
        "fte": 3.0,
        "clients": 4,
        "clients_per_fte": 1.33,
    }


def test_income_support_of_the_second_province(reports):
    # 2025-01 leefloon: Q2 (F), Q3 (F), Q11 (E), g1..g5 (F); 61000 + 3000 inhabitants;
    # 8 / 64 = 0.125 -> 0.13 ("Ratios per 1,000 ... are rounded half up to 2 decimals").
    # 2024 unique: leefloon Q3 (E), Q11 (E), g1..g5; equivalent Q2 (E); 2025: leefloon Q2,
    # Q3, Q11, g1..g5.
    income = stats(reports, "ox2-prov", AS_OF_3)["income_support"]
    assert income == {
        "leefloon": 8,
        "equivalent": 0,
        "inhabitants": 64000,
        "leefloon_per_1000": 0.13,
        "equivalent_per_1000": 0.0,
        "unique_by_year": {
            "2024": {"leefloon": 7, "equivalent": 1},
            "2025": {"leefloon": 8, "equivalent": 0},
        },
    }


def test_age_bands_at_their_boundaries(reports):
    # "by gender and age on registered_on: under_25 (< 25), 25_to_49 (25 up to 49),
    # 50_plus": e5 (f) is 50 on 2024-10-15; f5 (m) turns 25 the day after.
    inflow = stats(reports, "ox2-prov", AS_OF_3)["vdab_inflow"]["2024-10"]
    assert inflow == {"m": band(under_25=1), "f": band(over_50=1), "x": band(), "total": 2}


def test_programmes_over_a_region(reports):
    # "programmes is keyed by programme code over all organisations; funding_eur is the sum
    # of their funding for the year (null when none has funding), and a cost is null unless
    # every organisation with participants in that programme and year has funding for it."
    # 2024: referrals e7 (permanent_job), f7 (temporary_job), f8 (none), and Q2's referral
    # in E (dropped_out) and in F (training): "Where a definition counts records (...,
    # referrals, ...), a region counts records": 5 participants; permanent 1 -> 20, to work
    # 2 -> 40, broader 3 -> 60. Sessions E s1 (1 participant), F s1 (2); funding E 1000,
    # F none -> costs null.
    # 2025: referral e9 (running); funding E 500 + F... F has none for 2025 but has no
    # participants: E, the only organisation with participants, is funded: 500 / 1.
    # e15's referral and E's session of 2025-02-15 are after the as-of day ("Facts dated
    # after it do not count").
    jobroad = stats(reports, "ox2-prov", AS_OF_3)["programmes"]["jobroad"]
    assert jobroad["2024"] == {
        "participants": 5,
        "sessions": 2,
        "max_session_participants": 2,
        "permanent_job": 1,
        "permanent_job_percent": 20,
        "to_work": 2,
        "to_work_percent": 40,
        "broader_result": 3,
        "broader_result_percent": 60,
        "funding_eur": 1000,
        "cost_per_participant_eur": None,
        "cost_per_broader_result_eur": None,
    }
    assert jobroad["2025"]["participants"] == 1
    assert (jobroad["2025"]["sessions"], jobroad["2025"]["max_session_participants"]) == (0, 0)
    assert jobroad["2025"]["funding_eur"] == 500
    assert jobroad["2025"]["cost_per_participant_eur"] == 500.0
    assert jobroad["2025"]["cost_per_broader_result_eur"] is None


def test_vdab_outflow_over_the_second_province(reports):
    # "an employment record or an article-60 placement of the same client that starts on
    # or after registered_on and on or before the last day of the 12th month after M" (of
    # any client record of the person in the region). 2024-01 (window to 2025-01-31, closed
    # by 2025-02-10): e6 (Q6: job in F since 2024-01-05, before the registration: not
    # counted) and e10 (Q10: placement in F from 2025-01-31, the window's last day).
    # 2024-02: window to 2025-02-28, not closed.
    assert stats(reports, "ox2-prov", AS_OF_3)["vdab_outflow_12m"] == {
        "2024-01": {"inflow": 2, "to_work": 1, "percent": 50},
    }
    assert stats(reports, "ox2-e", AS_OF_3)["vdab_outflow_12m"] == {
        "2024-01": {"inflow": 2, "to_work": 0, "percent": 0},
    }


def test_article60_end_after_the_as_of_day_is_not_a_flow_through(reports):
    # "flow_through_by_year: placements whose end_date falls in the year" and "Facts dated
    # after it do not count": f14's placement ends 2025-02-15 (outcome work), after the
    # as-of day 2025-02-10. Running: f14 2024-06..2025-01, f4 (Q4) from 2024-11-30,
    # f10 (Q10) from 2025-01-31; and two different persons who are both client "x1" (in E
    # and in F), without national number ("a person of its own"): E's 2024-02-01..
    # 2024-03-15 (training), F's 2024-02-10..2024-02-28 (work).
    # Mean 2024: (2 + 1 + 5 * 1 + 2 + 2) / 12 = 1.0; 2025: 3.0.
    # Q2 has a placement in E 2025-01-02..2025-01-20 (outcome unknown) and one in F from
    # 2025-01-21: in 2025-01 Q2 is one of the "distinct clients" (4, not 5).
    # Mean 2025: 4.0.
    # 2024: x1's two placements ended, one to work: 50. 2025: e2's ended (f14's end is
    # after the as-of day), not to work: 0.
    article60 = stats(reports, "ox2-prov", AS_OF_3)["article60"]
    assert article60 == {
        "employed_by_month": {
            "2024-01": 0,
            "2024-02": 2,
            "2024-03": 1,
            "2024-04": 0,
            "2024-05": 0,
            "2024-06": 1,
            "2024-07": 1,
            "2024-08": 1,
            "2024-09": 1,
            "2024-10": 1,
            "2024-11": 2,
            "2024-12": 2,
            "2025-01": 4,
        },
        "average_per_month_by_year": {"2024": 1.0, "2025": 4.0},
        "employed_in_reference_month": 4,
        "flow_through_by_year": {
            "2024": {"ended": 2, "to_work_or_training": 1, "percent": 50},
            "2025": {"ended": 1, "to_work_or_training": 0, "percent": 0},
        },
    }


def test_an_as_of_day_on_a_month_s_last_day_closes_that_month(reports):
    # "Per month of the period whose last day is on or before as_of" and "The window of M
    # has closed when that last day is on or before as_of": as of 2025-01-31, 2025-01 is in
    # mmpp_stock_by_month, and the window of 2024-01 (to 2025-01-31) has closed; f10's
    # placement starting on 2025-01-31 is not dated after the as-of day.
    report = stats(reports, "ox2-prov", "2025-01-31")
    assert report["vdab_outflow_12m"] == {"2024-01": {"inflow": 2, "to_work": 1, "percent": 50}}
    assert len(report["mmpp_stock_by_month"]) == 13
    assert report["mmpp_stock_by_month"]["2025-01"]["total"] == 1
    assert report["mmpp_flow"]["2025-01"] == {"inflow": 0, "outflow": 0, "to_work": 0}
    assert report["article60"]["employed_in_reference_month"] == 4


def test_a_programme_without_funding_anywhere(reports):
    # "funding_eur is the sum of their funding for the year (null when none has funding)";
    # "Cost per participant and per broader result are funding divided by the count (null
    # when the count or funding is missing)": wijkwerken, one referral in F (outcome none).
    wijkwerken = stats(reports, "ox2-prov", AS_OF_3)["programmes"]["wijkwerken"]["2024"]
    assert wijkwerken["participants"] == 1
    assert wijkwerken["broader_result"] == 0
    assert wijkwerken["broader_result_percent"] == 0
    assert wijkwerken["funding_eur"] is None
    assert wijkwerken["cost_per_participant_eur"] is None
    assert wijkwerken["cost_per_broader_result_eur"] is None


@pytest.mark.parametrize("code", ["ox-a", "ox-b"])
def test_by_organisation_is_the_organisation_s_own_report(reports, code):
    # "by_organisation, the headline figures of each organisation computed with the
    # organisation-level definitions": the same figures as the organisation's own report
    # with the same parameters.
    own = stats(reports, code)
    expected = {
        "leefloon": own["income_support"]["leefloon"],
        "equivalent": own["income_support"]["equivalent"],
        "leefloon_per_1000": own["income_support"]["leefloon_per_1000"],
        "equivalent_per_1000": own["income_support"]["equivalent_per_1000"],
        "article60_employed": own["article60"]["employed_in_reference_month"],
        "clients_per_fte": own["caseload"]["clients_per_fte"],
        "vdab_inflow": sum(month["total"] for month in own["vdab_inflow"].values()),
        "mmpp_stock": own["mmpp_stock"]["2024"]["total"],
    }
    assert stats(reports, "ox-prov")["by_organisation"][code] == expected
    assert stats(reports, "ox-regio1")["by_organisation"][code] == expected


def test_by_organisation_takes_the_stock_of_the_last_year(reports):
    # "mmpp_stock the total of the last year in mmpp_stock": with 2023-12..2025-02 the
    # stock has 2023 (nobody: the first registration with an advice is of 2024-06) and 2024.
    long = stats(reports, "ox-prov", "long")
    assert {year: row["total"] for year, row in long["mmpp_stock"].items()} == {
        "2023": 0,
        "2024": 4,
    }
    assert {code: row["mmpp_stock"] for code, row in long["by_organisation"].items()} == {
        "ox-a": 1,
        "ox-b": 1,
        "ox-c": 1,
    }


def test_by_organisation_rounds_per_1000_half_up(reports):
    # E: Q11 (1 / 61000 -> 0.0164 -> 0.02); F: Q2, Q3, g1..g5 (7 / 3000 -> 2.333 -> 2.33).
    by_organisation = stats(reports, "ox2-prov", AS_OF_3)["by_organisation"]
    assert by_organisation["ox2-e"]["leefloon_per_1000"] == 0.02
    assert by_organisation["ox2-f"]["leefloon_per_1000"] == 2.33


def test_the_json_endpoint_gives_the_same_region_report(reports):
    # "The same report is a page in the app ... and a JSON endpoint with the same content."
    assert reports["api", "ox-prov"] == reports["ox-prov", AS_OF_1]


def test_caseload_drawn_up_before_the_last_day_of_the_reference_month(reports):
    # "--as-of: the day the figures are drawn up ... Facts dated after it do not count", and
    # the report "gives the same figure every time it is asked with the same parameters".
    # As of 2025-01-20, the caseload "on the last day of the reference month" (2025-01-31)
    # cannot know of what is dated 2025-01-25: E's sw2 leaving and Q11's assignment ending
    # (both still running as of the 20th), F's sw2 and the assignments of g1 and g2
    # starting (not yet there). Workers E sw1, E sw2, F sw1: 3, 2.5 FTE; persons Q2, Q3,
    # Q11: 3; 3 / 2.5 = 1.2.
    assert stats(reports, "ox2-prov", "2025-01-20")["caseload"] == {
        "social_workers": 3,
        "fte": 2.5,
        "clients": 3,
        "clients_per_fte": 1.2,
    }


def test_income_support_of_a_reference_month_after_the_as_of_day(reports):
    # "Facts dated after it do not count": as of 2025-02-20, h1's right (from 2024-06-01)
    # has not ended (its end, 2025-02-25, is dated after the as-of day), so it overlaps the
    # reference month 2025-03; h2's right starts 2025-03-05, after the as-of day: not
    # counted.
    assert stats(reports, "ox3-prov")["income_support"]["leefloon"] == 1


def test_a_client_born_on_29_february(reports):
    # "Age is in whole years on the day named by the definition": z1, born 2000-02-29,
    # registered 2025-01-08, is 24 (under_25).
    inflow = stats(reports, "ox2-prov", AS_OF_3)["vdab_inflow"]["2025-01"]
    assert inflow == {"m": band(), "f": band(under_25=1), "x": band(), "total": 1}


def test_leefloon_duration_on_29_february(reports):
    # Reference month 2024-02, last day 2024-02-29 (as of 2024-03-31). Leefloon in
    # 2024-02: Q3 (from 2023-06-01: up_to_1y), g1 (2024-01-31: up_to_1y), g2 (2023-01-31:
    # 1y_to_2y), Q11 (2022-01-01), g3 (2021-01-31) and g4 (2021-01-30): 2y_to_4y (4 years
    # before is 2020-02-29), g5 (2019-05-05): over_4y. None is near a boundary that depends
    # on how "minus 1 year" is taken from 29 February.
    assert stats(reports, "ox2-prov", "leap")["leefloon_duration"] == {
        "counts": {"up_to_1y": 2, "1y_to_2y": 1, "2y_to_4y": 3, "over_4y": 1},
        "percent": {"up_to_1y": 29, "1y_to_2y": 14, "2y_to_4y": 43, "over_4y": 14},
    }


def test_a_warm_handover_followed_by_work_in_another_organisation(reports):
    # vdab_handover: "VDAB registrations of any category with warm_handover true" and "how
    # many of them were followed by work, with the window and the meaning of work of
    # vdab_outflow_12m"; "Work after registration (..., vdab_handover, ...) counts
    # employment and article-60 placements of any client record of the same person in the
    # region". Q17: handover in E (category benefits, 2024-01-05, m, 36), a job in F from
    # 2024-06-01. Window of 2024-01 closed by 2025-02-10; 2024-02 not.
    handover = stats(reports, "ox2-prov", AS_OF_3)["vdab_handover"]
    assert handover["by_month"]["2024-01"] == {
        "m": band(middle=1),
        "f": band(),
        "x": band(),
        "total": 1,
    }
    assert handover["outflow_12m"] == {"2024-01": {"handovers": 1, "to_work": 1, "percent": 100}}
    assert stats(reports, "ox2-e", AS_OF_3)["vdab_handover"]["outflow_12m"] == {
        "2024-01": {"handovers": 1, "to_work": 0, "percent": 0}
    }


def write_bundle(folder, files):
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_region_code_may_not_be_an_organisation_code(tmp_path):
    # import-format.md, regions.csv: "code* | short identifier, unique among regions and
    # organisations together"; "if any row of any file is invalid, nothing at all is
    # written ... listing every problem as file.csv:LINE: column: what is wrong".

    folder = write_bundle(
        tmp_path / "clash",
        {
            "organisation.csv": "code,name,nis_code,region\nox-q,OCMW Q,,ox-q\n",
            "regions.csv": "code,name,parent\nox-q,Regio Q,\n",
        },
    )
    with pytest.raises(CommandError) as error:
        call_command("import_records", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    assert "regions.csv:2: code" in str(error.value) or "organisation.csv:2: code" in str(
        error.value
    )
    assert not Organisation.objects.filter(code="ox-q").exists()


def test_regions_may_not_form_a_cycle(tmp_path):
    # regions.csv: "parent | code of the region it belongs to; empty for a top region; no
    # cycles".
    folder = write_bundle(
        tmp_path / "cycle",
        {
            "organisation.csv": "code,name,nis_code,region\nox-r,OCMW R,,ox-r1\n",
            "regions.csv": "code,name,parent\nox-r1,Een,ox-r2\nox-r2,Twee,ox-r1\n",
        },
    )
    with pytest.raises(CommandError) as error:
        call_command("import_records", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    assert "regions.csv:2: parent" in str(error.value)
    assert "regions.csv:3: parent" in str(error.value)


def test_mmpp_stock_of_a_year_the_period_ends_in_before_december(reports):
    # "mmpp_stock: Per year of the period, on 31 December (only years whose 31 December is on
    # or before as_of)": the period 2024-10..2024-11 has the year 2024, whose 31 December is
    # before the as-of day 2025-02-20: the stock of 2024-12-31 (4, as above).
    report = stats(reports, "ox-prov", "nov")
    assert {year: row["total"] for year, row in report["mmpp_stock"].items()} == {"2024": 4}
    # mmpp_stock_by_month has only the months of the period.
    assert sorted(report["mmpp_stock_by_month"]) == ["2024-10", "2024-11"]


def test_an_analyst_of_a_regio_sees_it_and_its_organisations_only(reports):
    # "Who may see a region's report: users whose role is given for that region (a regional
    # analyst sees the figures of every organisation in it ...)": the analyst of ox-regio1
    # sees ox-regio1, ox-a; not the province above it, nor ox-regio2 or its ox-c.
    assert reports["analyst", "ox-regio1"] == 200
    assert reports["analyst", "ox-a"] == 200
    assert reports["analyst", "ox-prov"] == 403
    assert reports["analyst", "ox-regio2"] == 403
    assert reports["analyst", "ox-c"] == 403
