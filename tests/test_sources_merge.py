"""Merging duplicate sources at the desk: the confirmation page says what will
happen and merges nothing; confirming moves every quote to the source kept."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from people.models import Source

from .factories import ArticleFactory, QuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:people_source_changelist")


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", password="s3cret-pass!", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return user


@pytest.fixture
def duplicates():
    full = SourceFactory(name="Mara Ellis", description="a hydrologist")
    short = SourceFactory(name="M. Ellis", description="")
    QuoteFactory(source=full, text="The river rose a metre overnight.")
    for text in ["We had warned the council.", "The gauges were right."]:
        QuoteFactory(source=short, text=text)
    return full, short


def words(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def radios(html):
    """{value: checked} for each "keep" choice on the page."""
    return {
        value: "checked" in rest
        for value, rest in re.findall(
            r'<input type="radio" name="keep" value="(\d+)"[^>]*?( checked)?>', html
        )
    }


def ask_to_merge(client, *sources, **extra):
    return client.post(
        CHANGELIST,
        {"action": "merge_sources", "_selected_action": [s.pk for s in sources]}
        | extra,
    )


def quotes_of(source):
    return sorted(source.quotes.values_list("text", flat=True))


def test_the_confirmation_page_lists_the_sources_and_merges_nothing(
    client, editor, duplicates
):
    full, short = duplicates

    # Even with a choice made, nothing happens until the page is confirmed.
    response = ask_to_merge(client, full, short, keep=short.pk)

    assert response.status_code == 200
    html = response.content.decode()
    text = words(html)
    assert (
        "Which source should be kept? The quotes of the others move to it, "
        "and the others are deleted." in text
    )
    assert "Mara Ellis — a hydrologist (1 quote)" in text
    assert "M. Ellis (2 quotes)" in text
    # One choice per source, the first selected; Merge and Cancel.
    assert radios(html) == {str(full.pk): True, str(short.pk): False}
    assert 'value="Merge"' in html and f'href="{CHANGELIST}"' in html
    # Nothing merged yet.
    assert Source.objects.count() == 2
    assert quotes_of(full) == ["The river rose a metre overnight."]
    assert len(quotes_of(short)) == 2


def test_confirming_keeps_the_chosen_source_with_every_quote(
    client, editor, duplicates
):
    full, short = duplicates
    article = ArticleFactory(headline="River breaks its banks")
    QuoteFactory(source=full, article=article, text="Stay off the bridge.")
    page = ask_to_merge(client, full, short).content.decode()
    # Post the page's own form back, choosing the second source.
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert form["action"] == "merge_sources" and form["confirm"] == "yes"

    response = client.post(
        CHANGELIST,
        {
            **form,
            "_selected_action": [full.pk, short.pk],
            "keep": short.pk,
        },
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Merged 1 source into “M. Ellis”; its quotes moved there."]
    assert list(Source.objects.values_list("name", flat=True)) == ["M. Ellis"]
    assert quotes_of(short) == [
        "Stay off the bridge.",
        "The gauges were right.",
        "The river rose a metre overnight.",
        "We had warned the council.",
    ]
    assert client.get(f"/sources/{full.slug}/").status_code == 404
    public = client.get(f"/sources/{short.slug}/").content.decode()
    assert "Stay off the bridge." in public


def test_a_choice_outside_the_selection_shows_the_page_again(
    client, editor, duplicates
):
    full, short = duplicates
    other = SourceFactory(name="Ana Nunez")

    response = ask_to_merge(client, full, short, keep=other.pk, confirm="yes")

    assert response.status_code == 200
    assert "Which source should be kept?" in words(response.content.decode())
    assert Source.objects.count() == 3
    assert len(quotes_of(short)) == 2


def test_one_source_alone_cannot_be_merged(client, editor, duplicates):
    full, _ = duplicates

    response = ask_to_merge(client, full, keep=full.pk, confirm="yes")

    assert response.status_code == 302
    response = client.get(response.url)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Select at least two sources to merge."]
    assert Source.objects.count() == 2
