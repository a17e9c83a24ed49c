"""The story form's fields sized for their content (issue 13): length hints,
tags as chips, SEO title and description with their fallbacks on the story
page, and the search and share-card preview built from what the page emits."""

import datetime
import html as html_module
import json
import re
from dataclasses import replace

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.importing.data import StoryData
from articles.importing.store import store_story
from articles.models import Article
from articles.widgets import (
    RECOMMENDED_LENGTHS,
    format_tag_list,
    parse_tag_list,
)

from .admin_forms import posted_back
from .factories import ArticleFactory, JournalistFactory, PhotoFactory, SectionFactory
from .markup import parse, words

ADD = reverse("admin:articles_article_add")
PREVIEW = reverse("admin:articles_article_card_preview")
LONG_HEADLINE = (
    "Harbour council approves new sea wall after two-year dispute over flood "
    "defences, fishing rights and the cost to the town's ratepayers"
)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def member(username, role):
    user = User.objects.create_user(username, password="s3cret-pass!", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(client):
    user = member("ed", "Editor")
    client.force_login(user)
    return user


def page_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def story_form(section, **overrides):
    return {
        "headline": "Night buses return to the old town",
        "slug": "night-buses-return",
        "standfirst": "Three routes restart on Friday.",
        "body": "<p>The routes restart on Friday.</p>",
        "dateline": "PORT ALDREN",
        "section": section.pk,
        "tags": "",
        "seo_title": "",
        "seo_description": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "loaded_version": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        **overrides,
    }


# Length hints --------------------------------------------------------------


@pytest.mark.django_db
def test_each_text_says_its_recommended_length_and_its_length_now(client, editor):
    article = ArticleFactory(headline=LONG_HEADLINE, seo_title="Sea wall approved")
    page = parse(page_of(client.get(change_url(article))))

    for name, recommended in RECOMMENDED_LENGTHS.items():
        [box] = page.find_all("textarea", name=name)
        assert box.attrs["data-recommended"] == str(recommended)
        assert f"id_{name}_length" in box.attrs["aria-describedby"].split()
        [hint] = page.find_all("p", id=f"id_{name}_length")
        length = len(getattr(article, name))
        assert words(hint.text).startswith(f"{length} of {recommended} recommended")
        [help_text] = page.find_all("div", id=f"id_{name}_helptext")
        assert f"Aim for {recommended} characters or fewer." in words(help_text.text)
    over = len(LONG_HEADLINE) - RECOMMENDED_LENGTHS["headline"]
    [hint] = page.find_all("p", id="id_headline_length")
    assert words(hint.text).endswith(f"— {over} over")


@pytest.mark.django_db
def test_the_headline_box_holds_the_whole_headline(client, editor):
    article = ArticleFactory(headline=LONG_HEADLINE)
    page = parse(page_of(client.get(change_url(article))))

    [box] = page.find_all("textarea", name="headline")
    assert box.text.strip() == LONG_HEADLINE
    assert box.attrs["maxlength"] == "300"
    assert "story-text--line" in box.attrs["class"]


@pytest.mark.django_db
def test_a_headline_with_a_line_break_is_saved_on_one_line(client, editor):
    section = SectionFactory()
    response = client.post(
        ADD, story_form(section, headline="Night buses\r\nreturn to the old town")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get().headline == "Night buses return to the old town"


# Tags ----------------------------------------------------------------------

AWKWARD_TAGS = [
    "city council",
    "Smith, John",
    'Dwayne "The Rock" Johnson',
    '"Quoted" at the start',
    'comma, and "quotes"',
    "night market",
]


def test_a_tag_line_reads_back_every_tag_however_awkward():
    line = format_tag_list(AWKWARD_TAGS)
    assert parse_tag_list(line) == AWKWARD_TAGS


@pytest.mark.parametrize(
    "line, tags",
    [
        ("city council, night market", ["city council", "night market"]),
        ('"Smith, John", harbour', ["Smith, John", "harbour"]),
        ("harbour,  harbour , ,", ["harbour"]),
        ('  "unfinished, quote', ["unfinished, quote"]),
        ("", []),
    ],
)
def test_a_typed_tag_line_is_split_on_commas_only(line, tags):
    assert parse_tag_list(line) == tags


@pytest.mark.django_db
def test_tags_with_commas_and_quotes_survive_a_save_and_the_form(client, editor):
    section = SectionFactory()
    response = client.post(ADD, story_form(section, tags=format_tag_list(AWKWARD_TAGS)))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert sorted(article.tags.names()) == sorted(AWKWARD_TAGS)

    page = parse(page_of(client.get(change_url(article))))
    [line] = page.find_all("input", name="tags")
    assert "data-tag-chips" in line.attrs
    assert sorted(parse_tag_list(line.attrs["value"])) == sorted(AWKWARD_TAGS)


@pytest.mark.django_db
def test_a_plain_comma_separated_line_is_what_a_form_without_script_sends(
    client, editor
):
    section = SectionFactory()
    client.post(ADD, story_form(section, tags="city council, night market"))
    assert sorted(Article.objects.get().tags.names()) == [
        "city council",
        "night market",
    ]


# SEO fields on the story page -----------------------------------------------


def head_values(html):
    """What search engines and share cards read from a story page's head."""
    page = parse(html)
    [title] = page.find_all("title")
    metas = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs["content"]
        for m in page.find_all("meta")
        if "content" in m.attrs
    }
    blocks = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.DOTALL
    )
    [data] = [json.loads(b) for b in blocks if '"NewsArticle"' in b]
    return {"title": title.text, "meta": metas, "json_ld": data}


