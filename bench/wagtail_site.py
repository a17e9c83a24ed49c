"""A throwaway Wagtail 8 site serving the same stories, for bench/pages.py.

Nothing of Wagtail's is kept in the repository: ``build()`` makes a virtual
environment under /tmp (``pip install "wagtail==8.0.*" gunicorn
"psycopg[binary]"`` from PyPI, reused on the next run), writes a minimal
Wagtail project into a temporary folder (the project template's apps and
middleware, DEBUG off, the cached template loader that DEBUG off implies), with
a ``StoryPage`` model (headline as the page title, standfirst, byline,
publication time, rich-text body) under one ``SectionPage`` per section, and
fills it with the stories ``bench/pages.py`` exported from our database: the
measured story and the other stories of its section, so "more in this
section" has the same stories to list. The story's template shows what ours
shows of it: section, headline, standfirst, byline, time, body, a menu of the
sections and the five newest other stories of its section.

    .venv/bin/python bench/pages.py --wagtail   # builds it, serves it beside ours
    .venv/bin/python bench/story_loop.py --wagtail --instructions
        # the same story in-process, instructions per request, ours and its

``build()`` also writes ``loop.py`` into the site's folder: the story page
in-process through Django's WSGI handler, every middleware included, as
``bench/story_loop.py`` runs ours (run with the Wagtail environment's python;
``bench/story_loop.py --wagtail`` does).

``NEWSROOM_BENCH_WAGTAIL_VENV`` names another folder for the environment.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlsplit

VENV = Path(
    os.environ.get("NEWSROOM_BENCH_WAGTAIL_VENV", "/tmp/newsroom-bench-wagtail-venv")
)
REQUIREMENTS = ["wagtail==8.0.*", "gunicorn", "psycopg[binary]"]

SETTINGS = """\
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "news",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
ROOT_URLCONF = "site_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = "site_wsgi.application"
url = urlsplit(os.environ.get("WAGTAIL_BENCH_DATABASE_URL", ""))
if url.scheme.startswith("postgres"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": url.path.lstrip("/"),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": url.port or "",
            "CONN_MAX_AGE": 600,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "wagtail.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-gb"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
WAGTAIL_SITE_NAME = "Bench"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
"""

URLS = """\
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]
"""

WSGI = """\
import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_settings")
application = get_wsgi_application()
"""

MODELS = """\
from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class SectionPage(Page):
    subpage_types = ["news.StoryPage"]


class StoryPage(Page):
    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=255, blank=True)
    published_at = models.DateTimeField()
    body = RichTextField()
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    parent_page_types = ["news.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        section = self.get_parent()
        context["section"] = section
        context["menu"] = section.get_parent().get_children().live().in_menu()
        context["more"] = (
            StoryPage.objects.live().child_of(section).not_page(self)
            .order_by("-published_at")[:5]
        )
        return context
"""

BASE_TEMPLATE = """\
{% load wagtailcore_tags %}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} — Bench</title>
<meta name="description" content="{% block description %}{% endblock %}">
</head>
<body>
<header><a href="/">Bench</a>
<nav><ul>{% for item in menu %}
<li><a href="{% pageurl item %}">{{ item.title }}</a></li>
{% endfor %}</ul></nav>
</header>
<main>{% block content %}{% endblock %}</main>
<footer><p>Bench</p></footer>
</body>
</html>
"""

STORY_TEMPLATE = """\
{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block title %}{{ page.title }}{% endblock %}
{% block description %}{{ page.standfirst|default:page.title }}{% endblock %}
{% block content %}
<article>
  <p><a href="{% pageurl section %}">{{ section.title }}</a></p>
  <h1>{{ page.title }}</h1>
  {% if page.standfirst %}<p>{{ page.standfirst }}</p>{% endif %}
  {% if page.byline %}<p>By {{ page.byline }}</p>{% endif %}
  <p>Published <time datetime="{{ page.published_at|date:'c' }}">
    {{ page.published_at|date:"j F Y, H:i" }}</time></p>
  <div>{{ page.body|richtext }}</div>
</article>
{% if more %}
<aside><h2>More in {{ section.title }}</h2><ul>
{% for story in more %}
<li><a href="{% pageurl story %}">{{ story.title }}</a>
  {{ story.published_at|date:"j F Y" }}</li>
{% endfor %}
</ul></aside>
{% endif %}
{% endblock %}
"""

SECTION_TEMPLATE = """\
{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block title %}{{ page.title }}{% endblock %}
{% block content %}<h1>{{ page.title }}</h1>{% endblock %}
"""

FILL = """\
import json, sys
from datetime import datetime
import django
django.setup()
from wagtail.models import Page, Site
from news.models import SectionPage, StoryPage

data = json.load(open(sys.argv[1]))
home = Site.objects.get(is_default_site=True).root_page.specific
home.title = "Bench"
home.save()
sections = {}
for section in data["sections"]:
    sections[section["slug"]] = home.add_child(
        instance=SectionPage(
            title=section["name"], slug=section["slug"], show_in_menus=True
        )
    )
for story in data["stories"]:
    when = datetime.fromisoformat(story["published_at"])
    sections[story["section"]].add_child(instance=StoryPage(
        title=story["headline"], slug=story["slug"], standfirst=story["standfirst"],
        byline=story["byline"], published_at=when, body=story["body"],
        first_published_at=when, last_published_at=when,
    ))
