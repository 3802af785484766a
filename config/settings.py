"""Claimledger settings: one module, every deployment value read from the environment.

See the README's table of environment variables. Without DATABASE_URL / REDIS_URL the
embedded PostgreSQL and Redis under VAR_DIR are used (started by `make run` / `make test`).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_number(name: str, default: float, kind: type, what: str) -> float:
    value = os.environ.get(name, "")
    try:
        return kind(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not {what}") from None


def env_int(name: str, default: int) -> int:
    return int(_env_number(name, default, int, "an integer"))


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where the embedded services keep their data and sockets.
VAR_DIR = Path(os.environ.get("CLAIMLEDGER_VAR_DIR") or BASE_DIR / "var").resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sources",
    "claims",
    "api",
    # Watches, events, notifications and alert e-mails; listens to claims' signals.
    "alerts",
    # Benchmarks, evaluations and data generators: management commands only.
    "measurement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every history entry written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                # {{ CSP_NONCE }} for an inline <script> or <style>; none uses it today.
                "csp.context_processors.nonce",
                # The unread-alerts badge in the site's and the admin's header.
                "alerts.context_processors.unread_alerts",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Editors sign in through the admin's login page; the search pages send them there.
LOGIN_URL = "admin:login"
# Where a login lands without a safe `next` (one pointing at another site is refused): the
# admin index, which every user who can sign in there (staff) may see.
LOGIN_REDIRECT_URL = "admin:index"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for CLAIMLEDGER_LOGIN_COOLOFF_MINUTES, on every login
# form (the admin's is the site's). Failures are counted in the database (axes' tables, shown
# in the admin); `manage.py axes_reset_username NAME` unlocks early. The backend comes first so
# a locked-out pair is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("CLAIMLEDGER_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = env_int("CLAIMLEDGER_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CLAIMLEDGER_LOGIN_COOLOFF_MINUTES", 15))
# By username and address together: one address guessing many names, or many addresses one
# name, lock only what they tried, so an attacker cannot lock every editor out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the client's address is the Nth from the right in
# X-Forwarded-For (each proxy appends the address it saw); without, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("CLAIMLEDGER_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Content-Security-Policy (django-csp): everything from this site only; no inline script or
# style unless it carries the request's nonce ({{ CSP_NONCE }}). The pages and the admin
# keep their CSS and JS in static files; the SVG charts are markup, not style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # As X-Frame-Options: DENY (Django's default): no site may frame these pages.
        "frame-ancestors": [NONE],
    },
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        )
    }
else:
    # The embedded server (config/stack.py) listens only on a Unix socket in its data folder.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "claimledger",
            "USER": "postgres",
            "HOST": str(VAR_DIR / "pgdata"),
        }
    }
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The languages a user may choose for alert e-mails (their preference, on their alerts page).
LANGUAGES = [
    ("en", "English"),
    ("ur", "اردو"),
    ("fa", "فارسی"),
    ("ar", "العربية"),
    ("az", "Azərbaycanca"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery: Redis is only the transport; the database is the source of truth for all work,
# so task results are never stored.
REDIS_URL = os.environ.get("REDIS_URL") or f"redis+socket://{VAR_DIR / 'redis.sock'}"
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a worker took but never acknowledged (the machine died mid-task) goes back to the
# queue after this many seconds, instead of Redis's default hour. A task still running by
# then is delivered a second time, which is harmless (every task is idempotent) but wasted
# work, so this stays above the longest task and above the longest retry countdown
# (retry_backoff_max in config/celery.py), which Redis also counts against it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CLAIMLEDGER_VISIBILITY_TIMEOUT", 600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# Ingestion
ARTICLE_MAX_CHARS = env_int("CLAIMLEDGER_MAX_ARTICLE_CHARS", 200_000)
# A claim, its gloss and each variant: every worker keeps all claims in its matching index.
CLAIM_MAX_CHARS = env_int("CLAIMLEDGER_MAX_CLAIM_CHARS", 2_000)
FETCH_USER_AGENT = os.environ.get(
    "CLAIMLEDGER_USER_AGENT",
    "Claimledger/0.1 (claim tracking for newsrooms; +https://github.com/claimledger)",
)
FETCH_TIMEOUT_SECONDS = env_int("CLAIMLEDGER_FETCH_TIMEOUT", 15)
FETCH_MAX_BYTES = env_int("CLAIMLEDGER_FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_MAX_REDIRECTS = 5
# Two polls of one feed closer than this are one poll (duplicate deliveries, beat catch-up).
FEED_MIN_INTERVAL_SECONDS = 60
# Articles, statements and claims whose work is pending for longer than this are queued
# again by the sweepers.
STALE_AFTER_SECONDS = env_int("CLAIMLEDGER_STALE_AFTER", 300)
# Claim linking (claims/services/matching.py). Scores run from 0 to 1: how much of a claim's
# phrasing the statement covers, weighted by term rarity, fused with entity evidence.
MATCH_SUGGEST_THRESHOLD = env_float("MATCH_SUGGEST_THRESHOLD", 0.45)
MATCH_AUTO_CONFIRM_THRESHOLD = env_float("MATCH_AUTO_CONFIRM_THRESHOLD", 0.9)
# Short statements ("It is false.") match too much by chance to be confirmed unseen.
MATCH_AUTO_CONFIRM_MIN_WORDS = env_int("MATCH_AUTO_CONFIRM_MIN_WORDS", 8)
# A new claim or variant is searched for in the statements of this many past days.
MATCH_RECENT_DAYS = env_int("MATCH_RECENT_DAYS", 30)
# The matcher's saved index (claims/services/matching_shared.py): one folder per machine,
# memory-mapped by every worker on it. A build is folded in on a schedule, or sooner once this
# many claims changed since the last one (README, "Claim linking at scale").
MATCH_INDEX_DIR = Path(os.environ.get("CLAIMLEDGER_MATCH_INDEX_DIR") or VAR_DIR / "matching-index")
MATCH_DELTA_MAX = env_int("CLAIMLEDGER_MATCH_DELTA_MAX", 5_000)
MATCH_REBUILD_SECONDS = env_int("CLAIMLEDGER_MATCH_REBUILD_SECONDS", 3_600)
# Optional dense encoder (requirements-ml.txt): a model package name or a local folder.
MATCH_ENCODER = os.environ.get("CLAIMLEDGER_ENCODER", "")
# "auto" encodes in bfloat16 where the CPU computes it natively (twice as fast, vectors within
# 1e-4 of float32's); "float32" or "bfloat16" to choose.
MATCH_ENCODER_PRECISION = os.environ.get("CLAIMLEDGER_ENCODER_PRECISION", "auto")
# A build with at least this many documents gets an approximate nearest-neighbour index of its
# vectors (claims/services/matching_ann.py); below it every vector is compared.
MATCH_ANN_MIN_DOCUMENTS = env_int("CLAIMLEDGER_MATCH_ANN_MIN_DOCUMENTS", 50_000)
# Clusters an ANN query reads (of about √n): more finds more of the exact neighbours, slower.
MATCH_ANN_NPROBE = env_int("CLAIMLEDGER_MATCH_ANN_NPROBE", 32)

# The REST API (api/, under /api/v1/): per-user tokens or the admin session, the roles'
# model permissions, pages by cursor, requests per token and minute counted in Redis.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.ModelPermissions",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    # JSON only: DRF's own browsable pages need inline styles the CSP forbids; Swagger UI at
    # /api/v1/docs/ is the browsable page (signed in through the admin, it tries requests).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "PAGE_SIZE": 25,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claimledger API",
    "DESCRIPTION": "Statements, claims, speakers, sources, the review queue and article "
    "ingestion; ClaimReview (schema.org) for reviewed claims.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` or a `kind`: each its own enum, named after its model.
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "SuggestionStatusEnum": "claims.models.Suggestion.Status",
        "IngestionRunStatusEnum": "sources.models.IngestionRun.Status",
        "StatementKindEnum": "claims.models.Statement.Kind",
        "SpeakerKindEnum": "claims.models.Speaker.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
        "IngestionRunKindEnum": "sources.models.IngestionRun.Kind",
    },
}
# The desk that publishes Claimledger's verdicts: the author of its ClaimReview markup.
DESK_NAME = os.environ.get("CLAIMLEDGER_DESK_NAME", "Claimledger")
DESK_URL = os.environ.get("CLAIMLEDGER_DESK_URL", "")
# Webhooks: each POST waits this long for an answer; a delivery is tried this many times.
WEBHOOK_TIMEOUT_SECONDS = env_int("CLAIMLEDGER_WEBHOOK_TIMEOUT", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("CLAIMLEDGER_WEBHOOK_ATTEMPTS", 8)
API_REQUESTS_PER_MINUTE = env_int("CLAIMLEDGER_API_REQUESTS_PER_MINUTE", 600)
# Articles per POST to /api/v1/articles/ (the request body is also capped by Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default).
API_MAX_BATCH = env_int("CLAIMLEDGER_API_MAX_BATCH", 500)
# E-mail (alerts). With EMAIL_HOST set, SMTP with these settings; without it, and under DEBUG
# (`make run`), each e-mail is written as a file under var/mail/ so no mail server is needed.
# EMAIL_BACKEND overrides both (e.g. django.core.mail.backends.console.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Claimledger <alerts@localhost>")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not DEBUG
    else "django.core.mail.backends.filebased.EmailBackend"
)
if not EMAIL_HOST:
    EMAIL_HOST = "localhost"
# Links in e-mails (unsubscribe, the notification): the site's address as users reach it.
SITE_URL = os.environ.get("CLAIMLEDGER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A digest e-mail lists at most this many events; more go out as several numbered e-mails.
ALERT_DIGEST_PAGE = env_int("CLAIMLEDGER_ALERT_DIGEST_PAGE", 200)

# Production hardening: on whenever DEBUG is off, each switch overridable for odd proxies.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("USE_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself; otherwise clients could spoof HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # faiss reports at INFO every CPU-specific build it looks for before the one it loads.
    "loggers": {"faiss.loader": {"level": "WARNING"}},
}
