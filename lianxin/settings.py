"""Lianxin settings, read from the environment (see README, "Configuration").

Three modes, chosen by LIANXIN_ENV:
- development (default): SQLite in var/, generated secrets kept in var/secrets.json;
- test: the same, with fixed synthetic keys; chosen automatically under pytest;
- production: refuses to start unless every secret is given, and passes `check --deploy`.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lianxin.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

LIANXIN_ENV = env_choice(
    "LIANXIN_ENV",
    ("development", "production", "test"),
    "test" if "PYTEST_VERSION" in os.environ else "development",
)
PRODUCTION = LIANXIN_ENV == "production"
TESTING = LIANXIN_ENV == "test"

VAR_DIR = Path(env_str("LIANXIN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


# --- Secrets -------------------------------------------------------------------------------
# SECRET_KEY signs sessions; LIANXIN_FIELD_KEYS (comma-separated Fernet keys, newest first)
# encrypt resident phone and ID numbers; LIANXIN_INDEX_KEY keys the blind index used to find
# them. Losing the field keys makes stored numbers unreadable; losing the index key makes them
# unsearchable. Back them up with the database.
def _development_secrets() -> dict[str, str]:
    path = VAR_DIR / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    generated = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LIANXIN_FIELD_KEYS": Fernet.generate_key().decode(),
        "LIANXIN_INDEX_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(generated, indent=2))
    path.chmod(0o600)
    return generated


if PRODUCTION:
    _secrets = {
        name: env_str(name, required=True)
        for name in ("SECRET_KEY", "LIANXIN_FIELD_KEYS", "LIANXIN_INDEX_KEY")
    }
elif TESTING:
    # Synthetic, public keys: test databases hold only synthetic people.
    _secrets = {
        "SECRET_KEY": "test-only-" + "k" * 50,
        "LIANXIN_FIELD_KEYS": "dGVzdC1vbmx5LWZpZWxkLWtleS0wMDAwMDAwMDAwMDA=",
        "LIANXIN_INDEX_KEY": "test-only-index-key-00000000000000",
    }
else:
    _secrets = _development_secrets()
    for _name in _secrets:
        _secrets[_name] = env_str(_name, _secrets[_name])

SECRET_KEY = _secrets["SECRET_KEY"]
LIANXIN_FIELD_KEYS = [k.strip() for k in _secrets["LIANXIN_FIELD_KEYS"].split(",") if k.strip()]
LIANXIN_INDEX_KEY = _secrets["LIANXIN_INDEX_KEY"]
for _key in LIANXIN_FIELD_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "LIANXIN_FIELD_KEYS must be Fernet keys (32 url-safe base64 bytes); generate one "
            "with `lianxin generate-keys`."
        ) from None
if len(LIANXIN_INDEX_KEY) < 32:
    raise ImproperlyConfigured("LIANXIN_INDEX_KEY must be at least 32 characters long.")

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public base URL used in links sent to residents (SMS, email).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# --- Applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    "lianxin.core",
    "lianxin.accounts",
    "lianxin.directory",
    "lianxin.notify",
    "lianxin.calendar",
    "lianxin.cases",
    "lianxin.outreach",
    "lianxin.assistance",
    "lianxin.projects",
    "lianxin.proposals",
    "lianxin.notices",
    "lianxin.portal",
    "lianxin.insight",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "huey.contrib.djhuey",
    "lianxin.api",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianxin.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianxin.core.context_processors.lianxin",
            ],
        },
    }
]


# --- Database ------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "lianxin.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
                # busy timeout instead of failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_NAME")},
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache, background jobs ----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared by every server process on this machine, unlike the per-process memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("HUEY_NAME", "lianxin"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "lianxin",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {"workers": env_int("HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"}


# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LIANXIN_DEMO_PASSWORD = env_str("LIANXIN_DEMO_PASSWORD", "lianxin-demo")


# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its own catalogue in <app>/locale
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True


# --- Static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = TESTING or DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024


# --- Mail ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "连心 Lianxin <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# --- Security ------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "lianxin.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "lianxin.core.logging.RedactPersonalNumbers"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO", "propagate": True}},
}

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True


# --- Periodic jobs and notifications (see README, "Configuration") ------------------------
LIANXIN_SWEEP_MINUTES = env_int("LIANXIN_SWEEP_MINUTES", 5, minimum=1)
LIANXIN_WORKER_STALE_MINUTES = env_int("LIANXIN_WORKER_STALE_MINUTES", 5, minimum=2)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60, minimum=1)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 3600, minimum=1)
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 10, minimum=1)
SMS_PROVIDER = env_choice("SMS_PROVIDER", ("outbox", "http", "aliyun"), "outbox")
SMS_SIGNATURE = env_str("SMS_SIGNATURE", "连心")
# Replies to notices forwarded by the SMS gateway (POST /notices/sms-reply/ with this bearer
# token); empty turns the endpoint off.
LIANXIN_SMS_REPLY_TOKEN = env_str("LIANXIN_SMS_REPLY_TOKEN", "") or ""
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_METHOD = env_choice("SMS_HTTP_METHOD", ("POST", "GET"), "POST")
SMS_HTTP_FORMAT = env_choice("SMS_HTTP_FORMAT", ("json", "form"), "json")
SMS_HTTP_BODY = env_str("SMS_HTTP_BODY", '{"mobile": "${phone}", "content": "${text}"}')
SMS_HTTP_AUTH_HEADER = env_str("SMS_HTTP_AUTH_HEADER", "")
SMS_HTTP_MESSAGE_ID_FIELD = env_str("SMS_HTTP_MESSAGE_ID_FIELD", "")
SMS_ALIYUN_ACCESS_KEY_ID = env_str("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = env_str("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_REGION = env_str("SMS_ALIYUN_REGION", "cn-hangzhou")
WECOM_WEBHOOK_URL = env_str("WECOM_WEBHOOK_URL", "")
if SMS_PROVIDER == "http" and not SMS_HTTP_URL:
    raise ImproperlyConfigured("SMS_PROVIDER=http needs SMS_HTTP_URL.")
if SMS_PROVIDER == "aliyun" and not (SMS_ALIYUN_ACCESS_KEY_ID and SMS_ALIYUN_ACCESS_KEY_SECRET):
    raise ImproperlyConfigured(
        "SMS_PROVIDER=aliyun needs SMS_ALIYUN_ACCESS_KEY_ID and SMS_ALIYUN_ACCESS_KEY_SECRET."
    )


# --- Public portal (see README, "Public portal") ------------------------------------------
LIANXIN_DISTRICT_NAME = env_str("LIANXIN_DISTRICT_NAME", "")
# Show staff members' personal names on the public timeline (default: role and unit only).
LIANXIN_PUBLIC_STAFF_NAMES = env_bool("LIANXIN_PUBLIC_STAFF_NAMES", False)
# Reverse proxies in front of the application that append to X-Forwarded-For; 0 trusts
# REMOTE_ADDR only. With N, the client is the Nth address from the right of that header.
LIANXIN_PROXY_COUNT = env_int("LIANXIN_PROXY_COUNT", 0, minimum=0)
# Problems accepted per address and window; a simple question from the challenge count on.
LIANXIN_PORTAL_IP_LIMIT = env_int("LIANXIN_PORTAL_IP_LIMIT", 10, minimum=1)
LIANXIN_PORTAL_IP_WINDOW = env_int("LIANXIN_PORTAL_IP_WINDOW", 600, minimum=1)
LIANXIN_PORTAL_PHONE_LIMIT = env_int("LIANXIN_PORTAL_PHONE_LIMIT", 5, minimum=1)
LIANXIN_PORTAL_PHONE_WINDOW = env_int("LIANXIN_PORTAL_PHONE_WINDOW", 86400, minimum=1)
LIANXIN_PORTAL_CHALLENGE_AFTER = env_int("LIANXIN_PORTAL_CHALLENGE_AFTER", 3, minimum=0)
# Unknown tracking codes and rating links one address may try per window.
LIANXIN_PORTAL_LOOKUP_LIMIT = env_int("LIANXIN_PORTAL_LOOKUP_LIMIT", 30, minimum=1)
# Said to residents in the personal-information notice: how long closed cases keep personal
# details, and whom to ask about them (e.g. "区委组织部 010-12345678").
LIANXIN_RETENTION_YEARS = env_int("LIANXIN_RETENTION_YEARS", 3, minimum=1)
LIANXIN_PRIVACY_CONTACT = env_str("LIANXIN_PRIVACY_CONTACT", "")
# --- Open interfaces: REST API and Open311 (see README, "Open interfaces") -----------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lianxin.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "lianxin.api.pagination.CursorPage",
    "DEFAULT_SCHEMA_CLASS": "lianxin.api.schema.LianxinAutoSchema",
    "EXCEPTION_HANDLER": "lianxin.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "PAGE_SIZE": 30,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "连心 Lianxin API",
    "DESCRIPTION": (
        "Cases, referrals, residents (numbers masked) and reference data of Lianxin. "
        "Programs send `Authorization: Token <token>` (created with `lianxin api-token create "
        "USERNAME`); the browser uses its session. Errors are JSON objects with a stable "
        "`code` and a `message` in the request's language (Chinese by default)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "lianxin.cases.models.CaseStatus",
        "ReferralStatusEnum": "lianxin.cases.models.ReferralStatus",
        "CallbackMethodEnum": "lianxin.cases.models.CallbackMethod",
        "FeedbackMethodEnum": "lianxin.api.serializers.FEEDBACK_METHODS",
    },
}
# The jurisdiction_id Open311 clients may send (any other is "not found"); empty: the host
# name of SITE_URL.
OPEN311_JURISDICTION_ID = (
    env_str("OPEN311_JURISDICTION_ID", "")
    or (SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0])
)
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "")
