"""The Content-Security-Policy: on every kind of page, strict, and nothing in our
markup that it would block (inline styles, event handlers, scripts without the
nonce). tests/browser/test_csp.py proves the same pages work in Chromium."""

import base64
import hashlib
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import reversion
from django.core.files.base import ContentFile
from django.urls import reverse

from media.services import attach_picture

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    PhotoFactory,
    QuoteFactory,
)
from .picture_files import jpeg

ROOT = Path(__file__).resolve().parents[1]
EMPTY_STYLE_HASH = "'sha256-{}'".format(
    base64.b64encode(hashlib.sha256(b"").digest()).decode()
)
# Every directive but script-src, whose nonce changes with each request.
POLICY = {
    "default-src": ["'self'"],
    "style-src": ["'self'", EMPTY_STYLE_HASH],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

pytestmark = pytest.mark.django_db


def directives(header):
    """``"a x; b y z"`` → ``{"a": ["x"], "b": ["y", "z"]}``."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def policy_of(response):
    assert "Content-Security-Policy-Report-Only" not in response.headers
    return directives(response.headers["Content-Security-Policy"])


def nonce_of(policy):
    """The nonce script-src allows, or None."""
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) <= 1, policy["script-src"]
    return nonces[0][len("'nonce-") : -1] if nonces else None


# Script types the browser runs, so the policy applies; data blocks (JSON,
# JSON-LD) are never run.
RUNNABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "importmap"}


class Markup(HTMLParser):
    """The tags of a page, with the text inside each <script> and <style>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attributes, text) in document order
        self._raw = None  # the text of the <script> or <style> being read
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        text = []
        self.tags.append((tag, dict(attrs), text))
        if tag in {"script", "style"}:
            self._raw = text

    def handle_endtag(self, tag):
        self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw.append(data)

    def elements(self, name):
        return [(attrs, "".join(text)) for tag, attrs, text in self.tags if tag == name]

    def inline_scripts(self, *, runnable=False):
        return [
            attrs
            for attrs, _ in self.elements("script")
            if "src" not in attrs
            and (not runnable or attrs.get("type", "") in RUNNABLE_SCRIPT_TYPES)
        ]


@pytest.fixture
def site():
    """One of everything a page can show, and two saved versions of a story."""
    photo = attach_picture(
        photo=PhotoFactory(image="", focal_x=0.25, focal_y=0.75),
        file=ContentFile(jpeg((640, 360))),
        name="harbour.jpg",
    )
    story = ArticleFactory(
        harbour=True, lead_photo=photo, headline="Harbour wall vote passes"
    )
    story.tags.add("flooding")
    byline = BylineFactory(article=story)
    quote = QuoteFactory(article=story)
    CorrectionFactory(article=story)
    for headline in ["Harbour wall vote passes", "Harbour wall vote passes 9-2"]:
        with reversion.create_revision():
            story.headline = headline
            story.save()
    return {"story": story, "photo": photo, "byline": byline, "quote": quote}


def reader_url(name, site):
    story = site["story"]
    return {
        "home": lambda: reverse("articles:index"),
        "story": story.get_absolute_url,
        "section": lambda: reverse("articles:section", args=[story.section.slug]),
        "search": lambda: reverse("articles:search") + "?q=harbour",
        "tag": lambda: reverse("articles:tag", args=["flooding"]),
        "source": lambda: reverse("people:source", args=[site["quote"].source.slug]),
        "author": site["byline"].journalist.get_absolute_url,
        "corrections": lambda: reverse("articles:corrections"),
        "not found": lambda: "/no-such-section/no-such-story/",
        "API docs": lambda: reverse("api:openapi-view"),
        "admin login": lambda: reverse("admin:login"),
    }[name]()


