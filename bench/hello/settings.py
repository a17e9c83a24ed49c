"""A minimal Django project: one view, no middleware, no database. The
framework's ceiling for bench/pages.py, served by the same gunicorn setup."""

DEBUG = False
SECRET_KEY = "bench-hello-world-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "hello.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
