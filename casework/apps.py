from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Dossierbeheer")

    def ready(self) -> None:
        from casework import folding

        # SQLite gets the accent-folding function on every connection (folding.Fold).
        folding.connect()
