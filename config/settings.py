"""Parcours settings: one file, driven by environment variables.

SQLite by default so a fresh clone runs with `make run`; PostgreSQL with DATABASE_URL.
"""

import ipaddress
import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PARCOURS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# The dev key is only ever used on a developer's machine (tests, `make run`); production must set
# DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and PARCOURS_PUBLIC_URL: without them a production
# process refuses to start and `check --deploy` reports errors (parcours/core/checks.py).
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 20
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_SECRET_KEY"))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEV_SECRET_KEY
# Earlier secret keys (separated by spaces), kept while sessions, signed links and the sealed
# second-factor keys move to the current one (docs/operations.md, "Rotating the secret key").
SECRET_KEY_FALLBACKS = os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split()
ALLOWED_HOSTS_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_ALLOWED_HOSTS"))
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]
# Demo accounts and demo data exist only when this is on (`make run` turns it on).
DEMO_MODE = env_bool("PARCOURS_DEMO", False)
DEMO_PASSWORD = "cerisier-hirondelle-2026"  # noqa: S105 — synthetic demo accounts only, never in production

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "parcours.core",
    "parcours.accounts",
    "parcours.catalog",
    "parcours.people",
    "parcours.measures",
    "parcours.obligations",
    "parcours.audit",
    "parcours.breaches",
    "parcours.timeline",
    "parcours.ledgers",
    "parcours.alerts",
    "parcours.agenda",
    "parcours.notifications",
    "parcours.notes",
    "parcours.reports",
    "parcours.lifecycle",
    "parcours.detention",
    "parcours.adjustments",
    "parcours.release",
    "parcours.assessments",
    "parcours.plans",
    "parcours.partners",
    "parcours.checkins",
    "parcours.handovers",
    "parcours.space",
    "parcours.demo",
]

