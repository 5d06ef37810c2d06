"""Essaim settings: one module, read from the environment.

Every value that differs between a laptop and production comes from an environment variable, with a safe
development default. ``ESSAIM_ENV=production`` turns on the production checks: the process refuses to start with
``DEBUG`` on or without a real ``SECRET_KEY``. See ``docs/operations.md`` for the whole list.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from essaim.core.cache import caches_from_url
from essaim.core.clientip import parse_trusted_proxies


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ESSAIM_VAR_DIR", BASE_DIR / "var"))
# var/ holds the SQLite database, the search index, uploads and collected static files: it must exist.
for _directory in (VAR_DIR, VAR_DIR / "static"):
    try:
        _directory.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only deployment that keeps its data elsewhere
        pass

ESSAIM_ENV = os.environ.get("ESSAIM_ENV", "development")
if ESSAIM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("ESSAIM_ENV doit valoir « development » ou « production ».")
PRODUCTION = ESSAIM_ENV == "production"

DEV_SECRET_KEY = "essaim-development-only-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Refus de démarrer : DEBUG est activé alors que ESSAIM_ENV=production.")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Refus de démarrer : SECRET_KEY manquante ou trop courte (50 caractères au moins) en production."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "csp",
    "ninja",
    "django_tasks",
    "essaim.core",
    "essaim.accounts",
    "essaim.territories",
    "essaim.directory",
    "essaim.search",
    "essaim.agenda",
    "essaim.grants",
    "essaim.support",
    "essaim.club",
    "essaim.observatory",
    "essaim.news",
    "essaim.jobs",
    "essaim.www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "essaim.www.middleware.FrenchTypographyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "essaim.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "essaim.www.middleware.QueryStringMiddleware",  # control characters in a page's query string: 400
    "essaim.core.bodylimit.BodySizeLimitMiddleware",  # before CSRF: an oversized body is refused unread (413)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "essaim.core.replicas.ReplicaMiddleware",  # after the authentication: only anonymous reads go to a replica
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "essaim.core.middleware.ContentSecurityPolicyMiddleware",
    "essaim.core.middleware.PermissionsPolicyMiddleware",
    "essaim.api.middleware.ApiJsonErrorsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "essaim.core.faults.DatabaseBusyMiddleware",  # last: a busy database answers 503, not 500
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "essaim" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "essaim.www.context_processors.site",
            ],
            # French ``date`` (1er) and ``pluralize`` (0 and 1 singular) in every template: docs/interface.md.
            "builtins": ["essaim.www.templatetags.french"],
        },
    },
]

# Database: SQLite under var/ by default, tuned to serve a real territory and several processes at once. A write
# waits at most ESSAIM_DB_LOCK_TIMEOUT_S seconds for a lock, then answers 503 + Retry-After (essaim.core.faults).
ESSAIM_DB_LOCK_TIMEOUT_S = float(os.environ.get("ESSAIM_DB_LOCK_TIMEOUT_S", "5"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": ESSAIM_DB_LOCK_TIMEOUT_S,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        f"PRAGMA busy_timeout={int(ESSAIM_DB_LOCK_TIMEOUT_S * 1000)};"
        "PRAGMA cache_size=-65536;"
        "PRAGMA mmap_size=268435456;"
        "PRAGMA temp_store=MEMORY;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'essaim.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("ESSAIM_TEST_SQLITE_NAME") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c lock_timeout={int(ESSAIM_DB_LOCK_TIMEOUT_S * 1000)}"
    )
# Read replicas (PostgreSQL hot standbys): anonymous public reads go to a healthy one, everything else to the
# primary; a client that wrote reads from the primary for ESSAIM_REPLICA_PIN_SECONDS (essaim/core/replicas.py,
# docs/operations.md « Several machines »).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
ESSAIM_REPLICA_MAX_LAG_S = float(os.environ.get("ESSAIM_REPLICA_MAX_LAG_S", "10"))
ESSAIM_REPLICA_PIN_SECONDS = int(os.environ.get("ESSAIM_REPLICA_PIN_SECONDS", "10"))
ESSAIM_REPLICA_CHECK_S = float(os.environ.get("ESSAIM_REPLICA_CHECK_S", "5"))
ESSAIM_REPLICA_CONNECT_TIMEOUT_S = int(os.environ.get("ESSAIM_REPLICA_CONNECT_TIMEOUT_S", "2"))
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    if {_replica["ENGINE"], DATABASES["default"]["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS : des répliques PostgreSQL d'un primaire PostgreSQL.")
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", ESSAIM_REPLICA_CONNECT_TIMEOUT_S)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
DATABASE_ROUTERS = ["essaim.core.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache where the abuse limits count (all processes of the site see the same counters): CACHE_URL
# redis://host:6379/1 in production (django-redis), by default the database's own table (db://), locmem:// for
# tests. See essaim/core/cache.py and docs/operations.md.
CACHE_URL = os.environ.get("CACHE_URL", "db://")
CACHES = caches_from_url(CACHE_URL)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # a Redis that stopped is logged (logger django_redis), never a 500

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Accounts (django-allauth, account part only): sign-up, e-mail login, mandatory verification of the address before
# the account can act, password reset, and the rate limits of all of them (docs/accounts.md). The counters live in
# the default cache, shared by every server process (CACHE_URL).
ACCOUNT_ADAPTER = "essaim.www.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "essaim.www.accounts.forms.LoginForm",
    "signup": "essaim.www.accounts.forms.SignupForm",
    "reset_password": "essaim.www.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "essaim.www.accounts.forms.ResetPasswordKeyForm",
    "change_password": "essaim.www.accounts.forms.ChangePasswordForm",
    "set_password": "essaim.www.accounts.forms.SetPasswordForm",
    "add_email": "essaim.www.accounts.forms.ChangeEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with one button: mail scanners do not confirm for you
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # a mail when the password or the address changes
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to an address that has no account (the reset page says the same)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed logins: 5 for one e-mail address from one client in 15 minutes lock that pair (the key is "e-mail:client",
# essaim.www.accounts.adapter), whatever the password typed next: the attacker is locked out, not the person (20
# failures a minute from one client whatever the address); sign-ups, reset and verification mails are throttled per
# address and per client. The client is THE address of essaim.core.clientip; the counters live in the shared cache.
ACCOUNT_LOGIN_FAILURES_PER_EMAIL = int(os.environ.get("ACCOUNT_LOGIN_FAILURES_PER_EMAIL", "5"))
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"20/m/ip,{ACCOUNT_LOGIN_FAILURES_PER_EMAIL}/15m/key",
    "signup": "10/m/ip,30/h/ip",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "resend_verification": "5/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# The version of the terms of use a person accepts at sign-up (the date of the text in accounts/terms.html).
ESSAIM_TERMS_VERSION = "2026-12-01"

# Internationalisation: French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "essaim" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "essaim" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Private uploads (grant documents) live outside MEDIA_ROOT, where no URL reaches them: only the views that check
# rights read them (essaim/core/storage.py). Back it up with the database; never let the web server serve it.
ESSAIM_PRIVATE_ROOT = Path(os.environ.get("ESSAIM_PRIVATE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "essaim.core.storage.PublicMediaStorage"},  # images re-encoded (no EXIF GPS)
    "private": {"BACKEND": "essaim.core.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Several web nodes share their uploads: a folder mounted on every node (MEDIA_ROOT, ESSAIM_PRIVATE_ROOT), or
# other backends given as JSON in ESSAIM_STORAGES, merged over the above per name, e.g.
# {"default": {"BACKEND": "myproject.storage.S3PublicMedia", "OPTIONS": {"bucket_name": "essaim-media"}}}
# (docs/operations.md « Several machines »).
for _name, _storage in json.loads(os.environ.get("ESSAIM_STORAGES") or "{}").items():
    if _name not in STORAGES or not isinstance(_storage, dict) or "BACKEND" not in _storage:
        raise ImproperlyConfigured(f"ESSAIM_STORAGES : « {_name} » n'est pas un stockage connu avec son BACKEND.")
    STORAGES[_name] = _storage
# Request bodies, capped before they are read (essaim/core/bodylimit.py): the views that take files accept
# ESSAIM_MAX_UPLOAD_BODY_BYTES (a 5 MB document and its form), the JSON API ESSAIM_API_MAX_BODY_BYTES, every other
# page DATA_UPLOAD_MAX_MEMORY_SIZE; beyond, 413. An uploaded file above FILE_UPLOAD_MAX_MEMORY_SIZE goes to a
# temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024))
ESSAIM_MAX_UPLOAD_BODY_BYTES = int(os.environ.get("ESSAIM_MAX_UPLOAD_BODY_BYTES", 8 * 1024 * 1024))
ESSAIM_API_MAX_BODY_BYTES = int(os.environ.get("ESSAIM_API_MAX_BODY_BYTES", 64 * 1024))
ESSAIM_MAX_IMAGE_BYTES = 1024 * 1024

# Mail: console in development, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # only for the file backend (tests)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Essaim <ne-pas-repondre@essaim.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Production over HTTPS: secure cookies, HSTS, redirect. ESSAIM_HTTPS=false only for a local
# production-like server on plain HTTP (make serve).
ESSAIM_HTTPS = env_bool("ESSAIM_HTTPS", default=PRODUCTION)
SESSION_COOKIE_SECURE = ESSAIM_HTTPS
CSRF_COOKIE_SECURE = ESSAIM_HTTPS
SECURE_SSL_REDIRECT = ESSAIM_HTTPS
SECURE_HSTS_SECONDS = 31536000 if ESSAIM_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ESSAIM_HTTPS
SECURE_HSTS_PRELOAD = ESSAIM_HTTPS
ESSAIM_BEHIND_PROXY = env_bool("ESSAIM_BEHIND_PROXY")  # trust X-Forwarded-Proto and X-Forwarded-For
# Which proxies write X-Forwarded-For: their number (1 for one nginx) or their addresses/networks. The client is read
# from the right of the header, never from its first entry (essaim/core/clientip.py); empty: REMOTE_ADDR only.
ESSAIM_TRUSTED_PROXIES = os.environ.get("ESSAIM_TRUSTED_PROXIES", "1" if ESSAIM_BEHIND_PROXY else "")
parse_trusted_proxies(ESSAIM_TRUSTED_PROXIES)  # a bad value stops the start, not the first request
RATELIMIT_IP_META_KEY = "essaim.core.clientip.client_ip"  # django-ratelimit's "ip" key: the same address
RATELIMIT_FAIL_OPEN = True  # a counter that vanished between its add and its incr lets the attempt through
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ESSAIM_BEHIND_PROXY else None
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database, which every web node shares; with Redis as CACHE_URL,
# django.contrib.sessions.backends.cached_db reads them from the cache first.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "essaim.www.errors.csrf_failure"  # a French page, not Django's English one
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Map tiles: none by default, so no page ever calls a third party. Set both to use a tile server you trust.
ESSAIM_MAP_TILES_URL = os.environ.get("ESSAIM_MAP_TILES_URL", "")
ESSAIM_MAP_TILES_ATTRIBUTION = os.environ.get("ESSAIM_MAP_TILES_ATTRIBUTION", "")


def _tiles_origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"] + ([_tiles_origin(ESSAIM_MAP_TILES_URL)] if ESSAIM_MAP_TILES_URL else []),
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()"

# Essaim itself.
ESSAIM_SITE_NAME = os.environ.get("ESSAIM_SITE_NAME", "Essaim")
ESSAIM_NETWORK_NAME = os.environ.get("ESSAIM_NETWORK_NAME", "Réseau des territoires pour l'ESS")
ESSAIM_DEFAULT_TERRITORY = os.environ.get("ESSAIM_DEFAULT_TERRITORY", "")
ESSAIM_GEO_API_URL = os.environ.get("ESSAIM_GEO_API_URL", "https://geo.api.gouv.fr")
# The public address of the site, for links in mails and feeds sent outside a request (empty: from the request).
ESSAIM_SITE_URL = os.environ.get("ESSAIM_SITE_URL", "")

# Agenda: registrations per minute and per address on the public API, how long registrations are kept after
# the event before `essaim anonymise_registrations` anonymises them, which sites may frame the embeddable agenda.
ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = int(os.environ.get("ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT", "10"))
ESSAIM_AGENDA_RETENTION_MONTHS = int(os.environ.get("ESSAIM_AGENDA_RETENTION_MONTHS", "12"))
ESSAIM_AGENDA_EMBED_ANCESTORS = env_list("ESSAIM_AGENDA_EMBED_ANCESTORS", "*")
# How long the audit trail of registrant lists and exports is kept (`essaim purge_access_records`, daily).
ESSAIM_ACCESS_RECORD_RETENTION_MONTHS = int(os.environ.get("ESSAIM_ACCESS_RECORD_RETENTION_MONTHS", "12"))
# Support: how long a closed project keeps its holder's data, notes and documents, and a past booking its person's
# (`essaim support_anonymise`, daily).
ESSAIM_SUPPORT_RETENTION_MONTHS = int(os.environ.get("ESSAIM_SUPPORT_RETENTION_MONTHS", "36"))

NINJA_PAGINATION_PER_PAGE = 50

# Work after a request (mails, reminders): django-tasks, the backport of Django 6's django.tasks. The immediate
# backend runs a task when it is enqueued (after the commit when enqueued with transaction.on_commit): tests, demo.
# In production the database backend writes the task in the database and `essaim worker` runs it, retrying with
# backoff (1 min, 5 min, 25 min) and running the daily commands at ESSAIM_DAILY_HOUR (docs/operations.md).
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "essaim.jobs.backend.DatabaseBackend",
}
_tasks_backend = os.environ.get("ESSAIM_TASKS_BACKEND", "database" if PRODUCTION else "immediate")
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS.get(_tasks_backend, _tasks_backend),
        "OPTIONS": {
            "MAX_ATTEMPTS": int(os.environ.get("ESSAIM_TASKS_MAX_ATTEMPTS", "4")),
            "BACKOFF_SECONDS": int(os.environ.get("ESSAIM_TASKS_BACKOFF_SECONDS", "60")),
            "DAILY_HOUR": int(os.environ.get("ESSAIM_DAILY_HOUR", "3")),
        },
    }
}

# The embedded search index (tantivy), derived from the database: disposable, rebuilt by `essaim reindex`.
ESSAIM_SEARCH_INDEX_DIR = Path(os.environ.get("ESSAIM_SEARCH_INDEX_DIR", VAR_DIR / "index"))

# The observatory's live figures stay this many seconds in the cache (a page says the date of what it shows).
ESSAIM_OBSERVATORY_CACHE_SECONDS = int(os.environ.get("ESSAIM_OBSERVATORY_CACHE_SECONDS", "300"))

# GET /health (essaim/www/health.py): 503 when the var directory has less free space than this, or when a due
# task has waited longer than this for a worker. Monitors probe it over plain HTTP too.
ESSAIM_HEALTH_MIN_FREE_MB = int(os.environ.get("ESSAIM_HEALTH_MIN_FREE_MB", "500"))
ESSAIM_HEALTH_TASKS_MAX_WAIT_S = int(os.environ.get("ESSAIM_HEALTH_TASKS_MAX_WAIT_S", "900"))
ESSAIM_HEALTH_INDEX_MAX_WAIT_S = int(os.environ.get("ESSAIM_HEALTH_INDEX_MAX_WAIT_S", "300"))
SECURE_REDIRECT_EXEMPT = [r"^health$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

LANGUAGE_COOKIE_SECURE = ESSAIM_HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
