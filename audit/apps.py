from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit en beveiliging")
    default = True

    def ready(self) -> None:
        from access.rules import client_access_observers
        from audit import db_roles, handlers
        from audit.services import audit_client_access, audit_writes
        from core.writes import write_observers

        # Every write (services, importer, admin) and every opening of a client file.
        if audit_writes not in write_observers:
            write_observers.append(audit_writes)
        if audit_client_access not in client_access_observers:
            client_access_observers.append(audit_client_access)
        handlers.connect()
        post_migrate.connect(db_roles.on_post_migrate, sender=self, dispatch_uid="audit_db_roles")


class TrajectAdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` with Traject's admin site (`audit.admin_site`) as `admin.site`."""

    default = False
    default_site = "audit.admin_site.TrajectAdminSite"
