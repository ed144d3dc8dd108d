from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The administrators' screens: the Django admin of the domain's models."""

    name = "backoffice"
    verbose_name = _("Beheer")

    def ready(self) -> None:
        from backoffice.names import name_third_party_models

        name_third_party_models()
