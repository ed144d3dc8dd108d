from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Rapportering")

    def ready(self) -> None:
        from core.writes import write_observers
        from reporting.cache import on_writes

        # Every write (services, importer, admin) of a record invalidates the cached
        # reports of its organisation.
        if on_writes not in write_observers:
            write_observers.append(on_writes)
