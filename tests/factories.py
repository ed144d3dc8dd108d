"""factory-boy factories with sensible defaults: a test creates only what it needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from answers import models as an
from casework import models as cw
from documents import models as dm
from partners import models as pa


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"regio{n}")
    name = factory.LazyAttribute(lambda o: f"Regio {o.code.title()}")
    parent = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ocmw{n}")
    name = factory.LazyAttribute(lambda o: f"OCMW {o.code.title()}")
    nis_code = "12025"


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.Population

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    inhabitants = 89300


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.be")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)
        if create:
            self.save()


class SocialWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.SocialWorker

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    fte = Decimal("1.000")
    team = None
    start_date = datetime.date(2020, 1, 1)
    end_date = None


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.Client

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    birth_date = datetime.date(1990, 6, 15)
    gender = "f"
    national_number = ""
    household = "single"
    migration_background = False


class ClientRecordFactory(factory.django.DjangoModelFactory):
    """Records of a client: the organisation follows the client."""

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SelfAttribute("client.organisation")


class AssignmentFactory(ClientRecordFactory):
    class Meta:
        model = cw.Assignment

    social_worker = factory.SubFactory(
        SocialWorkerFactory, organisation=factory.SelfAttribute("..organisation")
    )
    start_date = datetime.date(2024, 1, 1)
    end_date = None


class IncomeRightFactory(ClientRecordFactory):
    class Meta:
        model = cw.IncomeRight

    kind = "leefloon"
    category = "single"
    start_date = datetime.date(2024, 1, 1)
    end_date = None


class TrajectoryFactory(ClientRecordFactory):
    class Meta:
        model = cw.Trajectory

    kind = "gpmi"
    start_date = datetime.date(2024, 2, 1)
    end_date = None
    goal = "Werk in de logistiek"


class TrajectoryEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cw.TrajectoryEvaluation

    trajectory = factory.SubFactory(TrajectoryFactory)
    organisation = factory.SelfAttribute("trajectory.organisation")
    date = datetime.date(2024, 5, 1)
    face_to_face = True
    notes = ""


class ExemptionFactory(ClientRecordFactory):
    class Meta:
        model = cw.Exemption

    kind = "vdab_registration"
    reason = "health"
    start_date = datetime.date(2024, 1, 1)
    end_date = None


class ClientNoteFactory(ClientRecordFactory):
    class Meta:
        model = cw.ClientNote

    date = datetime.date(2024, 3, 1)
    text = "Gesprek over de zoektocht naar werk."


class AppointmentFactory(ClientRecordFactory):
    class Meta:
        model = cw.Appointment

    social_worker = factory.SubFactory(
        "tests.factories.SocialWorkerFactory", organisation=factory.SelfAttribute("..organisation")
    )
    kind = "conversation"
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    place = "Bureau 2"
    status = "planned"


class HouseholdMemberFactory(ClientRecordFactory):
    class Meta:
        model = cw.HouseholdMember

    relation = "child"
    first_name = "Lotte"
    last_name = factory.SelfAttribute("client.last_name")
    birth_date = datetime.date(2015, 4, 2)
    national_number = ""
    lives_with_client = True
    dependant = True
    start_date = datetime.date(2015, 4, 2)
    end_date = None


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pa.Programme
        django_get_or_create = ("organisation", "code")

    organisation = factory.SubFactory(OrganisationFactory)
    code = "jobroad"
    name = "JobRoad"


class ProgrammeFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pa.ProgrammeFunding

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2024
    amount_eur = Decimal("70000.00")


class ProgrammeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pa.ProgrammeSession

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    date = datetime.date(2024, 3, 15)
    capacity = 35


class ReferralFactory(ClientRecordFactory):
    class Meta:
        model = pa.Referral

    programme = factory.SubFactory(
        ProgrammeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    start_date = datetime.date(2024, 3, 1)
    end_date = None
    session = None
    outcome = ""


class Article60PlacementFactory(ClientRecordFactory):
    class Meta:
        model = pa.Article60Placement

    employer_kind = "own_service"
    employer_name = "Groendienst"
    start_date = datetime.date(2024, 1, 1)
    planned_end_date = datetime.date(2025, 6, 30)
    end_date = None
    outcome = ""


class VdabRegistrationFactory(ClientRecordFactory):
    class Meta:
        model = pa.VdabRegistration

    registered_on = datetime.date(2024, 1, 15)
    category = "ocmw"
    ended_on = None
    warm_handover = False


class EmploymentFactory(ClientRecordFactory):
    class Meta:
        model = pa.Employment

    start_date = datetime.date(2024, 6, 1)
    end_date = None
    contract = "permanent"


class MmppScreeningFactory(ClientRecordFactory):
    class Meta:
        model = pa.MmppScreening

    advised_on = datetime.date(2024, 4, 1)
    category = 4
    ended_on = None


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = an.Question

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"2025/{n + 1}")
    asked_on = datetime.date(2025, 6, 2)
    asked_by = "Raadslid Peeters"
    text = "Hoeveel leefloongerechtigden waren er in januari 2025?"
    due_on = datetime.date(2025, 7, 2)


class AnswerFactory(factory.django.DjangoModelFactory):
    """A draft answer (no quoted figure: the report is computed when it is shown)."""

    class Meta:
        model = an.Answer

    question = factory.SubFactory(QuestionFactory)
    period_from = "2024-01"
    period_to = "2024-12"
    reference_month = "2025-01"
    as_of = datetime.date(2025, 6, 30)
    statistics = factory.LazyFunction(lambda: ["income_support"])
    text = "Antwoord."


class PublishedAnswerFactory(factory.django.DjangoModelFactory):
    """A published answer with a stand-in report (the services compute the real one)."""

    class Meta:
        model = an.PublishedAnswer

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Antwoord"
    period_from = "2024-01"
    period_to = "2024-12"
    reference_month = "2025-01"
    as_of = datetime.date(2025, 6, 30)
    statistics = factory.LazyFunction(list)
    text = "Antwoord."
    report_json = factory.LazyFunction(
        lambda: (
            '{"organisation": "x", "period": {"from": "2024-01", "to": "2024-12"}, '
            '"reference_month": "2025-01", "as_of": "2025-06-30", "statistics": {}, '
            '"definitions": {}}\n'
        )
    )
    sha256 = "0" * 64
    app_version = "0.1.0"


class DocumentFactory(ClientRecordFactory):
    """A small PDF in the document storage (in memory in the tests)."""

    class Meta:
        model = dm.Document

    kind = "other"
    date = datetime.date(2024, 3, 1)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(data=b"%PDF-1.4\n%test\n", filename="opaque-1f2e.pdf")
    file_name = "document.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64
    health_data = False
