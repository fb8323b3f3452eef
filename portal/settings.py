"""Settings for Portal 138, all driven by environment variables (see .env.example)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
import xstatic.pkg.bootstrap
import xstatic.pkg.leaflet
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is read if present; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# "development" (the default, embedded services) or "production" (refuses unsafe defaults).
PORTAL_ENV = env.str("PORTAL_ENV", default="development")
if PORTAL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PORTAL_ENV must be 'development' or 'production', not {PORTAL_ENV!r}.")
IS_PRODUCTION = PORTAL_ENV == "production"

VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if IS_PRODUCTION:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "PORTAL_ENV=production needs a real SECRET_KEY (50+ random characters) in the environment."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("PORTAL_ENV=production needs ALLOWED_HOSTS (comma-separated host names).")
    if DEBUG:
        raise ImproperlyConfigured("PORTAL_ENV=production refuses DEBUG=on.")

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    # Two-step log-in devices (before portal.accounts, whose admin unregisters their unscoped admins).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.units",
    "portal.accounts",
    "cases",
    "portal.reports",
    "campaigns",
    "portal.oversight",
    "portal.audit",
    # Background jobs: exports and reports built by the worker, followed on a progress page.
    "portal.jobs",
    # The header's global search (no models: it reads every app through its selectors).
    "portal.search",
    "portal.notifications",
    # Operations: `manage.py backup` / `restore` (no models; reads every app's tables through the connection).
    "portal.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.middleware.SecondStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns lock-outs into the lock-out response.
    "axes.middleware.AxesMiddleware",
]
# A refused form gets the portal's page in the reader's language, not Django's developer text.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

ROOT_URLCONF = "portal.urls"
# `seed_demo` calls each of these after creating the demo users; each returns a line to print.
PORTAL_DEMO_SEEDERS = [
    "portal.reports.demo_seed.seed",
    "cases.demo_seed.seed",
    "campaigns.demo_seed.seed",
    "portal.oversight.demo_seed.seed",
    "portal.reports.demo_seed.seed_subscriptions",
    "portal.notifications.demo_seed.seed",
]
# `seed_national` (the 1,000,000-case benchmark dataset): each module has seed(*, cases, seed, today, progress)
# -> str, exists() -> bool and clear(); they seed, and --force-clear clears, in this order (cases first).
PORTAL_NATIONAL_SEEDERS = [
    "cases.national_seed",
    "campaigns.national_seed",
    "portal.oversight.national_seed",
]
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.accounts.context_processors.navigation",
                "portal.notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL through DATABASE_URL.
# An empty variable counts as unset, so `DATABASE_URL= make test` means SQLite.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, shared by every process (web workers, Celery, commands): it holds live statistics
# (portal/reports/cache.py). redis://host:port/db in production; a file cache under var/cache by
# default; locmem:// only for a single process (the tests).
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL in ("", "file://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://…, file:// or locmem://, not {CACHE_URL!r}.")
# Seconds a cached live figure may be kept at most; saving any counted record drops them all
# at once. 0 turns the cache off.
PORTAL_STATS_CACHE_SECONDS = env.int("PORTAL_STATS_CACHE_SECONDS", default=60)

# --- Accounts, log-in, sessions.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires, so locked-out credentials never reach the database check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the 30-minute window restarts on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- HTTPS: on by default in production (the portal is reached only over TLS). Behind a proxy that
# terminates TLS, set SECURE_PROXY_SSL=on and have the proxy set X-Forwarded-Proto (and overwrite
# any the client sent), or the redirect to HTTPS never ends.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=IS_PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=IS_PRODUCTION)
if env.bool("SECURE_PROXY_SSL", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-axes: 5 failures for one (username, IP) pair lock that pair out for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=env.float("AXES_COOLOFF_HOURS", default=1.0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429
# The log-in records carry no unit to scope by, so they stay out of the admin (see docs/operations.md).
AXES_ENABLE_ADMIN = False
# Without django-ipware installed, axes keys on REMOTE_ADDR: a client cannot spoof X-Forwarded-For.
# Behind a reverse proxy, set the proxy to overwrite REMOTE_ADDR (or install django-ipware).

# --- Two-step log-in (django-otp): roles that must pass it on every page and the API; anyone entering
# /admin/ and anyone who has set up a device passes it too. See docs/security.md.
PORTAL_2FA_ROLES = env.list("PORTAL_2FA_ROLES", default=["admin", "leader"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Portal 138")

# --- Statistics: 1 = calendar months; 15 = the police convention ("tháng 12" = 15/11–14/12).
STATISTICS_MONTH_START_DAY = env.int("STATISTICS_MONTH_START_DAY", default=1)
if not 1 <= STATISTICS_MONTH_START_DAY <= 28:
    raise ImproperlyConfigured("STATISTICS_MONTH_START_DAY must be a day from 1 to 28 (1 or 15 in practice).")

# --- Language, time.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# --- Static files: the portal's own plus Bootstrap from the XStatic pip package; no CDN.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
# Uploaded files (inspection documents, evidence): never served as static files; views check the scope first.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # not routed: documents are downloaded through scoped views only
# Where `manage.py backup` writes its archives (and `restore` unpacks one before replacing anything).
# Keep it outside MEDIA_ROOT; copy the archives off the machine (they hold personal data).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise serves straight from the finders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- Mail (Django 6.1 MAILERS): .eml files under var/mail/ unless an SMTP host is configured.
EMAIL_SMTP_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_SMTP_HOST:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_SMTP_HOST,
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
            "timeout": env.int("EMAIL_TIMEOUT", default=30),
        },
    }
else:
    _mailer = {"BACKEND": "portal.mail.EmlFileBackend", "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}
MAILERS = {"default": _mailer}
# The portal's address as users reach it, for links in e-mails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# The hotspot map's tile server, e.g. an intranet OpenStreetMap mirror: "https://tiles.example.vn/{z}/{x}/{y}.png".
# Empty (the default): no tiles are fetched; the map shows the markers on a plain background beside the table.
PORTAL_MAP_TILES_URL = env.str("PORTAL_MAP_TILES_URL", default="")
PORTAL_MAP_TILES_ATTRIBUTION = env.str("PORTAL_MAP_TILES_ATTRIBUTION", default="")


def _tiles_origin(url: str) -> list[str]:
    """The origin the map's tiles come from, for the CSP ("{s}" subdomains become a wildcard)."""
    if not url:
        return []
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"] if parts.scheme and parts.netloc else []


