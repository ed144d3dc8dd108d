"""Dutch names for the admin's models of third-party apps (django-axes, django-otp,
django-tasks): they come without a Dutch catalogue (or with names that are no
translatable text at all), so the admin would mix "Access attempts" and "TOTP
devices" into a Dutch page. Only the names shown change, never the models' state."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("Aanmeldpogingen"),
    "otp_totp": _("Tweede factor (authenticator-app)"),
    "otp_static": _("Tweede factor (herstelcodes)"),
    "django_tasks_database": _("Achtergrondtaken"),
}
MODEL_NAMES = {
    "axes.accessattempt": (_("aanmeldpoging"), _("aanmeldpogingen")),
    "axes.accesslog": (_("aanmelding"), _("aanmeldingen")),
    "axes.accessfailurelog": (_("mislukte aanmelding"), _("mislukte aanmeldingen")),
    "otp_totp.totpdevice": (_("authenticator-app"), _("authenticator-apps")),
    "otp_static.staticdevice": (_("set herstelcodes"), _("sets herstelcodes")),
    "django_tasks_database.dbtaskresult": (_("achtergrondtaak"), _("achtergrondtaken")),
}


def name_third_party_models() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for label, (singular, plural) in MODEL_NAMES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
