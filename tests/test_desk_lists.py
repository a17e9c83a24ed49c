"""The desk's lists (stories, sources, journalists, photos) render their rows
and filters in one pass (``newsroom.admin_lists``) and show what Django's
admin shows: every column, sort header, link, checkbox, icon and empty value,
with a number of queries that does not grow with the rows on the page."""

import datetime
import re

import pytest
from django.contrib.admin.templatetags import admin_list
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article
from newsroom.templatetags import newsroom_lists
from people.models import Source

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

STORIES = reverse("admin:articles_article_changelist")
SOURCES = reverse("admin:people_source_changelist")
JOURNALISTS = reverse("admin:people_journalist_changelist")
PHOTOS = reverse("admin:media_photo_changelist")


def newsroom(rows, by):
    """``rows`` stories in every state (with and without a lead photo, one
    whose photo has lost its file, one with markup in its headline), as many
    journalists (one inactive), sources (one anonymous) and photos."""
    now = timezone.now()
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    journalists = [JournalistFactory() for _ in range(rows)]
    journalists[-1].is_active = False
    journalists[-1].save()
    sources = [
        SourceFactory(organisation="Water board" if n % 2 else "") for n in range(rows)
    ]
    sources[0].on_record = False
    sources[0].save()
    photos = [PhotoFactory() for _ in range(rows - 1)]
    photos.append(PhotoFactory(image=""))  # lost its file
    stories = []
    for n in range(rows):
        kind = n % 6
        fields = {
            "headline": f"Harbour <b>wall</b> & tide {n}",
            "section": city if n % 2 else sport,
            "lead_photo": photos[n] if n % 3 else None,
            "published_at": now - datetime.timedelta(hours=n + 1),
        }
        if kind == 1:
            fields.update(status=Article.Status.DRAFT, published_at=None)
        story = ArticleFactory(**fields)
        if kind == 2:
            story.published_at = now + datetime.timedelta(days=1)
            story.save()
        elif kind == 3:
            story.embargoed_until = now + datetime.timedelta(hours=5)
            story.save()
        elif kind == 4:
            story.status = Article.Status.IN_REVIEW
            story.save()
        elif kind == 5:
            publishing.kill(article=story, by=by, reason="It named a witness.")
        BylineFactory(article=story, journalist=journalists[n], position=0)
        BylineFactory(article=story, journalist=journalists[(n + 1) % rows], position=1)
        QuoteFactory(article=story, source=sources[n])
        stories.append(story)
    return {
        "stories": stories,
        "journalists": journalists,
        "sources": sources,
        "ids": {"sport": sport.pk, "journalist": journalists[1].pk},
    }