MIDDLEWARE = [
    "parcours.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "parcours.accounts.middleware.SessionTimeoutMiddleware",
    "parcours.accounts.mfa.TwoFactorMiddleware",
    "parcours.accounts.middleware.CharterMiddleware",
    "parcours.accounts.middleware.ServiceTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "parcours.core.middleware.NoStoreMiddleware",
    "parcours.core.middleware.MethodNotAllowedMiddleware",
    "parcours.core.middleware.CaseErrorsMiddleware",
    "axes.middleware.AxesMiddleware",
]

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parcours.core.context_processors.parcours",
                "parcours.core.navigation.navigation",
            ],
            "string_if_invalid": os.environ.get("PARCOURS_TEMPLATE_INVALID", ""),
            # French plurals (`|pluriel`) in every template, without a load tag.
            "builtins": ["parcours.core.templatetags.french"],
        },
    }
]
FORM_RENDERER = "parcours.core.forms_renderer.FastTemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parcours.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
PREPARED_STATEMENTS: dict[str, object] = {}  # PostgreSQL only, below
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL + a busy timeout let the web server and the task worker share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # PostgreSQL: parameters bound by the server, and each statement prepared once a connection
    # has run it DATABASE_PREPARE_THRESHOLD times (psycopg's automatic preparation, which Django
    # leaves off): the server then plans a query once per connection instead of at each
    # execution (ADR 0025). Behind pgBouncer in transaction pooling it needs pgBouncer >= 1.21
    # with max_prepared_statements set; "off" keeps Django's default, client-side binding.
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
    if _prepare != "off":
        if not _prepare.isdigit():
            raise ImproperlyConfigured("DATABASE_PREPARE_THRESHOLD : un nombre entier, ou off.")
        PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": int(_prepare)}
    # Added to what the URL's query string set (e.g. sslmode), never in its place.
    DATABASES["default"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
# A PostgreSQL streaming replica for statistics reads (docs/operations.md, config/routers.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "parcours.accounts.passwords.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "parcours.accounts.passwords.ContextWordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle timeout (with a warning in the page) and an absolute lifetime.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("PARCOURS_SESSION_ABSOLUTE_SECONDS", str(10 * 3600)))
PARCOURS_SESSION_IDLE_SECONDS = int(os.environ.get("PARCOURS_SESSION_IDLE_SECONDS", "1800"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor sign-in (parcours/accounts/mfa.py, docs/adr/0014-two-factor-sign-in.md): when
# required, administrators, DPIP and DFSPIP enrol a TOTP app before any page, and break-the-glass
# and exports need a verified session. On by default; off with PARCOURS_DEMO=1 so the demo
# accounts of `make run` sign in with their password alone (a user who enrolled is still asked
# the code). Wrong codes are throttled by django-otp: 1, 2, 4, 8… seconds between tries.
PARCOURS_MFA_REQUIRED = env_bool("PARCOURS_MFA_REQUIRED", not DEMO_MODE)
# A bulk export (mfa.STEP_UP_VIEWS) asks a new code when the last one is older than this.
PARCOURS_STEP_UP_SECONDS = int(os.environ.get("PARCOURS_STEP_UP_SECONDS", "600"))
OTP_TOTP_ISSUER = "Parcours"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# django-axes: lockout on username + IP with a cool-off, so nobody can lock a colleague out.
AXES_FAILURE_LIMIT = int(os.environ.get("PARCOURS_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Behind a reverse proxy (docs/operations.md, "Reverse proxy"): the proxies' addresses or CIDR
# ranges, comma-separated. The client IP (lockout and journal) is then read from
# X-Forwarded-For, right-most untrusted address, and only on requests coming from these proxies.
TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("PARCOURS_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"PARCOURS_TRUSTED_PROXIES: {_proxy!r} is not an IP address or a CIDR range."
        ) from None
AXES_CLIENT_IP_CALLABLE = "parcours.core.context.client_ip"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Dev and tests serve static files from the apps; production runs collectstatic and turns this off.
WHITENOISE_USE_FINDERS = env_bool("PARCOURS_STATIC_FINDERS", True)
if WHITENOISE_USE_FINDERS:
    warnings.filterwarnings("ignore", message="No directory at")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production (collectstatic, finders off): hashed file names (far-future cache: WhiteNoise marks
# them immutable for a year) and gzip + brotli copies made at collectstatic time. Dev and tests
# keep the plain storage (no manifest to build). docs/operations.md, "Fichiers statiques".
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# A name missing from the manifest (a file added after collectstatic) is served unhashed rather than
# turning the page into a 500.
WHITENOISE_MANIFEST_STRICT = False
# Uploaded files (later issues) live outside the web root and are served only through views.
MEDIA_ROOT = VAR_DIR / "private"
# Justificatifs (PDF, JPEG, PNG) are refused above this size.
PARCOURS_UPLOAD_MAX_BYTES = int(os.environ.get("PARCOURS_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Images are refused above this many pixels, read from their header before any decoding.
PARCOURS_UPLOAD_MAX_PIXELS = int(os.environ.get("PARCOURS_UPLOAD_MAX_PIXELS", "40000000"))

# Task queue: django-tasks with its database backend; `make run` starts `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A task RUNNING for longer than this had its worker killed: `reclaim_tasks` queues it again
# (every task is idempotent). Longer than the longest nightly recomputation.
PARCOURS_TASK_LEASE_SECONDS = int(os.environ.get("PARCOURS_TASK_LEASE_SECONDS", "3600"))
# The periodic jobs run by `manage.py run_scheduler` (parcours/core/scheduler.py; `make run` starts
# it; production: one host, or the cron lines of docs/operations.md). Daily times are local
# (TIME_ZONE).
# Processes of a whole nightly recomputation on PostgreSQL (parcours.core.bulk.run_in_chunks):
# the chunks of people are independent; one process on SQLite whatever this says.
PARCOURS_NIGHTLY_PROCESSES = int(os.environ.get("PARCOURS_NIGHTLY_PROCESSES", "2"))
# The time zones of the SPIP (the per-zone nightly jobs), and the SPIP of one of them.
PARCOURS_SERVICE_ZONES = "parcours.accounts.zones.service_zones"
PARCOURS_ZONE_SPIPS = "parcours.accounts.zones.spips_in_zone"
PARCOURS_SCHEDULE = [
    {"command": "send_due_messages", "every_seconds": 60},
    {"command": "reclaim_tasks", "every_seconds": 300},
    # In each SPIP's own time zone (R-DATES-LOCAL): `--zone <zone>` at 02:15 / 02:20 local.
    {"command": "recompute_alerts", "at": "02:15", "per_zone": True},
    {"command": "recompute_compliance", "at": "02:20", "per_zone": True},
    {"command": "recompute_sentence_dates", "at": "02:25", "per_zone": True},
    {"command": "generate_slots", "at": "02:25"},
    {"command": "purge_expired", "at": "03:00"},
    {"command": "purge_unknown_sms", "at": "03:05"},
    {"command": "purge_space_logs", "at": "03:07"},
    {"command": "generate_checkins", "at": "03:20"},
    # Release preparation (parcours/release): checklists opened 90 days before, first appointments.
    {"command": "prepare_releases", "at": "03:10", "per_zone": True},
]

# Browser hardening.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
# A stale or missing token: a French page instead of Django's (parcours.core.views.csrf_failure).
CSRF_FAILURE_VIEW = "parcours.core.views.csrf_failure"
if env_bool("PARCOURS_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Parcours parameters (domain values kept as settings, documented in docs/).
PARCOURS_CASELOAD_TARGET = 60
PARCOURS_BREAK_GLASS_HOURS = 4
PARCOURS_PAGE_SIZE = 25
# "Context words" refused in passwords (security.md, bar 7).
PARCOURS_PASSWORD_CONTEXT_WORDS = [
    "parcours",
    "spip",
    "justice",
    "probation",
    "penitentiaire",
    "insertion",
    "ministere",
    "tribunal",
    "prison",
]

# Notifications (SMS and e-mail outbox, parcours/notifications; docs/operations.md, "SMS").
# PARCOURS_SMS_BACKEND: "console" (logs the SMS; development default), "file" (JSON lines in
# var/outbox/sms.jsonl) or "http" (the provider's JSON API at PARCOURS_SMS_URL, bearer token
# PARCOURS_SMS_TOKEN, timeout PARCOURS_SMS_TIMEOUT seconds). E-mails use Django's EMAIL_* settings.
PARCOURS_SMS_BACKEND = os.environ.get("PARCOURS_SMS_BACKEND", "console")
PARCOURS_SMS_URL = os.environ.get("PARCOURS_SMS_URL", "")
PARCOURS_SMS_TOKEN = os.environ.get("PARCOURS_SMS_TOKEN", "")
PARCOURS_SMS_TIMEOUT = float(os.environ.get("PARCOURS_SMS_TIMEOUT", "10"))
# A message claimed by a worker stays reserved this long (at least 3 × the timeout); a worker
# killed during the provider call leaves it due again after that (same idempotency key).
PARCOURS_SMS_LEASE_SECONDS = float(os.environ.get("PARCOURS_SMS_LEASE_SECONDS", "300"))
# Tries before a message is marked "échoué" (1, 2, 4, 8… minutes apart).
PARCOURS_SMS_MAX_ATTEMPTS = int(os.environ.get("PARCOURS_SMS_MAX_ATTEMPTS", "6"))
# Inbound SMS (replies, parcours/notifications/inbound.py; README "Réponses par SMS"): the
# provider POSTs them to /sms/entrant/ signed with HMAC-SHA256 under this shared secret (at least
# 32 characters; required in production with the "http" backend, parcours/core/checks.py E006).
# Messages from unknown numbers are deleted after PARCOURS_SMS_INBOUND_UNKNOWN_DAYS days.
# The demo (`make run`, e2e) has a published secret, so the fake provider can post replies.
DEMO_SMS_INBOUND_SECRET = "demo-secret-du-webhook-sms-parcours-0123456789"  # noqa: S105
PARCOURS_SMS_INBOUND_SECRET = os.environ.get("PARCOURS_SMS_INBOUND_SECRET") or (
    DEMO_SMS_INBOUND_SECRET if DEMO_MODE else ""
)
PARCOURS_SMS_INBOUND_UNKNOWN_DAYS = int(os.environ.get("PARCOURS_SMS_INBOUND_UNKNOWN_DAYS", "30"))
# Reminder ("rappel") default: J-2 at 10:00 local time; each SPIP may choose J-1 (its settings).
PARCOURS_REMINDER_DAYS = int(os.environ.get("PARCOURS_REMINDER_DAYS", "2"))
PARCOURS_REMINDER_HOUR = int(os.environ.get("PARCOURS_REMINDER_HOUR", "10"))
# Public address put in front of the STOP links of SMS (no trailing slash).
PUBLIC_URL_FROM_ENVIRONMENT = bool(os.environ.get("PARCOURS_PUBLIC_URL"))
PARCOURS_PUBLIC_URL = os.environ.get("PARCOURS_PUBLIC_URL") or "http://127.0.0.1:8000"
# E-mails are printed on the console unless an SMTP backend is configured (production).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ne-pas-repondre@parcours.local")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PARCOURS_LOG_LEVEL", "WARNING")},
}
