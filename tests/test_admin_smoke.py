from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article

from .factories import (
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    PublicationFactory,
    QuoteFactory,
    SectionFactory,
)
from .markup import parse, words

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
    QuoteFactory(article=BylineFactory().article)
    PhotoFactory(image="")
    PublicationFactory()
    changelist = reverse(f"admin:{app}_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "harbour"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


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
