"""Settings for the newsroom: one module, production values from the environment.

The defaults serve local development with no setup at all (SQLite under
``var/``, uploads under ``var/uploads/``). See README.md for every variable.
"""

import base64
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
    "health_check",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "newsroom",
    "articles",
    "people",
    "media",
    "webhooks",
    "desk",
    "demo",
    "sourcing",
]

MIDDLEWARE = [
    # Anonymous pages from the cache, before anything else runs for them: a hit
    # runs no other middleware. The stored page keeps the headers the security
    # and CSP middleware gave it (its nonce with its policy). Nothing is stored
    # for http:// when SECURE_SSL_REDIRECT redirects it (only 200s are), and
    # static files and uploads pass through to WhiteNoise.
    "newsroom.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the outage middleware, so its 503 pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    # Before the session and auth middleware: their database errors are outages too.
    "newsroom.middleware.DatabaseOutageMiddleware",
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

# The reader's pages are Jinja2 (templates/jinja2/, first, so the reader's
# views find them); Django's own engine renders the admin and everything else
# in templates/. README, "Templates".
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            # The backend itself gives the templates ``request`` (and csrf_*).
            "context_processors": ["newsroom.context_processors.site"],
        },
    },
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

# The cache (newsroom/page_cache.py keeps anonymous pages in it). CACHE_URL or
# REDIS_URL: redis://[:password@]host:port/db, rediss:// or unix:// selects
# Redis; file:///absolute/path a folder; locmem:// one process's memory (one
# worker only: another worker would not see invalidations). Nothing set: a
# folder under var/, which every worker process of a machine shares.
NEWSROOM_CACHE_SOCKET_TIMEOUT = float(
    os.environ.get("NEWSROOM_CACHE_SOCKET_TIMEOUT", "0.25")
)


