"""Traject settings. Every value that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for (`make demo` and the test settings ask): a server started
# without DEBUG is a production server, with every secure default below.
DEBUG = env_bool("DEBUG", False)
# The development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "audit.apps.TrajectAdminConfig",  # django.contrib.admin with the OTP-aware site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    # Traject's apps, bottom layer first (README, "Layout"; import-linter keeps it so).
    "core",
    "casework",
    "partners",
    "access",
    "documents",
    "audit",
    "reporting",
    "answers",
    "records",
    "desk",
    "backoffice",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.RequestParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.sessions.SessionExpiryMiddleware",  # saves the session when its end is due
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.middleware.SecondFactorMiddleware",
    "audit.middleware.WriteSourceMiddleware",
    "audit.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.HtmxLoginRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Background tasks (Django's tasks framework): the web import's check and import run in
# the database-backed worker `manage.py db_worker` (make demo starts it).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TRAJECT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Two PostgreSQL roles in production (README, "Two database roles"): the app runs as
# DATABASE_URL, a runtime role that may only add to and read the audit trail;
# `manage.py migrate` connects as DATABASE_MIGRATE_URL, the owner of the schema, and
# then grants the runtime role its rights (the role is the user of DATABASE_URL).
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Persistent connections (README, "Production server"): a connection is kept for
# CONN_MAX_AGE seconds (default 60; 0 opens one per request, as the test settings do)
# and checked before reuse (CONN_HEALTH_CHECKS, default on), so a restarted database costs
# one failed check, never a failed request. Opening a PostgreSQL connection costs about as
# much as serving the login page.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Prepared statements only where asked for (core.prepared: the SQL kept for the work
    # queue and the caseload counts); Django's cursors bind client-side and never prepare.
    # Off (0) behind a pooler that cannot keep them (README, "Scaling").
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1_000_000
DATABASE_MIGRATE = (
    dj_database_url.parse(os.environ["DATABASE_MIGRATE_URL"])
    if os.environ.get("DATABASE_MIGRATE_URL")
    else None
)
# A PostgreSQL streaming replica (README, "Scaling"): reports, their exports and the
# answers' figures read from it when it is fresh enough for the report's as-of day
# (core/replica.py); everything else stays on the primary. In tests it stands for the
# primary's test database (the replica copies the whole cluster).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# How old the replica's last replayed commit may be for a report as of today.
TRAJECT_REPLICA_MAX_LAG_SECONDS = int(os.environ.get("TRAJECT_REPLICA_MAX_LAG_SECONDS", "300"))
TRAJECT_RUNTIME_DB_ROLE = DATABASES["default"].get("USER", "") if DATABASE_MIGRATE else ""
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security (README: "Privacy and security", "Production settings") ------------------
# Every value comes from the environment and defaults to the secure choice when DEBUG
# is off; `manage.py check --deploy --fail-level WARNING` passes with the defaults.
AUTHENTICATION_BACKENDS = [
    "audit.backends.LockoutBackend",  # django-axes: refuses locked-out logins first
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failed logins (audit/lockout.py): of one username at one
# address, and, with a much higher limit, of one address whatever the usernames
# (password spraying). Failures elsewhere never lock the real user out.
AXES_HANDLER = "audit.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("TRAJECT_LOGIN_FAILURE_LIMIT", "5"))
TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT", "100")
)
AXES_COOLOFF_TIME = float(os.environ.get("TRAJECT_LOGIN_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "audit/lockout.html"
AXES_CLIENT_IP_CALLABLE = "audit.request_info.client_address"
AXES_VERBOSE = False
# Trusted reverse proxies in front of the app (X-Forwarded-For is read only behind them).
TRAJECT_PROXY_COUNT = int(os.environ.get("TRAJECT_PROXY_COUNT", "0"))
if TRAJECT_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions end after this many minutes without a request, and when the browser closes.
# Each request moves the end forward; the session is written only when its stored end
# lags more than a minute behind (core/sessions.py), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("TRAJECT_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_ENGINE = "core.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (Django's own): scripts and styles only from the app itself
# or with the per-request nonce ({{ csp_nonce }}); never 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Second factor (TOTP, recovery codes for a lost phone), once per session before any
# page: `all` users (the default when DEBUG is off), only `staff` (and superusers), or
# `off` (the default in development, so that the demo works without a phone). It
# replaces TRAJECT_ADMIN_OTP_REQUIRED, which guarded the admin only.
TRAJECT_OTP_REQUIRED = os.environ.get("TRAJECT_OTP_REQUIRED", "off" if DEBUG else "all").lower()
if TRAJECT_OTP_REQUIRED not in ("all", "staff", "off"):
    raise RuntimeError("TRAJECT_OTP_REQUIRED must be all, staff or off.")
OTP_TOTP_ISSUER = os.environ.get("TRAJECT_OTP_ISSUER", "Traject")
# Nobody reads another person's TOTP key or QR code in the admin (it would clone the factor).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Break glass: how long access to a file outside one's caseload lasts.
TRAJECT_BREAK_GLASS_HOURS = int(os.environ.get("TRAJECT_BREAK_GLASS_HOURS", "8"))
# Retention: clients whose last record ended more than this many years ago are
# pseudonymised by `manage.py apply_retention`.
TRAJECT_RETENTION_YEARS = int(os.environ.get("TRAJECT_RETENTION_YEARS", "10"))

# The council report for an as-of day before today is deterministic: it is kept in a
# cache shared by every worker process (a database table, `reporting_cache`, made by
# reporting's migrations) until a record of one of its organisations is written
# (`reporting/cache.py`). 0 switches it off (the test settings do: factories write
# records without the write services, so nothing would invalidate the cache).
TRAJECT_REPORT_CACHE_SECONDS = int(os.environ.get("TRAJECT_REPORT_CACHE_SECONDS", "2592000"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "reporting_cache",
        "TIMEOUT": TRAJECT_REPORT_CACHE_SECONDS or None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Mail (the links to set a password): printed on the console in development,
# sent through EMAIL_HOST:EMAIL_PORT otherwise.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG and not os.environ.get("EMAIL_HOST")
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
            },
        }
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "traject@localhost")
# The address of Traject as people reach it: the links in mails and calendar feeds.
TRAJECT_BASE_URL = os.environ.get("TRAJECT_BASE_URL", "http://127.0.0.1:8000")
# The daily digest (reminders) is sent from this hour on (0-23, Europe/Brussels) by the
# scheduler (`manage.py run_scheduler`, beside `db_worker`).
TRAJECT_DIGEST_HOUR = int(os.environ.get("TRAJECT_DIGEST_HOUR", "7"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "login"

# Dutch (nl-BE) for people, English switchable. Source strings are Dutch, so the
# default language never depends on a compiled catalogue; locale/en holds English.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Dates as dd/mm/yyyy in every language: config/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Documents of client files (README, "Documents"): the storage alias `documents`, never
# served by the web server or a public URL, only through the access-checked download
# view. `filesystem` (default): a private folder outside STATIC_ROOT and every served
# directory; `s3`: S3-compatible object storage through django-storages (the optional
# extra `traject[s3]`), a private bucket.
TRAJECT_DOCUMENT_STORAGE = os.environ.get("TRAJECT_DOCUMENT_STORAGE", "filesystem").lower()
TRAJECT_DOCUMENT_ROOT = Path(
    os.environ.get("TRAJECT_DOCUMENT_ROOT", str(BASE_DIR / "private" / "documents"))
)
if TRAJECT_DOCUMENT_STORAGE == "filesystem":
    DOCUMENT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No URL serves this folder (Traject serves no MEDIA_URL): files go out only
        # through the download view.
        "OPTIONS": {"location": TRAJECT_DOCUMENT_ROOT},
    }
elif TRAJECT_DOCUMENT_STORAGE == "s3":
    DOCUMENT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("TRAJECT_DOCUMENT_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("TRAJECT_DOCUMENT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TRAJECT_DOCUMENT_S3_REGION") or None,
            "location": os.environ.get("TRAJECT_DOCUMENT_S3_PREFIX", "documents"),
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3).
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
else:
    raise RuntimeError("TRAJECT_DOCUMENT_STORAGE must be filesystem or s3.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": DOCUMENT_STORAGE,
}
# The largest document accepted, in MB (the reverse proxy must accept a request this
# large too: nginx `client_max_body_size`).
TRAJECT_DOCUMENT_MAX_MB = float(os.environ.get("TRAJECT_DOCUMENT_MAX_MB", "20"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Domain settings (rules that change over time are data or settings, never literals).
TRAJECT = {
    # GPMI: signed within this many days of the leefloon decision.
    "GPMI_SIGN_WITHIN_DAYS": int(os.environ.get("TRAJECT_GPMI_SIGN_WITHIN_DAYS", "91")),
    # GPMI is mandatory for leefloon rights starting on or after this day (ISO date),
    # and for clients younger than this age at the start of their right (since 2002).
    "GPMI_MANDATORY_SINCE": os.environ.get("TRAJECT_GPMI_MANDATORY_SINCE", "2016-11-01"),
    "GPMI_MANDATORY_UNDER_AGE": int(os.environ.get("TRAJECT_GPMI_MANDATORY_UNDER_AGE", "25")),
    # GPMI evaluations: at least this many per year, of which this many face to face.
    "GPMI_EVALUATIONS_PER_YEAR": int(os.environ.get("TRAJECT_GPMI_EVALUATIONS_PER_YEAR", "3")),
    "GPMI_FACE_TO_FACE_PER_YEAR": int(os.environ.get("TRAJECT_GPMI_FACE_TO_FACE_PER_YEAR", "2")),
    # Article 60: warn this many days before the (planned) end.
    "ARTICLE60_HANDOVER_WARNING_DAYS": 60,
    # Referral without outcome after this many days.
    "REFERRAL_OUTCOME_DUE_DAYS": 90,
    # MMPP category 5 for this many years: exit conversation (uitleidgesprek).
    "MMPP_EXIT_CONVERSATION_YEARS": 2,
    # Written questions: in the manager's work queue when the answer is due within this
    # many days.
    "QUESTION_DUE_WITHIN_DAYS": 10,
    # Plausibility (a warning, never a refusal; data-quality page): a client older than
    # this many years is probably a mistyped birth year ...
    "PLAUSIBLE_MAX_AGE": 100,
    # ... and a period longer than this many days a mistyped end: an article-60 placement
    # (at most 24 months of "tijdelijke werkervaring"), a referral to a programme by code
    # (DUO for a JOB: a 6-month mentorship; Wijk-werken: at most 12 months).
    "PLAUSIBLE_MAX_DAYS": {"article60": 731, "duo_for_a_job": 366, "wijkwerken": 366},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