print(StoryPage.objects.get(slug=data["story"]).url)
"""

# The story page in-process, as bench/story_loop.py runs ours: through
# Django's WSGI handler, every middleware, the environ gunicorn would give.
LOOP = """\
import argparse, io, json, os, statistics, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
saved = json.loads((HERE / "loop.json").read_text())
os.environ.update(saved["env"])
sys.path.insert(0, str(HERE))
os.chdir(HERE)
parser = argparse.ArgumentParser()
parser.add_argument("--requests", type=int, default=500)
parser.add_argument("--warmup", type=int, default=20)
options = parser.parse_args()
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

path = saved["path"]
handler = WSGIHandler()
statuses = []

def environ():
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8191",
        "HTTP_HOST": "127.0.0.1:8191", "HTTP_USER_AGENT": "story_loop",
        "HTTP_ACCEPT": "*/*", "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
    }

def request():
    out = handler(environ(), lambda status, _: statuses.append(status))
    body = b"".join(out)
    out.close()
    return body

body = b""
for _ in range(options.warmup):
    body = request()
queries = []

def count(execute, sql, params, many, context):
    queries.append(sql)
    return execute(sql, params, many, context)

with connection.execute_wrapper(count):
    request()
times = []
cpu = time.process_time()
for _ in range(options.requests):
    start = time.perf_counter()
    request()
    times.append(time.perf_counter() - start)
cpu = time.process_time() - cpu
bad = [s for s in statuses if not s.startswith("200")]
if bad:
    raise SystemExit(f"{path}: {bad[0]}")
if times:
    print(
        f"Wagtail {path}: {len(body):,} bytes, {len(queries)} queries; "
        f"{len(times)} requests: median {statistics.median(times) * 1000:.3f} "
        f"ms, best {min(times) * 1000:.3f} ms, CPU "
        f"{cpu / len(times) * 1000:.3f} ms per request"
    )
"""

# What bench/pages.py runs in our project's shell to export the stories.
EXPORT = """\
import json
from articles.models import Article, Section
from articles.queries import with_story_data
story = with_story_data(Article.objects.published()).get(pk={pk})
stories = [story, *with_story_data(Article.objects.published())
    .filter(section=story.section).exclude(pk=story.pk).order_by("-published_at")[:50]]
def byline(article):
    names = [b.journalist.name for b in article.author_bylines]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "".join(names)
print(json.dumps({{
    "story": story.slug,
    "sections": [{{"name": s.name, "slug": s.slug}} for s in Section.objects.all()],
    "stories": [{{
        "headline": a.headline, "slug": a.slug, "standfirst": a.standfirst,
        "byline": byline(a), "published_at": a.published_at.isoformat(),
        "body": str(a.body), "section": a.section.slug,
    }} for a in stories],
}}))
"""


def _run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def ensure_venv(log=print):
    """The Wagtail virtual environment under /tmp, made once."""
    marker = VENV / ".installed"
    if marker.exists():
        return VENV / "bin"
    log(f"making {VENV} (pip install {' '.join(REQUIREMENTS)})")
    _run([sys.executable, "-m", "venv", "--clear", str(VENV)])
    _run([str(VENV / "bin" / "pip"), "install", "-q", *REQUIREMENTS])
    marker.write_text("\n".join(REQUIREMENTS) + "\n")
    return VENV / "bin"


def build(folder, data, *, secret_key, database_url=None, log=print):
    """Write and fill the Wagtail site in ``folder``; returns (gunicorn, env,
    the story's path)."""
    bin_dir = ensure_venv(log)
    folder = Path(folder)
    (folder / "news" / "templates" / "news").mkdir(parents=True)
    (folder / "templates").mkdir()
    files = {
        "site_settings.py": SETTINGS,
        "site_urls.py": URLS,
        "site_wsgi.py": WSGI,
        "news/__init__.py": "",
        "news/models.py": MODELS,
        "templates/base.html": BASE_TEMPLATE,
        "news/templates/news/story_page.html": STORY_TEMPLATE,
        "news/templates/news/section_page.html": SECTION_TEMPLATE,
        "fill.py": FILL,
        "loop.py": LOOP,
    }
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    (folder / "stories.json").write_text(json.dumps(data))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="site_settings",
        SECRET_KEY=secret_key,
        WAGTAIL_BENCH_DATABASE_URL=database_url or "",
    )
    if database_url:
        _reset_postgres_database(bin_dir, database_url, env, folder)
    python = str(bin_dir / "python")
    log("building the Wagtail site (makemigrations, migrate, fill)")
    _run([python, "-m", "django", "makemigrations", "news"], cwd=folder, env=env)
    _run([python, "-m", "django", "migrate", "--noinput"], cwd=folder, env=env)
    path = _run([python, "fill.py", "stories.json"], cwd=folder, env=env)
    path = path.stdout.strip().splitlines()[-1]
    saved = {
        name: env[name]
        for name in (
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "WAGTAIL_BENCH_DATABASE_URL",
        )
    }
    (folder / "loop.json").write_text(json.dumps({"env": saved, "path": path}))
    return bin_dir / "gunicorn", env, path


def _reset_postgres_database(bin_dir, database_url, env, folder):
    url = urlsplit(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    script = (
        "import sys, psycopg\n"
        "with psycopg.connect(sys.argv[1], autocommit=True) as c:\n"
        "    c.execute(f'DROP DATABASE IF EXISTS \"{sys.argv[2]}\"')\n"
        "    c.execute(f'CREATE DATABASE \"{sys.argv[2]}\"')\n"
    )
    _run([str(bin_dir / "python"), "-c", script, unquote(admin), name], env=env)