def desk_url(name, site):
    story, photo = site["story"], site["photo"]
    history = reverse("admin:articles_article_history", args=[story.pk])
    return {
        "desk home": lambda: reverse("admin:index"),
        "story list": lambda: reverse("admin:articles_article_changelist"),
        "new story": lambda: reverse("admin:articles_article_add"),
        "story form": lambda: reverse("admin:articles_article_change", args=[story.pk]),
        "story history": lambda: history,
        "story compare": lambda: (
            reverse("admin:articles_article_compare", args=[story.pk])
            + "?version_id1={}&version_id2={}".format(
                *reversion.models.Version.objects.get_for_object(story)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        ),
        "photo list": lambda: reverse("admin:media_photo_changelist"),
        "photo form": lambda: reverse("admin:media_photo_change", args=[photo.pk]),
        "photo pop-up": lambda: reverse("admin:media_photo_add") + "?_popup=1",
        "journalist form": lambda: reverse(
            "admin:people_journalist_change", args=[site["byline"].journalist.pk]
        ),
        "source list": lambda: reverse("admin:people_source_changelist"),
    }[name]()


READER_PAGES = [
    "home",
    "story",
    "section",
    "search",
    "tag",
    "source",
    "author",
    "corrections",
    "not found",
    "API docs",
    "admin login",
]
DESK_PAGES = [
    "desk home",
    "story list",
    "new story",
    "story form",
    "story history",
    "story compare",
    "photo list",
    "photo form",
    "photo pop-up",
    "journalist form",
    "source list",
]


@pytest.fixture(params=READER_PAGES + DESK_PAGES)
def page(request, site, client, admin_client):
    """(response, HTML) of one page, read as a reader or as a desk superuser."""
    name = request.param
    if name in READER_PAGES:
        response = client.get(reader_url(name, site))
    else:
        response = admin_client.get(desk_url(name, site))
    assert response.status_code == (404 if name == "not found" else 200)
    return response, response.content.decode()


def test_every_page_is_served_under_the_strict_policy(page):
    response, _ = page
    policy = policy_of(response)
    nonce = nonce_of(policy)
    assert policy.pop("script-src") == ["'self'"] + ([f"'nonce-{nonce}'"] * bool(nonce))
    assert policy == POLICY
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def test_no_page_has_inline_styles_handlers_or_scripts_without_the_nonce(page):
    response, html = page
    markup = Markup(html)
    assert markup.tags, "the page has markup"
    for tag, attrs, _ in markup.tags:
        assert "style" not in attrs, (tag, attrs)
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not (attrs.get(name) or "").lower().startswith("javascript:")
    # An inline <style> may only be empty (the hash allows nothing else).
    assert [text for _, text in markup.elements("style")] in ([], [""])
    nonce = nonce_of(policy_of(response))
    for attrs in markup.inline_scripts(runnable=True):
        assert nonce is not None and attrs.get("nonce") == nonce, attrs


def test_the_nonce_is_new_on_every_rendering_and_on_the_story_json_ld(client, site):
    """A page rendered afresh gets a new nonce; one served from the page cache
    keeps the policy header it was rendered with, so the pair still match."""
    url = site["story"].get_absolute_url()
    first, cached = client.get(url), client.get(url)
    site["story"].save()  # a change: the next request renders the page again
    second = client.get(url)
    responses = [first, cached, second]
    nonces = [nonce_of(policy_of(response)) for response in responses]
    assert None not in nonces
    assert nonces[0] == nonces[1] != nonces[2]
    for response, nonce in zip(responses, nonces, strict=True):
        [json_ld] = Markup(response.content.decode()).inline_scripts()
        assert json_ld == {"type": "application/ld+json", "nonce": nonce}


def test_a_page_without_inline_scripts_gets_no_nonce(client, site):
    response = client.get(reverse("articles:index"))
    assert Markup(response.content.decode()).inline_scripts() == []
    assert policy_of(response)["script-src"] == ["'self'"]


def test_the_body_editor_import_map_carries_the_nonce(admin_client, site):
    response = admin_client.get(
        reverse("admin:articles_article_change", args=[site["story"].pk])
    )
    markup = Markup(response.content.decode())
    [importmap] = markup.inline_scripts(runnable=True)
    assert importmap["type"] == "importmap"
    assert importmap["nonce"] == nonce_of(policy_of(response))
    # The editor core finds its base styles already there and injects none.
    assert [a for a, _ in markup.elements("style")] == [{"data-tiptap-style": None}]
    stylesheets = [a.get("href") for a, _ in markup.elements("link")]
    assert "/static/admin/prose-editor-core.css" in stylesheets


def test_the_editor_core_styles_we_serve_are_the_ones_its_bundle_injects():
    import django_prose_editor

    bundle = Path(django_prose_editor.__file__).parent / "static"
    bundle = (bundle / "django_prose_editor" / "editor.js").read_text()
    ours = (ROOT / "static" / "admin" / "prose-editor-core.css").read_text()
    rules = ours[ours.index("*/") + 2 :].strip()
    assert rules.startswith(".ProseMirror {")
    assert f"`{rules}`" in bundle


def test_focal_point_marker_is_placed_from_data_not_a_style(admin_client, site):
    response = admin_client.get(
        reverse("admin:media_photo_change", args=[site["photo"].pk])
    )
    [marker] = [
        attrs
        for tag, attrs, _ in Markup(response.content.decode()).tags
        if "focal-point__marker" in (attrs.get("class") or "")
    ]
    assert (marker["data-focal-x"], marker["data-focal-y"]) == ("0.25", "0.75")
    assert "hidden" in marker  # until media/focal-point.js has placed it


def test_history_offers_the_two_newest_versions_for_comparison(admin_client, site):
    story = site["story"]
    newest, older = (
        reversion.models.Version.objects.get_for_object(story)
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    response = admin_client.get(
        reverse("admin:articles_article_history", args=[story.pk])
    )
    radios = [
        (a["name"], int(a["value"]), "checked" in a, a.get("class"))
        for tag, a, _ in Markup(response.content.decode()).tags
        if tag == "input" and a.get("type") == "radio"
    ]
    assert radios == [
        ("version_id1", newest, False, "compare-from--none"),
        ("version_id2", newest, True, None),
        ("version_id1", older, True, None),
        ("version_id2", older, False, None),
    ]


def test_the_stylesheet_hiding_the_newest_from_button_is_on_the_history_page(
    admin_client, site
):
    response = admin_client.get(
        reverse("admin:articles_article_history", args=[site["story"].pk])
    )
    links = [
        a.get("href") for a, _ in Markup(response.content.decode()).elements("link")
    ]
    assert "/static/admin/newsroom.css" in links
    css = (ROOT / "static" / "admin" / "newsroom.css").read_text()
    assert ".compare-from--none {\n  visibility: hidden;" in css


# The policy as the settings build it from the environment -------------------


def policy_under(**env):
    """Both CSP headers as django-csp builds them in a fresh process."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k == "NEWSROOM_VAR_DIR" or not k.startswith(("NEWSROOM_", "DJANGO_ALLOW"))
    }
    script = (
        "import json; from csp.utils import build_policy; "
        "print(json.dumps([build_policy(), build_policy(report_only=True)]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    enforced, report_only = json.loads(result.stdout.strip().splitlines()[-1])
    return directives(enforced), directives(report_only)


@pytest.mark.parametrize(
    ("env", "hosts"),
    [
        ({}, []),
        (
            {
                "NEWSROOM_S3_BUCKET": "photos",
                "NEWSROOM_S3_CUSTOM_DOMAIN": "pictures.news.example",
            },
            ["https://pictures.news.example"],
        ),
        (
            {
                "NEWSROOM_S3_BUCKET": "photos",
                "NEWSROOM_S3_ENDPOINT_URL": "https://store.example:9000/",
            },
            ["https://store.example:9000"],
        ),
        (
            {"NEWSROOM_S3_BUCKET": "photos", "NEWSROOM_S3_REGION": "eu-west-1"},
            [
                "https://photos.s3.amazonaws.com",
                "https://photos.s3.eu-west-1.amazonaws.com",
            ],
        ),
        (
            {"NEWSROOM_CSP_IMAGE_HOSTS": "https://cdn.example, https://maps.example"},
            ["https://cdn.example", "https://maps.example"],
        ),
    ],
    ids=["uploads on disk", "S3 domain", "S3 endpoint", "AWS", "extra hosts"],
)
def test_images_may_come_from_the_photo_store(env, hosts):
    enforced, report_only = policy_under(**env)
    assert enforced["img-src"] == ["'self'", "data:", *hosts]
    assert report_only == {}


def test_production_upgrades_insecure_requests_and_development_does_not():
    development, _ = policy_under(DEBUG="true")
    production, _ = policy_under(
        DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example"
    )
    assert "upgrade-insecure-requests" not in development
    assert production.pop("upgrade-insecure-requests") == []
    assert production == development


def test_report_only_mode_sends_reports_and_blocks_nothing():
    enforced, report_only = policy_under(
        NEWSROOM_CSP_REPORT_ONLY="true",
        NEWSROOM_CSP_REPORT_URI="https://reports.example/csp",
    )
    assert enforced == {}
    assert report_only["report-uri"] == ["https://reports.example/csp"]
    assert report_only["default-src"] == ["'self'"]


@pytest.mark.parametrize(
    "name",
    ["NEWSROOM_CSP_IMAGE_HOSTS", "NEWSROOM_CSP_REPORT_ONLY", "NEWSROOM_CSP_REPORT_URI"],
)
def test_policy_settings_are_documented(name):
    assert f"`{name}`" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSROOM_CSP_IMAGE_HOSTS", "https://cdn.example; script-src *"),
        ("NEWSROOM_CSP_IMAGE_HOSTS", "'unsafe-inline'"),
        ("NEWSROOM_CSP_IMAGE_HOSTS", "cdn.example"),
        ("NEWSROOM_CSP_REPORT_URI", "https://reports.example/csp; script-src *"),
        ("NEWSROOM_CSP_REPORT_URI", "javascript:alert(1)"),
    ],
)
def test_a_policy_setting_that_is_not_an_address_stops_the_site(name, value):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, name: value},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}" in result.stderr


def test_every_admin_list_and_add_page_is_free_of_inline_styles(admin_client, site):
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="admin")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        # Read-only logs (deliveries, task results) have no add page.
        adds = model_admin.has_add_permission(request)
        for page in ["changelist", "add"] if adds else ["changelist"]:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
            response = admin_client.get(url)
            assert response.status_code == 200, url
            markup = Markup(response.content.decode())
            assert not [a for _, a, _ in markup.tags if "style" in a], url
            assert [text for _, text in markup.elements("style")] in ([], [""]), url
            nonce = nonce_of(policy_of(response))
            for attrs in markup.inline_scripts(runnable=True):
                assert nonce is not None and attrs.get("nonce") == nonce, url
