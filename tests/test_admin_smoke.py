from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article

from .factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    PublicationFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)
from .markup import parse, table_rows, words

pytestmark = pytest.mark.django_db

MODELS = [
    ("articles", "article"),
    ("articles", "section"),
    ("articles", "publication"),
    ("people", "journalist"),
    ("people", "source"),
    ("articles", "quote"),
    ("media", "photo"),
]


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_every_admin_list_search_and_add_page_opens(admin_client, app, model):
    # A smoke test: that each page opens at all is the point here. What the
    # search finds is checked row by row in the tests below.
    QuoteFactory(article=BylineFactory().article)
    PhotoFactory(image="")
    PublicationFactory()
    changelist = reverse(f"admin:{app}_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "harbour"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


def search_rows(client, app, model, query):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": query})
    assert response.status_code == 200
    return table_rows(response.content.decode())


def test_story_search_lists_the_stories_with_the_word_and_only_those(admin_client):
    ferry = ArticleFactory(
        headline="Ferry timetable changes on Monday",
        body="<p>The first crossing now leaves at six.</p>",
    )
    BylineFactory(article=ferry, journalist__name="Mara Quint")
    bakery = ArticleFactory(
        headline="Old bakery reopens",
        standfirst="Queues form before six.",
        body="<p>The ovens were rebuilt by the Ferrante family.</p>",
    )
    BylineFactory(article=bakery, journalist__name="Teo Vance")
    ArticleFactory(headline="Council meets", body="<p>Nothing else.</p>")

    every_headline = [article.headline for article in Article.objects.all()]

    def headlines(query):
        """The stories whose rows the search result shows."""
        rows = search_rows(admin_client, "articles", "article", query)
        return sorted(h for h in every_headline if any(h in row for row in rows))

    assert headlines("crossing") == [ferry.headline]  # a word in the body only
    assert headlines("ovens") == [bakery.headline]
    assert headlines("Quint") == [ferry.headline]  # the byline
    assert headlines("Vance") == [bakery.headline]
    assert headlines("six") == sorted([bakery.headline, ferry.headline])
    assert headlines("timetable") == [ferry.headline]  # the headline
    assert headlines("hovercraft") == []
    [row] = search_rows(admin_client, "articles", "article", "Quint")
    assert "Mara Quint" in row and "Published" in row  # what the row says


SEARCHES = {
    "section by name": (
        "articles",
        "section",
        lambda: (SectionFactory(name="Weather"), SectionFactory(name="Sport")),
        "weath",
    ),
    "publication by name": (
        "articles",
        "publication",
        lambda: (
            PublicationFactory(name="Harbour Gazette"),
            PublicationFactory(name="Inland Times"),
        ),
        "gazette",
    ),
    "journalist by role": (
        "people",
        "journalist",
        lambda: (
            JournalistFactory(name="Ana Ruiz", role="Photographer"),
            JournalistFactory(name="Teo Vance", role="Court reporter"),
        ),
        "photog",
    ),
    "source by organisation": (
        "people",
        "source",
        lambda: (
            SourceFactory(name="Mara Ellis", organisation="Tamsin University"),
            SourceFactory(name="Olu Ade", organisation="Port Authority"),
        ),
        "tamsin",
    ),
    "quote by its speaker": (
        "articles",
        "quote",
        lambda: (
            QuoteFactory(text="The wall will hold.", source__name="Mara Ellis"),
            QuoteFactory(text="Fares must fall.", source__name="Olu Ade"),
        ),
        "ellis",
    ),
    "photo by credit": (
        "media",
        "photo",
        lambda: (
            PhotoFactory(image="", caption="Gulls on the pier.", credit="Sok Dara"),
            PhotoFactory(image="", caption="A quiet market.", credit="Ana Ruiz"),
        ),
        "dara",
    ),
}


@pytest.mark.parametrize("case", SEARCHES.values(), ids=SEARCHES.keys())
def test_admin_search_lists_the_match_and_not_the_others(admin_client, case):
    app, model, make, query = case
    match, other = make()

    [row] = search_rows(admin_client, app, model, query)

    assert str(match) in row and str(other) not in row
    everything = search_rows(admin_client, app, model, "")
    assert any(str(other) in r for r in everything)  # the other is listed unsearched


def test_editor_can_create_and_publish_a_story_in_the_admin(admin_client, client):
    section = SectionFactory(name="City", slug="city")
    journalist = JournalistFactory()
    photo = PhotoFactory()
    data = {
        "headline": "Night buses return to the old town",
        "slug": "night-buses-return",
        "standfirst": "Three routes restart on Friday.",
        "body": "<p>The routes restart on Friday.</p><script>x()</script>",
        "dateline": "PORT ALDREN",
        "lead_photo": photo.pk,
        "section": section.pk,
        "tags": "transport, nightlife",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-journalist": journalist.pk,
        "bylines-0-position": "0",
        "bylines-0-role": "",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "provenance-TOTAL_FORMS": "0",
        "provenance-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get(slug="night-buses-return")
    assert article.is_published() and article.first_published_at
    body = parse(article.body)
    assert body.tags() == {"p"} and words(body.text) == "The routes restart on Friday."
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Night buses return to the old town" in page and journalist.name in page


def test_ensure_admin_creates_an_account_once_and_prints_its_password():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    printed = out.getvalue()
    password = printed.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    assert "changepassword admin" in printed

    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "already exists" in again.getvalue() and password not in again.getvalue()
    assert get_user_model().objects.count() == 1
    user.refresh_from_db()
    assert user.check_password(password)


def test_ensure_admin_refuses_to_take_over_a_non_admin_account():
    get_user_model().objects.create_user("admin", password="x-Long-pass-123")
    with pytest.raises(CommandError, match="not an admin"):
        call_command("ensure_admin", stdout=StringIO())
