"""Settings for Công sở số, read from the environment (see the table in README.md).

Every setting has a documented default that serves the embedded deployment: SQLite in ``var/``,
the database task backend, files and the search index on local disk.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/congso
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CONGSO_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else from var/secret_key (made on first use)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Former keys, still accepted while sessions and stored secrets move to the new one.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from local static files, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # kernel: depends on no domain
    "congso.kernel.orgunits",
    "congso.kernel.people",
    "congso.kernel.calendar",
    "congso.kernel.numbering",
    "congso.kernel.files",
    "congso.kernel.audit",
    "congso.kernel.notifications",
    "congso.kernel.signing",
    "congso.kernel.search",
    "congso.kernel.core",
    "congso.kernel.pdf",
    "congso.kernel.ocr",
    # domains
    "congso.documents",
    "congso.procedures",
    "congso.procedures.stats",
    "congso.urban.construction",
    "congso.urban.clearance",
    "congso.urban.reports",
    "congso.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congso.kernel.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congso.kernel.people.middleware.StaffContextMiddleware",
    "congso.kernel.people.middleware.SecondFactorMiddleware",
    "congso.kernel.audit.middleware.AuditContextMiddleware",
    # axes last, as its documentation asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congso.urls"
CSRF_FAILURE_VIEW = "congso.kernel.core.views.csrf_failure"
WSGI_APPLICATION = "congso.wsgi.application"

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
                "django.template.context_processors.i18n",
                "congso.kernel.core.context_processors.shell",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL (scripts/test.sh sets one for the SQLite run) means the default.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'congso.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the worker run beside a writer; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- people ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_LOCKOUT_CALLABLE = "congso.kernel.people.views.lockout_response"  # renders the above
AXES_VERBOSE = False

# Second factor: required for these roles unless switched off.
TOTP_REQUIRED_ROLES = env_list("TOTP_REQUIRED_ROLES", "admin,leader")
OTP_TOTP_ISSUER = "Công sở số"

SESSION_COOKIE_AGE = env_int("SESSION_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # timeout counts from the last request (idle timeout)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Client IP for the audit log: 0 ignores X-Forwarded-For; N trusts that many proxies in front.
TRUST_X_FORWARDED_FOR = env_int("TRUST_X_FORWARDED_FOR", 0)
if env_bool("HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["congso.formats"]

# Working hours of the committees (the calendar's default; units may differ later).
WORKING_HOURS = os.environ.get("WORKING_HOURS", "08:00-12:00,13:00-17:00")

# --- static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"


def _bootstrap_dir() -> Path:
    """Bootstrap 5.3 from the ``bootstrap-wrapper`` package (a top-level ``bootstrap/`` folder)."""
    import importlib.util

    spec = importlib.util.find_spec("bootstrap")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("bootstrap-wrapper is not installed: run `uv sync`")
    return Path(next(iter(spec.submodule_search_locations)))


# Served as /static/bootstrap/css/bootstrap.min.css and /static/bootstrap/js/…: no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", _bootstrap_dir())]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No MEDIA_URL is served: every download goes through a permission-checked view.
FILE_UPLOAD_MAX_BYTES = env_int("FILE_UPLOAD_MAX_MB", 50) * 1024 * 1024
# Incoming documents: remind handlers this many working days before a deadline (0: on the day).
DOCUMENT_REMINDER_DAYS = env_int("DOCUMENT_REMINDER_DAYS", 1)
# The clock (``manage.py clock``, started by ``make run``) enqueues these tasks for the worker:
# (task, seconds between two runs). REMINDER_INTERVAL_SECONDS sets the reminders' period.
_REMIND_EVERY = env_int("REMINDER_INTERVAL_SECONDS", 900)
CLOCK_TASKS = [
    ("congso.documents.tasks.incoming_reminders", _REMIND_EVERY),
    ("congso.documents.tasks.files_deposit_reminders", _REMIND_EVERY),
    ("congso.procedures.tasks.procedures_reminders", _REMIND_EVERY),
    ("congso.urban.construction.tasks.construction_reminders_task", _REMIND_EVERY),
    ("congso.urban.reports.tasks.reports_reminders", _REMIND_EVERY),
]
# --- domain rules that the environment may change ([M] items of shared/domain; the full list,
# with the rules only the code's defaults set, is in docs/procedures*.md and docs/urban-*.md) ---
# One-stop shop: 8 working hours make a working day of legal time; "hours" adds the legal time to
# the moment of receipt, "end_of_day" ends a day-based duration at the close of the Nth day.
ONESTOP_HOURS_PER_DAY = env_int("ONESTOP_HOURS_PER_DAY", 8)
ONESTOP_DUE_RULE = os.environ.get("ONESTOP_DUE_RULE", "hours")
ONESTOP_REMIND_BEFORE_HOURS = env_int("ONESTOP_REMIND_BEFORE_HOURS", 4)
ONESTOP_DUE_SOON_HOURS = env_int("ONESTOP_DUE_SOON_HOURS", 8)
ONESTOP_EXTEND_WHEN_LATE = env_bool("ONESTOP_EXTEND_WHEN_LATE", True)
ONESTOP_LOOKUP_PHONE_DIGITS = env_int("ONESTOP_LOOKUP_PHONE_DIGITS", 4)
# Field reports (iHanoi rules, §8): receipt within 8 working hours; what the public sees.
URBAN_REPORT_RECEIPT_HOURS = env_int("URBAN_REPORT_RECEIPT_HOURS", 8)
URBAN_REPORT_PUBLISH = os.environ.get("URBAN_REPORT_PUBLISH", "accepted")
URBAN_CONSTRUCTION_CONTROL_RULE = os.environ.get(
    "URBAN_CONSTRUCTION_CONTROL_RULE", "inspected_and_no_overdue"
)
# The map: no tile server by default (intranets are offline); e.g. an internal tile server URL
# "https://tiles.example.gov.vn/{z}/{x}/{y}.png".
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
SEARCH_SCOPE_CACHE_SECONDS = env_int("SEARCH_SCOPE_CACHE_SECONDS", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")  # local | s3
if STORAGE_BACKEND == "s3":
    _files_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "congso"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _files_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _files_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not env_bool("TESTING", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "index"))
# The search engine: "tantivy" (the embedded index under SEARCH_INDEX_DIR; docs/decisions/0008)
# or a dotted backend class; empty switches search off.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "tantivy")
# A rebuild of at least SEARCH_SHARD_MIN_DOCS entries splits the index into SEARCH_SHARDS
# shards, searched side by side (SEARCH_PARALLEL: one helper process per extra shard, per web
# process). Below that, one index: per-shard word statistics would shift small indexes' ranking.
SEARCH_SHARDS = env_int("SEARCH_SHARDS", 2)
SEARCH_SHARD_MIN_DOCS = env_int("SEARCH_SHARD_MIN_DOCS", 200_000)
SEARCH_PARALLEL = env_bool("SEARCH_PARALLEL", True)

# --- digital signatures (docs/signing.md) ---------------------------------------------------
SIGNING_DIR = Path(os.environ.get("SIGNING_DIR", VAR_DIR / "signing"))
# Root CA certificates (PEM or DER files) that signatures are validated against.
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", "")
# The demo's self-made test CA: trusted and usable for signing. Switch off in production.
SIGNING_TEST_CA_ENABLED = env_bool("SIGNING_TEST_CA_ENABLED", True)
# RFC 3161 timestamp authority (PAdES B-T); empty: B-B, the signing time from this server.
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", "")
# Let the validator fetch CRLs/OCSP responses over the network (needs internet access).
SIGNING_FETCH_REVOCATION = env_bool("SIGNING_FETCH_REVOCATION", False)
SIGNING_STAMP_FONT = os.environ.get("SIGNING_STAMP_FONT", "")

# --- background tasks -----------------------------------------------------------------------
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")  # database | rq | immediate
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# /healthz reports the worker as failing when a due task has waited longer than this; it enqueues
# a probe task when the last one finished longer ago than HEALTH_HEARTBEAT_SECONDS.
HEALTH_WORKER_MAX_WAIT_SECONDS = env_int("HEALTH_WORKER_MAX_WAIT_SECONDS", 300)
HEALTH_HEARTBEAT_SECONDS = env_int("HEALTH_HEARTBEAT_SECONDS", 60)

# --- digitisation (docs/decisions/0006-ocr-pipeline.md) -------------------------------------
# Tesseract languages; pages OCRed at once per document (0: one per CPU); attempts per document
# before it is marked failed; minutes after which a run still processing counts as stuck.
OCR_LANGUAGES = os.environ.get("OCR_LANGUAGES", "vie+eng")
OCR_JOBS = env_int("OCR_JOBS", 0)
DIGITIZATION_MAX_ATTEMPTS = env_int("DIGITIZATION_MAX_ATTEMPTS", 3)
DIGITIZATION_STUCK_MINUTES = env_int("DIGITIZATION_STUCK_MINUTES", 30)

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Công sở số <no-reply@congso.local>")
# Public address of the site, put in front of links in e-mails (e.g. https://congso.tayho.gov.vn).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# --- logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; fontTools logs subsetting details.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
