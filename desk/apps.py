from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The social-work UI: home, caseload, client file, work queue, team, programmes."""

    name = "desk"
    verbose_name = _("Werkplek")