def comparable(html):
    """The page without what differs between two renderings (the CSRF token,
    the CSP nonce) or does not show (whitespace between tags)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r"\s+", " ", html).replace("> <", "><")


PAGES = [
    STORIES,
    STORIES + "?state=published&section__id__exact={sport}",
    f"{STORIES}?o=3.-6",
    f"{STORIES}?q=harbour",
    STORIES + "?journalists__id__exact={journalist}&photo=yes",
    f"{STORIES}?_popup=1&_to_field=id",
    SOURCES,
    f"{SOURCES}?o=-5.1&kind__exact=person",
    f"{SOURCES}?organisation=Water+board",
    JOURNALISTS,
    f"{JOURNALISTS}?is_active__exact=0&o=3",
    PHOTOS,
    f"{PHOTOS}?file=missing",
    f"{PHOTOS}?_popup=1&_to_field=id",
]


@pytest.mark.parametrize("page", PAGES)
def test_each_list_shows_what_djangos_admin_shows(
    page, admin_client, admin_user, monkeypatch
):
    made = newsroom(8, admin_user)
    page = page.format(**made["ids"])
    one_pass = admin_client.get(page)
    assert one_pass.status_code == 200
    # The same list rendered Django's way: ``items_for_result`` for each row,
    # ``admin/filter.html`` for each filter.
    monkeypatch.setattr(
        newsroom_lists, "one_pass_rows", lambda cl: list(admin_list.results(cl))
    )
    monkeypatch.setattr(newsroom_lists, "plain_filter_template", lambda cl: False)
    djangos = admin_client.get(page)
    assert comparable(one_pass.content.decode()) == comparable(djangos.content.decode())
    assert one_pass.content.count(b"<tr") > 2


def test_the_story_list_shows_every_column_link_checkbox_and_state(
    admin_client, admin_user
):
    made = newsroom(6, admin_user)
    page = admin_client.get(STORIES, {"state": "published"}).content.decode()
    published = made["stories"][0]
    # Sort headers for the sortable columns, plain ones for the others.
    for column, number in [("headline", 2), ("state", 3), ("published_at", 6)]:
        assert re.search(
            rf'<th scope="col" class="sortable[^"]*column-{column}[^"]*">.*?'
            rf'<a href="\?o={number}[^"]*state=published',
            page,
            re.S,
        ), column
    assert '<th scope="col" class="column-byline_names">' in page
    # The row: a checkbox labelled with the story, a link to its form that
    # keeps the list's filter, its status, bylines in order and section.
    change = reverse("admin:articles_article_change", args=[published.pk])
    assert (
        f'<input type="checkbox" name="_selected_action" value="{published.pk}" '
        'class="action-select" aria-label="Select this object for an action - '
        'Harbour &lt;b&gt;wall&lt;/b&gt; &amp; tide 0">'
    ) in page
    assert (
        f'<th class="field-headline"><a href="{change}?_changelist_filters='
        'state%3Dpublished">Harbour &lt;b&gt;wall&lt;/b&gt; &amp; tide 0</a></th>'
    ) in page
    assert '<td class="field-state">Published</td>' in page
    assert '<td class="field-byline_names">Reporter' in page
    names = [j.name for j in made["journalists"][:2]]
    assert f'<td class="field-byline_names">{", ".join(names)}</td>' in page
    assert '<td class="field-section nowrap">Sport</td>' in page
    # No lead photo: the story list's empty value ("—", as for a draft's section).
    assert '<td class="field-thumbnail">—</td>' in page

    everything = admin_client.get(STORIES).content.decode()
    assert '<td class="field-state">Draft</td>' in everything
    assert '<td class="field-state">In review</td>' in everything
    assert '<td class="field-state">Scheduled for ' in everything
    assert '<td class="field-state">Embargoed until ' in everything
    assert "It named a witness." in everything  # the kill, with its reason
    assert 'class="story-thumbnail"' in everything  # a photo with its file


def test_the_filters_list_their_choices_and_mark_the_chosen_one(admin_client):
    reporter = JournalistFactory(name="Mara Ortiz")
    BylineFactory(journalist=reporter)
    BylineFactory(journalist=JournalistFactory(name="Teo <Novak>"))
    page = admin_client.get(
        STORIES, {"journalists__id__exact": reporter.pk, "state": "published"}
    ).content.decode()
    # Each journalist's link keeps the list's other filters.
    assert (
        '<li class="selected"><a href="?state=published&amp;journalists__id__exact='
        f'{reporter.pk}">Mara Ortiz</a></li>'
    ) in page
    assert re.search(r'<li><a href="[^"]+">Teo &lt;Novak&gt;</a></li>', page)
    assert re.search(
        r'<li class="selected">\s*<a href="\?journalists__id__exact=\d+&amp;'
        r'state=published">\s*Published</a></li>',
        page,
    )
    SourceFactory(organisation="Harbour & Co")
    sources = admin_client.get(SOURCES).content.decode()
    assert 'data-filter-title="organisation"' in sources
    assert '<a href="?organisation=Harbour+%26+Co">Harbour &amp; Co</a>' in sources
    # Sources with no organisation are a choice with words, and filter.
    SourceFactory(name="Lone Voice", organisation="")
    assert '<a href="?organisation=">No organisation</a>' in (
        admin_client.get(SOURCES).content.decode()
    )
    blank = admin_client.get(SOURCES, {"organisation": ""}).content.decode()
    assert "Lone Voice" in blank and "Source Person" not in blank


def test_the_other_lists_show_counts_icons_and_uses(admin_client, admin_user):
    made = newsroom(6, admin_user)
    sources = admin_client.get(SOURCES).content.decode()
    # Each count links to the source's quotes page.
    assert re.search(
        r'<td class="field-quote_count"><a href="/admin/people/source/\d+/quotes/"'
        r' title="Every quote of this source">1</a></td>',
        sources,
    )
    assert '<td class="field-kind">Person</td>' in sources
    assert 'alt="False"' in sources and 'alt="True"' in sources  # on the record
    assert '<td class="field-last_quoted nowrap">' in sources

    journalists = admin_client.get(JOURNALISTS).content.decode()
    assert '<td class="field-story_count">2</td>' in journalists
    assert '<td class="field-role">Staff reporter</td>' in journalists
    assert '<td class="field-user nowrap">-</td>' in journalists
    assert 'src="/static/admin/img/icon-no' in journalists  # the inactive one

    photos = admin_client.get(PHOTOS).content.decode()
    story = made["stories"][1]
    change = reverse("admin:articles_article_change", args=[story.pk])
    assert f'Lead photo: <a href="{change}">' in photos
    assert '<span class="photo-missing">No file yet</span>' in photos
    assert re.search(r'<th class="field-thumbnail"><a href="[^"]+/change/">', photos)
    assert '<td class="field-file_status"><img src="' in photos


def test_an_anonymous_source_is_listed_by_its_description_to_the_desk(
    client, admin_user, django_user_model
):
    from django.contrib.auth.models import Permission

    newsroom(3, admin_user)
    anonymous = Source.objects.filter(on_record=False).get()
    reader = django_user_model.objects.create_user("desk", password="pw")
    reader.is_staff = True
    reader.save()
    reader.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(reader)
    page = client.get(SOURCES).content.decode()
    assert anonymous.public_name in page
    assert anonymous.name not in page


# The most queries each list may run, for 2 rows as for 20.
CEILINGS = {
    STORIES: 13,
    STORIES + "?state=published&section__id__exact={sport}": 13,
    f"{STORIES}?q=harbour": 13,
    SOURCES: 10,  # with the choices of the section and journalist filters
    JOURNALISTS: 7,
    PHOTOS: 13,
}


@pytest.mark.parametrize("rows", [2, 20], ids=["2 rows", "20 rows"])
@pytest.mark.parametrize("page", CEILINGS)
def test_each_list_runs_the_same_queries_for_2_rows_as_for_20(
    page, rows, admin_client, admin_user, django_assert_max_num_queries
):
    made = newsroom(rows, admin_user)
    with django_assert_max_num_queries(CEILINGS[page]):
        response = admin_client.get(page.format(**made["ids"]))
    assert response.status_code == 200
    shown = response.content.decode().count('<td class="action-checkbox">')
    assert 1 <= shown <= rows