def cache_from_url(url):
    """The ``CACHES`` entry a cache URL names."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                # Redis gone: fail fast, and the page is served without it.
                "socket_connect_timeout": NEWSROOM_CACHE_SOCKET_TIMEOUT,
                "socket_timeout": NEWSROOM_CACHE_SOCKET_TIMEOUT,
                "retry": None,
            },
        }
    if scheme == "file":
        path = urlsplit(url).path
        if not path.startswith("/"):
            raise ImproperlyConfigured(f"CACHE_URL: {url!r} needs an absolute path.")
        return file_cache(path)
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL: {scheme or url!r} is not a cache this site knows "
        "(redis://, rediss://, unix://, file:///path, locmem://, dummy://)."
    )


def file_cache(path):
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(path),
        "OPTIONS": {"MAX_ENTRIES": 3000},
    }


CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
CACHES = {
    "default": cache_from_url(CACHE_URL) if CACHE_URL else file_cache(VAR_DIR / "cache")
}

# Anonymous pages (newsroom/page_cache.py): kept server-side this many seconds
# at most (0, or NEWSROOM_PAGE_CACHE=false: every page is rendered afresh, with
# the same headers); browsers may keep a page NEWSROOM_CACHE_MAX_AGE seconds, a
# CDN NEWSROOM_CACHE_S_MAXAGE, and serve it stale while it fetches a fresh one
# for NEWSROOM_CACHE_STALE_SECONDS more. After a cache failure, this process
# leaves the cache alone for NEWSROOM_CACHE_RETRY_SECONDS.
# On in development too (make run behaves as production); turn it off while
# editing templates: a template change is not a content write.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", default=True)
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("NEWSROOM_CACHE_MAX_AGE", "30"))
NEWSROOM_CACHE_S_MAXAGE = int(os.environ.get("NEWSROOM_CACHE_S_MAXAGE", "30"))
NEWSROOM_CACHE_STALE_SECONDS = int(os.environ.get("NEWSROOM_CACHE_STALE_SECONDS", "60"))
# Each worker process also keeps this many of the pages it served last (as
# exactly invalidated as the shared ones; 0: none).
NEWSROOM_PAGE_CACHE_LOCAL_ENTRIES = int(
    os.environ.get("NEWSROOM_PAGE_CACHE_LOCAL_ENTRIES", "200")
)
# With Redis, each process keeps the generation token between changes, told
# of each change by Redis (client tracking: newsroom/page_cache.py), and reads
# it again at least every NEWSROOM_CACHE_TOKEN_RECHECK_SECONDS; false reads it
# from Redis for every request.
NEWSROOM_CACHE_TOKEN_TRACKING = env_bool("NEWSROOM_CACHE_TOKEN_TRACKING", default=True)
NEWSROOM_CACHE_TOKEN_RECHECK_SECONDS = float(
    os.environ.get("NEWSROOM_CACHE_TOKEN_RECHECK_SECONDS", "1")
)
NEWSROOM_CACHE_RETRY_SECONDS = float(
    os.environ.get("NEWSROOM_CACHE_RETRY_SECONDS", "5")
)

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


def photo_hosts():
    """The origins uploaded photos are served from, when they live in S3."""
    if not NEWSROOM_S3_BUCKET:
        return []
    options = STORAGES["default"]["OPTIONS"]
    if options["custom_domain"]:
        return [f"https://{options['custom_domain']}"]
    if options["endpoint_url"]:  # path-style URLs on the service's own host
        endpoint = urlsplit(options["endpoint_url"])
        return [f"{endpoint.scheme}://{endpoint.netloc}"]
    hosts = [f"https://{NEWSROOM_S3_BUCKET}.s3.amazonaws.com"]
    if options["region_name"]:
        hosts.append(
            f"https://{NEWSROOM_S3_BUCKET}.s3.{options['region_name']}.amazonaws.com"
        )
    return hosts


# Content-Security-Policy (django-csp) on every page: the reader's site, the
# admin and the API docs load only what this site serves. Scripts come from
# our static files; the inline ones (the story's JSON-LD, the body editor's
# import map) carry the per-request nonce. No inline styles and no style=""
# attributes: the admin, reversion-compare and the Swagger UI run without
# 'unsafe-inline'. The one exception is the body editor's core (Tiptap), which
# injects its base styles as a <style> unless an element <style
# data-tiptap-style> exists: the story form has an empty one and loads those
# styles from static/admin/prose-editor-core.css, and the hash of the empty
# string lets that empty element through (it can allow nothing else). Images
# may also come from the S3 photo store and from NEWSROOM_CSP_IMAGE_HOSTS;
# data: URIs are the admin's and the Swagger UI's icons. Nothing frames the
# site ('none' agrees with X-Frame-Options: DENY; the admin's pop-ups are
# windows, not frames).
EMPTY_STYLE_HASH = "'sha256-{}'".format(
    base64.b64encode(hashlib.sha256(b"").digest()).decode()
)
NEWSROOM_CSP_IMAGE_HOSTS = env_list("NEWSROOM_CSP_IMAGE_HOSTS")
NEWSROOM_CSP_REPORT_URI = os.environ.get("NEWSROOM_CSP_REPORT_URI", "").strip()
# Origins such as https://cdn.example or https://*.cdn.example:8443, and an
# http(s) URL: nothing that could end a directive or add a source keyword.
CSP_ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9.-]+(:[0-9]+)?/?", re.IGNORECASE)
for host in NEWSROOM_CSP_IMAGE_HOSTS:
    if not CSP_ORIGIN.fullmatch(host):
        raise ImproperlyConfigured(
            f"NEWSROOM_CSP_IMAGE_HOSTS: {host!r} is not an origin such as "
            "https://cdn.example (comma-separated, no paths)."
        )
if NEWSROOM_CSP_REPORT_URI and not re.fullmatch(
    r"https?://[^\s;,'\"]+", NEWSROOM_CSP_REPORT_URI
):
    raise ImproperlyConfigured(
        "NEWSROOM_CSP_REPORT_URI must be an http(s) URL, such as "
        "https://reports.example/csp."
    )
NEWSROOM_CSP_REPORT_ONLY = env_bool("NEWSROOM_CSP_REPORT_ONLY", default=False)
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, EMPTY_STYLE_HASH],
    "img-src": [SELF, "data:", *photo_hosts(), *NEWSROOM_CSP_IMAGE_HOSTS],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
    "upgrade-insecure-requests": not DEBUG,
}
if NEWSROOM_CSP_REPORT_URI:
    CSP_DIRECTIVES["report-uri"] = NEWSROOM_CSP_REPORT_URI
# Report-only: browsers report what the policy would block and block nothing.
if NEWSROOM_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}

NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "The Newsroom")

# The window every stored story time must fall in (newsroom/validation.py):
# far enough back for a digitised archive, far enough ahead for an embargo.
NEWSROOM_EARLIEST_YEAR = int(os.environ.get("NEWSROOM_EARLIEST_YEAR", "1800"))
NEWSROOM_MAX_YEARS_AHEAD = int(os.environ.get("NEWSROOM_MAX_YEARS_AHEAD", "10"))

# Faults (newsroom/middleware.py): with the database unreachable, readers get
# a 503 asking them to retry after this many seconds…
NEWSROOM_RETRY_AFTER_SECONDS = int(os.environ.get("NEWSROOM_RETRY_AFTER", "30"))
# …and the log gets one line per distinct failure per this many seconds, with
# a count of the repeats held back (newsroom/logging.py).
NEWSROOM_LOG_REPEAT_INTERVAL = int(os.environ.get("NEWSROOM_LOG_REPEAT_INTERVAL", "60"))

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
    "filters": {
        "once_per_interval": {
            "()": "newsroom.logging.OncePerInterval",
            "interval": NEWSROOM_LOG_REPEAT_INTERVAL,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # One filter instance for all three, so a failure is one line in all.
        "django.request": {"filters": ["once_per_interval"]},
        "health_check": {"filters": ["once_per_interval"]},
        "newsroom.faults": {"filters": ["once_per_interval"], "level": "INFO"},
    },
}

# Background tasks (Django's task framework, from the django-tasks backport):
# what happens when a story goes live runs in them, never in the request
# (webhooks/). TASKS_BACKEND: ``database`` (the default: tasks are rows in
# this site's database, run by ``manage.py db_worker``, which ``make run``
# starts beside the server), ``immediate`` (run at once, in the process that
# enqueues them: no worker, no go-live timers), ``dummy`` (kept, never run), or
# the dotted path of another backend's class (e.g. django-tasks-rq's
# ``django_tasks_rq.RQBackend``, with that package installed and its
# ``RQ_QUEUES``). Timers need a backend that can run a task later (database,
# RQ).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip() or "database"
if "." not in TASKS_BACKEND and TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND: {TASKS_BACKEND!r} is not a backend this site knows "
        f"({', '.join(TASKS_BACKENDS)}, or a dotted path to a backend class)."
    )
TASKS = {
    "default": {"BACKEND": TASKS_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)},
}

# The site's own address, for what is sent from a task with no request to
# read it from (webhook bodies, WebSub and IndexNow pings): scheme and host,
# no path. Unset: http://127.0.0.1:8000 in development, https:// and the
# first of ALLOWED_HOSTS in production.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "").strip().rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)
if not re.fullmatch(r"https?://[^/?#\s]+", NEWSROOM_SITE_URL):
    raise ImproperlyConfigured(
        "NEWSROOM_SITE_URL must be the site's scheme and host, such as "
        "https://news.example (no path)."
    )

# The desk's notices by e-mail (desk/notices.py): off unless
# NEWSROOM_NOTICE_EMAIL is set; then each notice also goes to its recipient's
# address (if they have one) through Django's mail framework, from a
# background task. The mail server: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS (or EMAIL_BACKEND for another backend);
# the sender: DEFAULT_FROM_EMAIL.
NEWSROOM_NOTICE_EMAIL = env_bool("NEWSROOM_NOTICE_EMAIL", default=False)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"desk@{NEWSROOM_SITE_URL.split('://', 1)[1].split(':')[0]}"
)

# Nothing leaves the machine unless configured: webhooks go only to the
# endpoints editors add at Admin › Webhooks; WebSub and IndexNow are off
# until these are set.
# WEBSUB_HUB_URL: the hub the feeds name (<link rel="hub">) and that is told
# when a story goes out, changes or goes away.
WEBSUB_HUB_URL = os.environ.get("WEBSUB_HUB_URL", "").strip()
if WEBSUB_HUB_URL and not re.fullmatch(r"https?://\S+", WEBSUB_HUB_URL):
    raise ImproperlyConfigured(
        "WEBSUB_HUB_URL must be an http(s) URL, such as https://hub.example/."
    )
# INDEXNOW_KEY: 8 to 128 letters, digits or dashes; served at /<key>.txt and
# sent with each story address to INDEXNOW_ENDPOINT.
INDEXNOW_KEY = os.environ.get("INDEXNOW_KEY", "").strip()
if INDEXNOW_KEY and not re.fullmatch(r"[A-Za-z0-9-]{8,128}", INDEXNOW_KEY):
    raise ImproperlyConfigured(
        "INDEXNOW_KEY must be 8 to 128 letters, digits or dashes."
    )
INDEXNOW_ENDPOINT = os.environ.get(
    "INDEXNOW_ENDPOINT", "https://api.indexnow.org/indexnow"
).strip()
# Each outgoing request waits at most this long (connect and each read).
NEWSROOM_OUTBOUND_TIMEOUT = float(os.environ.get("NEWSROOM_OUTBOUND_TIMEOUT", "5"))
# A webhook delivery that fails is tried again after 1 minute, then 2, 4, …
# (at most WEBHOOK_RETRY_MAX_SECONDS apart), for WEBHOOK_RETRY_FOR_SECONDS.
WEBHOOK_RETRY_FIRST_SECONDS = int(os.environ.get("WEBHOOK_RETRY_FIRST_SECONDS", "60"))
WEBHOOK_RETRY_MAX_SECONDS = int(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "21600"))
WEBHOOK_RETRY_FOR_SECONDS = int(os.environ.get("WEBHOOK_RETRY_FOR_SECONDS", "86400"))

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
