"""A content file the loader cannot store says what is wrong, and stores nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from demo.loader import content

from .picture_files import jpeg


@pytest.fixture(autouse=True)
def quick_pictures(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        "demo.pictures.render_scene", lambda seed, scene, palette: jpeg((320, 180))
    )


def story(slug):
    return next(story for story in content()["stories"] if story["slug"] == slug)


@pytest.mark.django_db
def test_a_contributor_listed_before_an_author_is_refused_clearly(monkeypatch):
    berth = story("harbour-authority-container-berth-plan")
    monkeypatch.setitem(berth, "bylines", list(reversed(berth["bylines"])))

    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=StringIO())

    assert "harbour-authority-container-berth-plan: list its authors first" in str(
        refused.value
    )
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_published_story_without_a_dateline_is_refused_by_the_desks_rules(
    monkeypatch,
):
    monkeypatch.setitem(story("seafront-tram-line-to-reopen"), "dateline", "")

    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=StringIO())

    assert "seafront-tram-line-to-reopen" in str(refused.value)
    assert "nothing was loaded" in str(refused.value)
    assert not Article.objects.exists()
