from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    from access.roles import roles_sync

    roles_sync()


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Toegang")

    def ready(self) -> None:
        # Permissions are created after migrations; the role groups follow them.
        post_migrate.connect(_sync_roles, dispatch_uid="access_sync_roles")