# --- Content Security Policy (Django's own middleware), in every environment so the browser tests
# see what production sends: scripts only from the portal's static files (no inline script, no
# eval), styles also inline (style attributes of the templates and of the SVG charts), images
# also data: and the map's tile server, nothing framed, forms posted only to the portal.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *_tiles_origin(PORTAL_MAP_TILES_URL)],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng thông tin 138 <portal138@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: kombu's filesystem transport under var/celery/ unless a broker URL is given.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _d in (_queue_dir, _processed_dir, _control_dir):
        _d.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task whose worker died before acknowledging it (acks_late) goes back to the queue once this many
    # seconds have passed since it was handed out. It must exceed the longest task (a national report
    # build: minutes), or a slow task would be run twice. RabbitMQ needs none: it requeues at once.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "cases-deadline-digest": {
        "task": "cases.tasks.deadline_digest_task",
        "schedule": crontab(hour=env.int("DEADLINE_DIGEST_HOUR", default=6), minute=30),
    },
    # Summary snapshots: open periods rebuilt, periods that just ended given their final build.
    "reports-refresh-summaries": {
        "task": "portal.reports.tasks.summaries_refresh_task",
        "schedule": crontab(hour=1, minute=30),
    },
    # Report subscriptions: a period is seen closed the day after it ends; one mail per subscription and period.
    "reports-send-subscriptions": {
        "task": "portal.reports.tasks.reports_dispatch_task",
        "schedule": crontab(
            hour=env.int("REPORTS_DISPATCH_HOUR", default=6), minute=env.int("REPORTS_DISPATCH_MINUTE", default=0)
        ),
    },
    # Oversight: recommendation mails lost to an unreachable queue at save time (or to a long SMTP outage).
    "oversight-missed-notifications": {
        "task": "portal.oversight.tasks.recommendation_notify_missed_task",
        "schedule": crontab(minute="*/15"),
    },
    # Background jobs: result files (exports, reports) kept JOBS_RETENTION_DAYS, then removed with their rows.
    "jobs-cleanup": {
        "task": "portal.jobs.tasks.job_cleanup_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # Oversight: the weekly digest of overdue directives and recommendations, Monday morning.
    "oversight-weekly-digest": {
        "task": "portal.oversight.tasks.oversight_digest_task",
        "schedule": crontab(day_of_week=1, hour=7, minute=0),
    },
}

# --- Report subscriptions: SMTP retries of one delivery (with exponential backoff) before it is marked failed;
# hours after which a still-pending delivery (its task lost with the broker) is queued again by the dispatcher.
REPORTS_MAX_RETRIES = env.int("REPORTS_MAX_RETRIES", default=5)
REPORTS_REQUEUE_PENDING_AFTER_HOURS = env.int("REPORTS_REQUEUE_PENDING_AFTER_HOURS", default=6)

# --- Background jobs: days a finished job and its file are kept; seconds between two progress writes of a job.
JOBS_RETENTION_DAYS = env.int("JOBS_RETENTION_DAYS", default=7)
JOBS_PROGRESS_INTERVAL = env.float("JOBS_PROGRESS_INTERVAL", default=0.5)

# --- Oversight: days a recommendation's addressee has to answer; the largest document accepted.
OVERSIGHT_REPLY_DAYS = env.int("OVERSIGHT_REPLY_DAYS", default=30)
OVERSIGHT_MAX_UPLOAD_MB = env.int("OVERSIGHT_MAX_UPLOAD_MB", default=10)

# --- REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api_defaults.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "portal.api.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["portal.api_defaults.UserThrottle", "portal.api_defaults.AddressThrottle"],
}
# API requests allowed per user and per client address ("number/second|minute|hour|day"); over it the
# API answers 429 with Retry-After. Counted in the shared cache. An office behind one NAT address
# shares the address budget, hence the larger one.
API_RATES = {
    "user": env.str("API_RATE_PER_USER", default="600/minute"),
    "address": env.str("API_RATE_PER_ADDRESS", default="3000/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portal 138 API",
    "DESCRIPTION": "REST API of the crime-prevention steering committees' portal (BCĐ 138).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Logging: to the console; gunicorn and Celery collect it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step of every PDF at INFO; its warnings (missing fonts, bad CSS) still show.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
