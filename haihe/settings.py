"""Haihe's settings: one file, every knob an environment variable (HAIHE_*, DATABASE_URL)."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from haihe.core.env import env_bool, env_int, env_list, env_networks, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("HAIHE_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("HAIHE_DEBUG", False)
PRODUCTION = env_bool("HAIHE_PRODUCTION", False)

_DEV_SECRET = "haihe-development-only-secret-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("HAIHE_SECRET_KEY", None if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("HAIHE_SECRET_KEY (or HAIHE_SECRET_KEY_FILE) is required")

ALLOWED_HOSTS = env_list("HAIHE_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("HAIHE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves its Swagger UI from its own static files, not a CDN
    "haihe.core",
    # after haihe.core, whose db_worker command (the worker plus recovery sweeps) overrides its own
    "django_tasks_db",
    "haihe.accounts",
    "haihe.policy",
    "haihe.notices",
    "haihe.evidence",
    "haihe.panels",
    "haihe.registry",
    "haihe.review",
    "haihe.payments",
    "haihe.stats",
    "haihe.training",
    "haihe.subsidies",
    "haihe.xapi",
    "haihe.supervision",
    "haihe.schools",
    "haihe.accreditation",
    "haihe.portal",  # the home pages: reads every module above, so last of them
    "haihe.demo",
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
    "haihe.core.ratelimit.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "haihe.urls"
WSGI_APPLICATION = "haihe.wsgi.application"

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
                "haihe.core.context_processors.navigation",
            ],
        },
    }
]

# Database: the embedded default is an SQLite file under ./var/; DATABASE_URL selects another.
_default_db = f"sqlite:///{VAR_DIR / 'haihe.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db),
        conn_max_age=env_int("HAIHE_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # cache_size: 256 MiB of page cache per connection (the default 2 MiB makes every index
    # insert a read once the xAPI statement table is large); wal_autocheckpoint: copy the WAL
    # back every 10,000 pages (~40 MiB) instead of 1,000, so that index pages rewritten by
    # successive batches are copied and synced once (docs/xapi-lrs.md, "Storage and speed").
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
                " PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env_str("HAIHE_TEST_SQLITE", None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (real time, haihe.core.clock.real_now): within the lockout window, a client
# that failed this many times for one account may not try that account again, and a client that
# failed HAIHE_LOGIN_CLIENT_MAX_FAILURES times (any accounts) may not try any; other clients
# still sign in to the account. Sustained failures for one account (this many, from at least
# that many clients, within the alert window) raise a security alert to the bureau.
HAIHE_LOGIN_MAX_FAILURES = env_int("HAIHE_LOGIN_MAX_FAILURES", 5)
HAIHE_LOGIN_CLIENT_MAX_FAILURES = env_int("HAIHE_LOGIN_CLIENT_MAX_FAILURES", 20)
HAIHE_LOGIN_LOCKOUT_SECONDS = env_int("HAIHE_LOGIN_LOCKOUT_SECONDS", 900)
HAIHE_LOGIN_ALERT_FAILURES = env_int("HAIHE_LOGIN_ALERT_FAILURES", 20)
HAIHE_LOGIN_ALERT_CLIENTS = env_int("HAIHE_LOGIN_ALERT_CLIENTS", 3)
HAIHE_LOGIN_ALERT_WINDOW_SECONDS = env_int("HAIHE_LOGIN_ALERT_WINDOW_SECONDS", 3600)
# The reverse proxies in front of the application (addresses or CIDR networks): only through
# them is X-Forwarded-For believed (haihe.core.network.client_address).
HAIHE_TRUSTED_PROXIES = env_networks("HAIHE_TRUSTED_PROXIES", [])

# Languages: zh-Hans is the default; English is complete too.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The project's own number formats (haihe/formats): thousands grouped by three in Chinese too.
FORMAT_MODULE_PATH = ["haihe.formats"]
USE_I18N = True
TIME_ZONE = env_str("HAIHE_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served by WhiteNoise from the apps' folders (no build step); a deployment may
# collect them into HAIHE_STATIC_ROOT with `haihe collectstatic`.
STATIC_ROOT = env_str("HAIHE_STATIC_ROOT", None)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
# Uploaded files (evidence of applications, haihe.evidence) are kept through Django's storage API
# in HAIHE_MEDIA_ROOT (default var/media), under random names without extensions. They have no
# public URL (MEDIA_URL stays unset and nothing serves MEDIA_ROOT: neither WhiteNoise nor the URL
# configuration): they are served only by the permission-checked view /evidence/<id>/.
MEDIA_ROOT = Path(env_str("HAIHE_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o640, "directory_permissions_mode": 0o750},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "haihe_cache",
        }
    )
}

# Expensive endpoints are rate-limited per account (haihe.core.ratelimit): N requests per S
# seconds, counted in the cache above. "stats": the headline figures (/api/v1/stats/ and the
# dashboard); "export": the CSV exports.
HAIHE_RATE_LIMITS = {
    "stats": env_rate("HAIHE_RATE_LIMIT_STATS", "30/60"),
    "export": env_rate("HAIHE_RATE_LIMIT_EXPORTS", "10/60"),
}
HAIHE_RATE_LIMITED_VIEWS = {  # Django views by URL name (API operations call the limiter)
    "stats:dashboard": "stats",
    "core:audit_export": "export",
    "registry:people_export": "export",
    "registry:organisations_export": "export",
    "panels:results_export": "export",
    "panels:tasks_export": "export",
    "schools:register_export": "export",
    "accreditation:register-export": "export",
}
# The headline figures are cached per as-of date this long (seconds; 0 turns the cache off).
HAIHE_STATS_CACHE_SECONDS = env_int("HAIHE_STATS_CACHE_SECONDS", 60)

# Background work goes through Django's Tasks API: database queue by default.
TASKS = {
    "default": {
        "BACKEND": env_str("HAIHE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Sessions and cookies: secure by default, relaxed only for the local demo over plain HTTP.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("HAIHE_SESSION_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "haihe.core.errors.csrf_failure"  # the site's page, in the user's language
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response: scripts, styles and everything else from our own
# origin only, never inline (no 'unsafe-inline' anywhere; templates keep scripts and styles in
# static files, tests/security/test_browser_protections.py checks them); images may also be
# data: URIs (Pico CSS draws its checkboxes and select arrows with them).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("HAIHE_SECURE_COOKIES", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("HAIHE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("HAIHE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("HAIHE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HAIHE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# The region this installation serves (its districts are data in the registry).
HAIHE_REGION_CODE = env_str("HAIHE_REGION_CODE", "120000")

# Public notices: objections accepted from one client address per window (a person objecting
# in writing is never limited; this only stops a flood of web submissions).
HAIHE_OBJECTIONS_PER_ADDRESS = env_int("HAIHE_OBJECTIONS_PER_ADDRESS", 5)
HAIHE_OBJECTIONS_WINDOW_SECONDS = env_int("HAIHE_OBJECTIONS_WINDOW_SECONDS", 3600)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HAIHE_LOG_LEVEL", "WARNING")},
}

# xAPI: platform secrets are kept as HMAC-SHA256 under this pepper (falls back to SECRET_KEY;
# changing it invalidates every issued credential), and the authority stamped on statements.
HAIHE_XAPI_PEPPER = env_str("HAIHE_XAPI_PEPPER", "")
HAIHE_XAPI_AUTHORITY_HOMEPAGE = env_str(
    "HAIHE_XAPI_AUTHORITY_HOMEPAGE", "https://haihe.tj.gov.cn/xapi"
)
# xAPI CORS (never with credentials: the LRS takes HTTP Basic only): unset, any origin may call
# it (Access-Control-Allow-Origin: *); set, only these origins (e.g. https://lms.example.org).
HAIHE_XAPI_CORS_ORIGINS = env_list("HAIHE_XAPI_CORS_ORIGINS", [])
