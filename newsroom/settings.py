"""Settings for the newsroom: one module, production values from the environment.

The defaults serve local development with no setup at all (SQLite under
``var/``, uploads under ``var/uploads/``). See README.md for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))

# Development is the default; production sets DEBUG=false, which requires a
# SECRET_KEY and ALLOWED_HOSTS and turns on the hardening at the end.
DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment when DEBUG=false."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "ninja",
    "reversion",
    "reversion_compare",
    "django_prose_editor",
    "articles",
    "people",
    "media",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

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
                "newsroom.context_processors.site",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives here

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging lets readers carry on while a story is saved, and
    # IMMEDIATE transactions avoid "database is locked" under concurrent writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]

LANGUAGE_CODE = "en-gb"
# The newsroom's own time zone: dates are shown to readers in it, and a
# publication date without a time is kept as that calendar day in it.
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Asia/Phnom_Penh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded photos: kept out of the ``media`` app's package and URL space.
MEDIA_ROOT = Path(os.environ.get("UPLOAD_ROOT", VAR_DIR / "uploads"))
MEDIA_URL = os.environ.get("UPLOAD_URL", "/uploads/")

# Photos: what an upload may be, and the sizes every photo is served in.
NEWSROOM_PHOTO_MAX_BYTES = int(
    os.environ.get("NEWSROOM_PHOTO_MAX_BYTES", 25 * 1024 * 1024)
)
NEWSROOM_PHOTO_MAX_PIXELS = int(
    os.environ.get("NEWSROOM_PHOTO_MAX_PIXELS", 100_000_000)
)
NEWSROOM_PHOTO_WIDTHS = [
    int(width) for width in env_list("NEWSROOM_PHOTO_WIDTHS", "480,960,1600")
]

# Shared object storage for uploads (several app servers, one store): set a
# bucket and photos go to any S3-compatible service through django-storages.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
if NEWSROOM_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NEWSROOM_S3_BUCKET,
            "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
            "custom_domain": os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("NEWSROOM_S3_PREFIX", ""),
            # Photos are public: plain URLs that pages can cache, unless the
            # bucket is private and needs signed, expiring ones.
            "querystring_auth": env_bool("NEWSROOM_S3_SIGNED_URLS", default=False),
            "file_overwrite": False,
            # Originals read back (to make renditions) spill to disk past 5 MB.
            "max_memory_size": 5 * 1024 * 1024,
            # Stored names never change content, so browsers may keep them.
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }

NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "The Newsroom")

# The window every stored story time must fall in (newsroom/validation.py):
# far enough back for a digitised archive, far enough ahead for an embargo.
NEWSROOM_EARLIEST_YEAR = int(os.environ.get("NEWSROOM_EARLIEST_YEAR", "1800"))
NEWSROOM_MAX_YEARS_AHEAD = int(os.environ.get("NEWSROOM_MAX_YEARS_AHEAD", "10"))

# The story importer: the largest file it reads (a story is tens of kB, so
# this is hundreds of stories), and how long it waits for a database that
# went away (retries, the first after this many seconds, each wait doubled).
NEWSROOM_IMPORT_MAX_BYTES = int(
    os.environ.get("NEWSROOM_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
)
NEWSROOM_IMPORT_DB_RETRIES = int(os.environ.get("NEWSROOM_IMPORT_DB_RETRIES", "3"))
NEWSROOM_IMPORT_DB_RETRY_DELAY = float(
    os.environ.get("NEWSROOM_IMPORT_DB_RETRY_DELAY", "1")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Production hardening, on whenever DEBUG is off (see `check --deploy`).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
