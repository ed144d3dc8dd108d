"""The audit trail (append-only) and the retention register."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.chain import HASHED_FIELDS, chain_head, entry_hash


class AuditAction(models.TextChoices):
    READ = "read", _("inzage dossier")
    LISTED = "listed", _("getoond in een lijst")
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    DENIED = "denied", _("toegang geweigerd")
    BREAK_GLASS = "break_glass", _("noodtoegang (break glass)")
    EXPORT = "export", _("export")
    LOGIN = "login", _("aangemeld")
    LOGOUT = "logout", _("afgemeld")
    LOGIN_FAILED = "login_failed", _("aanmelden mislukt")
    LOCKED_OUT = "locked_out", _("geblokkeerd na mislukte aanmeldingen")
    OTP_ENROLLED = "otp_enrolled", _("tweede factor ingesteld")
    OTP_FAILED = "otp_failed", _("tweede factor mislukt")
    OTP_RECOVERY = "otp_recovery", _("aangemeld met een herstelcode")
    ROLES_CHANGED = "roles_changed", _("rollen gewijzigd")
    PRIVILEGES_CHANGED = "privileges_changed", _("rechten of status van een account gewijzigd")
    PASSWORD_CHANGED = "password_changed", _("wachtwoord gewijzigd")
    PASSWORD_RESET = "password_reset", _("link voor een nieuw wachtwoord verstuurd")
    IMPORT = "import", _("recordbundel gecontroleerd of geïmporteerd")


class AppendOnlyError(PermissionDenied):
    """An audit entry can be added, never changed or removed."""


class AuditEntryQuerySet(models.QuerySet):
    """Reads of the audit trail; bulk changes and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_("Het auditlogboek kan niet gewijzigd worden."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("Het auditlogboek kan niet gewist worden."))

    def about_client(self, client_id: int) -> AuditEntryQuerySet:
        return self.filter(client_id=client_id)

    def reads(self) -> AuditEntryQuerySet:
        return self.filter(action=AuditAction.READ)

    def of_organisations(self, organisation_ids: Any) -> AuditEntryQuerySet:
        """The entries about these organisations (ids, or a queryset of their pks)."""
        return self.filter(organisation_id__in=organisation_ids)


class AuditEntry(models.Model):
    """One event of the audit trail: who did what to which record, when, from where.

    `client_id` and `object_id` are plain values, not foreign keys: the entry
    outlives the record it is about. `changes` maps a field to [old, new];
    national numbers in it are masked (the audit trail is itself sensitive).
    """

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    # PROTECT: an account with audit entries is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    action = models.CharField(_("actie"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("soort record"), max_length=100, blank=True)
    object_id = models.CharField(_("record-id"), max_length=64, blank=True)
    client_id = models.BigIntegerField(_("cliënt-id"), null=True, blank=True)
    changes = models.JSONField(
        _("wijzigingen"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    reason = models.TextField(_("reden"), blank=True)
    source = models.CharField(_("bron (pagina of commando)"), max_length=255, blank=True)
    address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    # The organisation the entry is about (of the client or record, else of the user):
    # an administrator or DPO sees the entries of their own organisation only.
    organisation_id = models.BigIntegerField(_("organisatie-id"), null=True, blank=True)
    # The hash chain (audit.chain): the previous entry's hash, and this entry's own.
    previous_hash = models.CharField(_("hash van de vorige regel"), max_length=64, blank=True)
    entry_hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlogboek")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        permissions = [("export_auditentry", _("Het auditlogboek exporteren"))]
        indexes = [
            models.Index(fields=["client_id", "at"]),
            models.Index(fields=["user", "at"]),
            models.Index(fields=["action", "at"]),
            models.Index(fields=["organisation_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("Het auditlogboek kan niet gewijzigd worden."))
        with transaction.atomic(using=kwargs.get("using")):
            self.previous_hash = chain_head(type(self))
            values = {name: getattr(self, name) for name in HASHED_FIELDS}
            self.entry_hash = entry_hash(self.previous_hash, values)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(_("Het auditlogboek kan niet gewist worden."))


class Pseudonymisation(models.Model):
    """A client pseudonymised by the retention job (so it is done once)."""

    client = models.OneToOneField(
        "casework.Client",
        on_delete=models.CASCADE,
        related_name="pseudonymisation",
        verbose_name=_("cliënt"),
    )
    done_at = models.DateTimeField(_("uitgevoerd op"), default=timezone.now)
    last_record_ended_on = models.DateField(_("laatste record eindigde op"))
    retention_years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))

    class Meta:
        verbose_name = _("pseudonimisering")
        verbose_name_plural = _("pseudonimiseringen")
        ordering = ["-done_at"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.client_id} ({self.done_at:%d/%m/%Y})"