@pytest.mark.django_db
def test_without_seo_fields_the_page_uses_the_headline_and_standfirst(client):
    story = ArticleFactory(seo_title="", seo_description="")
    head = head_values(page_of(client.get(story.get_absolute_url())))

    assert head["title"] == f"{story.headline} — The Newsroom"
    assert head["meta"]["description"] == story.standfirst
    assert head["meta"]["og:title"] == head["meta"]["twitter:title"] == story.headline
    assert head["meta"]["og:description"] == story.standfirst
    assert head["meta"]["twitter:description"] == story.standfirst
    assert head["json_ld"]["headline"] == story.headline
    assert head["json_ld"]["description"] == story.standfirst


@pytest.mark.django_db
def test_the_seo_title_and_description_lead_in_search_and_share_cards(client):
    story = ArticleFactory(
        seo_title="Sea wall approved after two-year fight",
        seo_description="Port Aldren will build a 2 km sea wall, the council decided.",
    )
    head = head_values(page_of(client.get(story.get_absolute_url())))

    assert head["title"] == "Sea wall approved after two-year fight — The Newsroom"
    for key in ("og:title", "twitter:title"):
        assert head["meta"][key] == story.seo_title
    for key in ("description", "og:description", "twitter:description"):
        assert head["meta"][key] == story.seo_description
    # The structured data's headline is the one readers see on the page.
    assert head["json_ld"]["headline"] == story.headline
    assert head["json_ld"]["description"] == story.seo_description
    assert story.headline in page_of(client.get(story.get_absolute_url()))


@pytest.mark.django_db
def test_a_story_without_standfirst_is_described_by_its_headline(client):
    story = ArticleFactory(standfirst="", seo_description="")
    head = head_values(page_of(client.get(story.get_absolute_url())))
    assert head["meta"]["description"] == head["meta"]["og:description"]
    assert head["meta"]["og:description"] == story.headline
    assert head["json_ld"]["description"] == story.headline


# The card preview -----------------------------------------------------------


def preview_values(html):
    """What the form's preview shows, field by field (``data-card-field``)."""
    return {
        element.attrs["data-card-field"]: words(element.text)
        for element in parse(html).elements
        if "data-card-field" in element.attrs
    }


