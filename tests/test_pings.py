"""WebSub and IndexNow: off by default; when set, the feeds name the hub and
each change to a story pings the hub for its feeds and IndexNow for its
address."""

import pytest
import requests
from lxml import etree

from .factories import ArticleFactory, BylineFactory, JournalistFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
KEY = "5f2b8c0e9d1a4b7c"


def links(client, path, rel):
    response = client.get(path)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return [
        element.get("href")
        for element in root.iter(f"{ATOM}link")
        if element.get("rel") == rel
    ]


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_feeds_name_the_hub_and_themselves_when_websub_is_on(client, settings, path):
    ArticleFactory()
    settings.WEBSUB_HUB_URL = "https://hub.example/"
    assert links(client, path, "hub") == ["https://hub.example/"]
    assert links(client, path, "self") == [f"http://testserver{path}"]


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/sections/city/atom/"])
def test_feeds_name_no_hub_when_websub_is_off(client, settings, path):
    ArticleFactory()
    settings.WEBSUB_HUB_URL = ""
    assert links(client, path, "hub") == []


def test_a_changed_story_pings_the_hub_for_every_feed_it_is_in(
    tasks, receiver, settings
):
    settings.WEBSUB_HUB_URL = receiver.url
    story = ArticleFactory()
    BylineFactory(article=story, journalist=JournalistFactory(slug="mara-quint"))
    tasks.emit("updated", story)
    tasks.run()

    assert {request.path for request in receiver.received} == {"/hook"}
    forms = [request.form() for request in receiver.received]
    assert all(form["hub.mode"] == ["publish"] for form in forms)
    assert sorted(url for form in forms for url in form["hub.url"]) == sorted(
        f"http://testserver{path}"
        for path in (
            "/feeds/rss/",
            "/feeds/atom/",
            "/feeds/sections/city/rss/",
            "/feeds/sections/city/atom/",
            "/feeds/authors/mara-quint/rss/",
            "/feeds/authors/mara-quint/atom/",
        )
    )


def test_a_killed_story_pings_the_hub_too(tasks, receiver, settings):
    settings.WEBSUB_HUB_URL = receiver.url
    tasks.emit("killed", ArticleFactory())
    tasks.run()
    assert len(receiver.received) == 4  # site and section, RSS and Atom


def test_the_indexnow_key_file_is_served_only_when_set(client, settings):
    settings.INDEXNOW_KEY = KEY
    response = client.get(f"/{KEY}.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == KEY
    assert client.get("/0000000000000000.txt").status_code == 404
    assert client.get("/robots.txt").status_code == 200

    settings.INDEXNOW_KEY = ""
    assert client.get(f"/{KEY}.txt").status_code == 404


def test_a_published_story_is_sent_to_indexnow(tasks, receiver, settings):
    settings.INDEXNOW_KEY = KEY
    settings.INDEXNOW_ENDPOINT = receiver.url
    story = ArticleFactory()
    tasks.emit("published", story)
    tasks.run()

    [request] = receiver.received
    assert request.json() == {
        "host": "testserver",
        "key": KEY,
        "keyLocation": f"http://testserver/{KEY}.txt",
        "urlList": [f"http://testserver{story.get_absolute_url()}"],
    }


def test_no_ping_leaves_when_neither_is_set(tasks, monkeypatch):
    sent = []
    monkeypatch.setattr(
        requests.Session, "request", lambda self, *a, **k: sent.append(a)
    )
    story = ArticleFactory()
    for kind in ("published", "updated", "corrected", "unpublished", "killed"):
        tasks.emit(kind, story)
    tasks.run()
    assert sent == []
