import pytest

from tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run at once, inside the request, in tests (the database-backed
    worker has tests of its own: tests/records/test_background.py)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fresh_document_storage(settings):
    """Every test starts with an empty document storage (in memory: config.settings_test);
    changing STORAGES makes Django build the storages anew."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Dutch): a request made in English
    (cookie, Accept-Language) leaves English active in the thread otherwise."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(code="mechelen", name="OCMW Mechelen")


# --- People of one organisation, one per role (web and browser tests) ---------------------


class Staff:
    """Team A: social assistant `sa`, colleague `colleague`, team lead `lead`; team B:
    `other_sa`; no team: `manager`, `administrator` (staff). `client_of(name)` gives a
    client assigned (since 2024) to that person's social-worker profile."""

    def __init__(self, organisation):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from access import roles
        from access.services import staff_membership_set
        from tests.factories import SocialWorkerFactory, TeamFactory

        roles.roles_sync()
        self.organisation = organisation
        self.team_a = TeamFactory(organisation=organisation, name="Team A")
        self.team_b = TeamFactory(organisation=organisation, name="Team B")
        self.users, self.workers = {}, {}
        for name, role, team in (
            ("sa", roles.SOCIAL_ASSISTANT, self.team_a),
            ("colleague", roles.SOCIAL_ASSISTANT, self.team_a),
            ("lead", roles.TEAM_LEAD, self.team_a),
            ("other_sa", roles.SOCIAL_ASSISTANT, self.team_b),
            ("manager", roles.MANAGER, None),
            ("administrator", roles.ADMINISTRATOR, None),
        ):
            # No password: hashing costs seconds; tests log in with force_login.
            user = get_user_model().objects.create(
                username=name, first_name=name.title(), is_staff=role == roles.ADMINISTRATOR
            )
            user.groups.add(Group.objects.get(name=roles.group_name(role)))
            self.users[name] = user
            if team is None:
                staff_membership_set(user=user, organisation=organisation)
            else:
                self.workers[name] = SocialWorkerFactory(
                    organisation=organisation, team=team, user=user, last_name=name.title()
                )

    def client_of(self, name, **kwargs):
        from tests.factories import AssignmentFactory, ClientFactory

        client = ClientFactory(organisation=self.organisation, **kwargs)
        AssignmentFactory(client=client, social_worker=self.workers[name])
        return client


@pytest.fixture
def staff(organisation):
    return Staff(organisation)
