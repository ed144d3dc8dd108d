from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit en beveiliging")
    default = True

    def ready(self) -> None:
        from audit import handlers
        from audit.services import audit_client_access, audit_writes
        from casework.access import client_access_observers
        from casework.services import write_observers

        # Every write (services, importer, admin) and every opening of a client file.
        if audit_writes not in write_observers:
            write_observers.append(audit_writes)
        if audit_client_access not in client_access_observers:
            client_access_observers.append(audit_client_access)
        handlers.connect()