def preview_address(html):
    [url] = [
        e for e in parse(html).elements if e.attrs.get("class") == "search-card__url"
    ]
    return words(url.text)


def preview_image(html):
    images = [
        e
        for e in parse(html).find_all("img")
        if e.attrs.get("class") == "share-card__image"
    ]
    return images[0].attrs if images else None


@pytest.mark.django_db
@pytest.mark.parametrize("seo", [False, True])
def test_the_form_previews_what_the_story_page_emits(client, editor, seo):
    photo = PhotoFactory(alt_text="Waves over the old harbour wall.")
    story = ArticleFactory(
        lead_photo=photo,
        seo_title="Sea wall approved" if seo else "",
        seo_description="A 2 km wall, the council decided." if seo else "",
    )
    story.tags.add("flood defences")
    form_page = page_of(client.get(change_url(story)))
    client.logout()
    head = head_values(page_of(Client().get(story.get_absolute_url())))

    shown = preview_values(form_page)
    assert shown == {
        "title": head["title"],
        "description": head["meta"]["description"],
        "og_title": head["meta"]["og:title"],
        "og_description": head["meta"]["og:description"],
    }
    assert preview_address(form_page) == head["meta"]["og:url"]
    image = preview_image(form_page)
    assert image["src"] == head["meta"]["og:image"]
    assert image["alt"] == head["meta"]["og:image:alt"] == photo.alt_text


@pytest.mark.django_db
def test_the_preview_follows_the_form_and_matches_the_page_after_the_save(
    client, editor
):
    story = ArticleFactory()
    changes = {
        "headline": "Sea wall vote: council says yes",
        "standfirst": "Nine votes to two.",
        "seo_title": "Port Aldren approves its sea wall",
        "seo_description": "",
        "slug": "sea-wall-vote",
    }
    response = client.post(PREVIEW, {"story": story.pk, **changes})
    shown = page_of(response)
    assert response["Cache-Control"].startswith("max-age=0")
    Article.objects.filter(pk=story.pk).update(**changes)
    client.logout()
    story.refresh_from_db()
    head = head_values(page_of(Client().get(story.get_absolute_url())))

    assert preview_values(shown) == {
        "title": head["title"],
        "description": "Nine votes to two.",
        "og_title": "Port Aldren approves its sea wall",
        "og_description": "Nine votes to two.",
    }
    assert head["meta"]["description"] == "Nine votes to two."
    assert preview_address(shown) == head["meta"]["og:url"]
    assert head["meta"]["og:url"].endswith("/city/sea-wall-vote/")


@pytest.mark.django_db
def test_a_new_story_is_previewed_once_it_has_an_address(client, editor):
    section = SectionFactory(name="Sport", slug="sport")
    shown = page_of(client.post(PREVIEW, {"headline": "Late goal wins the derby"}))
    assert preview_values(shown)["og_title"] == "Late goal wins the derby"
    assert "No address yet: choose a section and an address." in words(
        html_module.unescape(shown)
    )

    shown = page_of(
        client.post(
            PREVIEW,
            {"headline": "Late goal", "slug": "late-goal", "section": section.pk},
        )
    )
    assert preview_address(shown) == "http://testserver/sport/late-goal/"


@pytest.mark.django_db
def test_the_add_and_change_forms_show_the_preview(client, editor):
    for url in (ADD, change_url(ArticleFactory())):
        page = parse(page_of(client.get(url)))
        [section] = page.find_all(
            "section", **{"aria-labelledby": "card-preview-heading"}
        )
        assert section.attrs["data-card-preview-url"] == PREVIEW


@pytest.mark.django_db
@pytest.mark.parametrize("tags", [2, 20])
def test_the_preview_reads_a_fixed_number_of_rows(
    client, editor, tags, django_assert_max_num_queries
):
    story = ArticleFactory(lead_photo=PhotoFactory())
    story.tags.add(*(f"tag {n}" for n in range(tags)))
    with django_assert_max_num_queries(12):
        response = client.post(PREVIEW, {"story": story.pk, "headline": "New"})
    assert preview_values(page_of(response))["og_title"] == "New"


# Who may ask for a preview --------------------------------------------------


@pytest.mark.django_db
def test_the_preview_is_for_signed_in_staff_only(client):
    story = ArticleFactory()
    response = client.post(PREVIEW, {"story": story.pk})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_the_preview_of_an_embargoed_story_is_only_for_those_it_is_shown_to(client):
    reporter = member("rita", "Reporter")
    JournalistFactory(user=reporter)
    held = ArticleFactory(embargoed_until=timezone.now() + datetime.timedelta(days=1))
    client.force_login(reporter)
    assert client.post(PREVIEW, {"story": held.pk}).status_code == 403
    # Another's draft they may read at the desk, and so preview.
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.post(PREVIEW, {"story": draft.pk}).status_code == 200
    # And a new story of their own.
    assert client.post(PREVIEW, {"headline": "Mine"}).status_code == 200
    client.force_login(member("ed2", "Editor"))
    assert client.post(PREVIEW, {"story": held.pk}).status_code == 200


@pytest.mark.django_db
def test_staff_without_story_permissions_get_no_preview(client):
    user = User.objects.create_user("viewer", password="x-pass-2026", is_staff=True)
    client.force_login(user)
    assert client.post(PREVIEW, {"headline": "Anything"}).status_code == 403


@pytest.mark.django_db
def test_the_preview_needs_a_post_with_the_csrf_token(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.get(PREVIEW).status_code == 405
    assert browser.post(PREVIEW, {"headline": "Forged"}).status_code == 403


@pytest.mark.django_db
def test_a_missing_story_or_bad_values_get_a_clear_answer(client, editor):
    assert client.post(PREVIEW, {"story": "999999"}).status_code == 404
    assert client.post(PREVIEW, {"story": "not-a-number"}).status_code == 404
    assert client.post(PREVIEW, {"story": "9" * 30}).status_code == 404
    story = ArticleFactory()
    response = client.post(
        PREVIEW,
        {"story": story.pk, "section": "9" * 30, "lead_photo": "y", "slug": ""},
    )
    assert response.status_code == 200
    assert "No address yet: choose a section and an address." in words(
        html_module.unescape(response.content.decode())
    )


# History -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_restore_brings_back_the_seo_title_and_description_and_says_so(
    client, editor
):
    story = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        seo_title="Sea wall vote delayed",
        seo_description="The council put off its vote.",
    )
    with reversion.create_revision():
        reversion.add_to_revision(story)
    version = Version.objects.get_for_object(story).first()
    Article.objects.filter(pk=story.pk).update(seo_title="", seo_description="")
    url = reverse("admin:articles_article_revision", args=[story.pk, version.pk])

    response = client.post(url, posted_back(client.get(url)), follow=True)

    story.refresh_from_db()
    assert story.seo_title == "Sea wall vote delayed"
    assert story.seo_description == "The council put off its vote."
    [message] = [str(m) for m in response.context["messages"]]
    assert "SEO title, SEO description changed" in message


# The importer ----------------------------------------------------------------


@pytest.mark.django_db
def test_imported_stories_leave_the_seo_fields_to_the_desk():
    copy = StoryData(
        format="text",
        identity="text:harbour",
        headline="Harbour reopens",
        standfirst="Boats are back.",
        published_on=datetime.date(2024, 3, 5),
    )
    article = store_story(copy).article
    article.refresh_from_db()
    assert (article.seo_title, article.seo_description) == ("", "")
    assert article.meta_title == "Harbour reopens"
    assert article.meta_description == "Boats are back."

    Article.objects.filter(pk=article.pk).update(seo_title="Harbour open again")
    refreshed = replace(copy, standfirst="Boats are back, and the ferry.")
    assert store_story(refreshed, update=True).status == "updated"
    article.refresh_from_db()
    assert article.standfirst == "Boats are back, and the ferry."
    assert article.seo_title == "Harbour open again"
