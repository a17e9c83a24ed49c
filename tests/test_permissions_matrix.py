"""Who may do what at the desk: every role against every admin path.

Each case asks one role to take one path to one story, and checks both the
answer (page, refusal) and the data (changed when allowed, untouched when
refused). The private side of people — a source's contact details and notes,
an anonymous source's real name, a journalist's e-mail — is checked on every
page that could show it.
"""

import json

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import publishing
from articles.models import Article, Correction, Quote

from .factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["superuser", "editor", "owner", "other", "photo", "nogroup", "anonymous"]
READERS = {"superuser", "editor", "owner", "other"}  # may read every story
EDITORS = {"superuser", "editor"}  # may edit any story, publish, see private fields
PHOTOS = {"superuser", "editor", "photo", "owner", "other"}  # may view photos

SECRET_NAME = "Orla Penhallow-Marsh"
SECRET_CONTACT = "+44 7700 900417, back door of the ferry office"
SECRET_NOTES = "Retired harbour engineer; fears losing her pension."
SECRET_EMAIL = "mara.private@newsroom.example"


def make_user(username, group=None, **flags):
    user = User.objects.create_user(username, **flags)  # force_login: no password
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def desk():
    """Two stories of one reporter (a draft and a published one) and the people
    around them, each story with a history of two versions."""
    users = {
        "superuser": make_user("sam", is_staff=True, is_superuser=True),
        "editor": make_user("ed", "Editor", is_staff=True),
        "owner": make_user("rita", "Reporter", is_staff=True),
        "other": make_user("otto", "Reporter", is_staff=True),
        "photo": make_user("pia", "Photo editor", is_staff=True),
        "nogroup": make_user("nils", is_staff=True),
        "anonymous": None,
    }
    rita = JournalistFactory(name="Rita Reporter", user=users["owner"])
    JournalistFactory(name="Mara Quint", email=SECRET_EMAIL)
    anonymous = SourceFactory(
        name=SECRET_NAME,
        on_record=False,
        description="an engineer who worked on the old wall",
        contact_details=SECRET_CONTACT,
        notes=SECRET_NOTES,
    )
    section = SectionFactory(name="City", slug="city")
    stories = {}
    killed = {"status": Article.Status.KILLED, "kill_reason": "Withdrawn."}
    for kind, traits in [
        ("draft", {"draft": True}),
        ("published", {}),
        ("killed", killed),
    ]:
        article = ArticleFactory(
            headline=f"Old words of the {kind} story",
            slug=f"{kind}-story",
            section=section,
            created_by=users["owner"],
            **traits,
        )
        BylineFactory(article=article, journalist=rita)
        QuoteFactory(article=article, source=anonymous, text="The wall will not hold.")
        CorrectionFactory(article=article, text=f"A correction to the {kind} story.")
        with reversion.create_revision():
            reversion.add_to_revision(article)
        article.headline = f"New words of the {kind} story"
        article.save()
        with reversion.create_revision():
            reversion.add_to_revision(article)
        stories[kind] = article
    return {"users": users, "stories": stories, "source": anonymous}


def client_for(client, desk, role):
    user = desk["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def refused(response):
    """403, or for the signed-out visitor the way to the sign-in page."""
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code in (403, 404)


def allowed(response):
    return response.status_code in (200, 302) and not refused(response)


def story_data(article, **changes):
    """The story form as the admin would post it back, with its inline rows."""
    article.refresh_from_db()
    local = timezone.localtime(article.published_at) if article.published_at else None
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "dateline": article.dateline,
        "section": article.section_id,
        "tags": "",
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "loaded_version": "",
    }
    rows = {
        "bylines": [
            {"journalist": b.journalist_id, "position": b.position, "role": b.role}
            | {"id": b.pk, "article": article.pk}
            for b in article.bylines.all()
        ],
        "quotes": [
            {"text": q.text, "source": q.source_id or "", "kind": q.kind}
            | {"position": q.position, "id": q.pk, "article": article.pk}
            for q in article.quotes.all()
        ],
        "corrections": [
            {"text": c.text, "id": c.pk, "article": article.pk}
            | {
                "published_at_0": timezone.localtime(c.published_at).strftime(
                    "%Y-%m-%d"
                ),
                "published_at_1": timezone.localtime(c.published_at).strftime(
                    "%H:%M:%S"
                ),
            }
            for c in article.corrections.all()
        ],
    }
    for prefix, forms in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(forms)
        for index, row in enumerate(forms):
            data |= {f"{prefix}-{index}-{k}": v for k, v in row.items()}
    data |= {"provenance-TOTAL_FORMS": 0, "provenance-INITIAL_FORMS": 0}
    return data | changes


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


def article_versions(article):
    return list(Version.objects.get_for_object(article))  # newest first


def snapshot(article):
    """What a refused path must leave exactly as it was."""
    article.refresh_from_db()
    return (
        article.headline,
        article.status,
        article.published_at,
        sorted(article.quotes.values_list("text", "source_id")),
        sorted(article.corrections.values_list("text", flat=True)),
        Version.objects.get_for_object(article).count(),
    )


# Paths: each takes (client, desk, article) and returns the response. Writes
# are followed by a check of the data in test_matrix below.


def save_story(client, desk, article):
    url = admin_url("articles_article_change", article.pk)
    return client.post(url, story_data(article, headline="Rewritten by someone"))


def add_quote_inline(client, desk, article):
    data = story_data(article)
    index = int(data["quotes-TOTAL_FORMS"])
    data |= {
        "quotes-TOTAL_FORMS": index + 1,
        f"quotes-{index}-text": "A forged quote.",
        f"quotes-{index}-kind": "direct",
        f"quotes-{index}-position": 5,
        f"quotes-{index}-source": "",
        f"quotes-{index}-article": article.pk,
    }
    return client.post(admin_url("articles_article_change", article.pk), data)


def add_quote_standalone(client, desk, article):
    data = {"article": article.pk, "text": "A forged quote.", "kind": "direct"}
    return client.post(admin_url("articles_quote_add"), data | {"position": 5})


def change_quote_standalone(client, desk, article):
    quote = article.quotes.get()
    data = {"article": article.pk, "text": "A forged quote.", "kind": "direct"}
    url = admin_url("articles_quote_change", quote.pk)
    return client.post(url, data | {"position": 0, "source": quote.source_id})


def delete_quote_standalone(client, desk, article):
    quote = article.quotes.get()
    return client.post(admin_url("articles_quote_delete", quote.pk), {"post": "yes"})


def delete_quotes_action(client, desk, article):
    quote = article.quotes.get()
    data = {"action": "delete_selected", "_selected_action": [quote.pk], "post": "yes"}
    return client.post(admin_url("articles_quote_changelist"), data)


def submit_action(client, desk, article):
    data = {"action": "submit_for_review", "_selected_action": [article.pk]}
    return client.post(admin_url("articles_article_changelist"), data)


def publish_action(client, desk, article):
    data = {"action": "publish_now", "_selected_action": [article.pk]}
    return client.post(admin_url("articles_article_changelist"), data)


def unpublish_action(client, desk, article):
    data = {"action": "unpublish", "_selected_action": [article.pk]}
    return client.post(admin_url("articles_article_changelist"), data)


def kill_action(client, desk, article):
    data = {
        "action": "kill",
        "_selected_action": [article.pk],
        "confirm": "yes",
        "reason": "It named a witness.",
    }
    return client.post(admin_url("articles_article_changelist"), data)


def restore_killed_action(client, desk, article):
    data = {"action": "restore_killed", "_selected_action": [article.pk]}
    return client.post(admin_url("articles_article_changelist"), data)


def delete_story(client, desk, article):
    return client.post(
        admin_url("articles_article_delete", article.pk), {"post": "yes"}
    )


def delete_stories_action(client, desk, article):
    data = {
        "action": "delete_selected",
        "_selected_action": [article.pk],
        "post": "yes",
    }
    return client.post(admin_url("articles_article_changelist"), data)


def restore_form(client, desk, article):
    old = article_versions(article)[-1]
    return client.get(admin_url("articles_article_revision", article.pk, old.pk))


def restore(client, desk, article):
    old = article_versions(article)[-1]
    url = admin_url("articles_article_revision", article.pk, old.pk)
    data = story_data(article, headline=old.field_dict["headline"])
    return client.post(url, data)


# (path, story, roles allowed, what an allowed write changes)
WRITES = [
    (save_story, "draft", {"superuser", "editor", "owner"}, "headline"),
    (save_story, "published", EDITORS, "headline"),
    (add_quote_inline, "draft", {"superuser", "editor", "owner"}, "quotes"),
    (add_quote_inline, "published", EDITORS, "quotes"),
    (add_quote_standalone, "draft", {"superuser", "editor", "owner"}, "quotes"),
    (add_quote_standalone, "published", EDITORS, "quotes"),
    (change_quote_standalone, "draft", {"superuser", "editor", "owner"}, "quotes"),
    (change_quote_standalone, "published", EDITORS, "quotes"),
    (delete_quote_standalone, "draft", {"superuser", "editor", "owner"}, "quotes"),
    (delete_quote_standalone, "published", EDITORS, "quotes"),
    (delete_quotes_action, "published", EDITORS, "quotes"),
    (submit_action, "draft", {"superuser", "editor", "owner"}, "status"),
    (publish_action, "draft", EDITORS, "status"),
    (unpublish_action, "published", EDITORS, "status"),
    (kill_action, "published", EDITORS, "status"),
    (kill_action, "draft", EDITORS, "status"),
    (restore_killed_action, "killed", EDITORS, "status"),
    (save_story, "killed", EDITORS, "headline"),
    (delete_story, "draft", EDITORS, "deleted"),
    (delete_story, "published", EDITORS, "deleted"),
    (delete_stories_action, "published", EDITORS, "deleted"),
    (restore, "draft", {"superuser", "editor", "owner"}, "headline"),
    (restore, "published", EDITORS, "headline"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("path", "kind", "roles", "changes"),
    WRITES,
    ids=[f"{path.__name__}-{kind}" for path, kind, _, _ in WRITES],
)
def test_matrix_writes(client, desk, role, path, kind, roles, changes):
    article = desk["stories"][kind]
    before = snapshot(article)
    client_for(client, desk, role)

    response = path(client, desk, article)

    if not Article.objects.filter(pk=article.pk).exists():
        assert role in roles and changes == "deleted", f"{role} deleted the story"
        return
    after = snapshot(article)
    if role in roles:
        assert allowed(response), (response.status_code, response.content[:3000])
        assert changes != "deleted", "the story should have been deleted"
        changed = {
            "headline": before[0] != after[0],
            "status": before[1] != after[1],
            "quotes": before[3] != after[3],
        }
        assert changed[changes], f"{role} was allowed but nothing changed"
    else:
        # A refused change form redisplays (200) at most; nothing is stored.
        assert response.status_code in (200, 302, 403, 404)
        assert after == before, f"{role} changed what they may not"


def test_a_forged_quote_on_a_story_the_user_may_edit_is_kept_in_its_history(
    client, desk
):
    article = desk["stories"]["draft"]
    client_for(client, desk, "owner")
    count = len(article_versions(article))

    add_quote_standalone(client, desk, article)

    versions = article_versions(article)
    assert len(versions) == count + 1
    assert versions[0].revision.comment.startswith("Quote added in Admin › Quotes")
    assert versions[0].revision.user == desk["users"]["owner"]


def test_restoring_needs_the_rights_on_the_story_as_stored_not_the_version(
    client, desk
):
    """A reporter's own draft that was since published: the old draft version
    is the reporter's, the stored story is not theirs to change."""
    article = desk["stories"]["published"]
    with reversion.create_revision():
        Article.objects.filter(pk=article.pk).update(status="draft")
        article.refresh_from_db()
        reversion.add_to_revision(article)
    Article.objects.filter(pk=article.pk).update(status="published")
    draft_version = article_versions(article)[0]
    client_for(client, desk, "owner")
    url = admin_url("articles_article_revision", article.pk, draft_version.pk)

    assert client.get(url).status_code == 403
    response = client.post(url, story_data(article, headline="Reporter's headline"))

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == "published" and "Reporter" not in article.headline
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_version_of_another_object_cannot_be_restored_through_this_one(client, desk):
    """A photo with the same id as a story: the story's version id in the
    photo's restore address must not restore the story."""
    published = desk["stories"]["published"]
    foreign = article_versions(published)[-1]
    photo = PhotoFactory(id=published.pk)
    client_for(client, desk, "photo")
    url = admin_url("media_photo_revision", photo.pk, foreign.pk)
    data = {
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "focal_x": 0.5,
        "focal_y": 0.5,
        "original_filename": photo.original_filename,
    }

    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404

    published.refresh_from_db()
    assert published.headline == "New words of the published story"
    draft = desk["stories"]["draft"]
    client_for(client, desk, "editor")
    url = admin_url("articles_article_revision", draft.pk, foreign.pk)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_edit_sources_merge_them(client, desk, role):
    kept, duplicate = desk["source"], SourceFactory(name="O. Penhallow")
    QuoteFactory(source=duplicate)
    quoted = kept.quotes.count()
    client_for(client, desk, role)
    data = {
        "action": "merge_sources",
        "_selected_action": [kept.pk, duplicate.pk],
        "keep": kept.pk,
        "confirm": "yes",
    }

    response = client.post(admin_url("people_source_changelist"), data)

    merged = not type(kept).objects.filter(pk=duplicate.pk).exists()
    assert merged == (role in EDITORS), response.status_code
    if role not in EDITORS:
        assert kept.quotes.count() == quoted


# Pages: (name, url maker, roles allowed)


def compare_url(article):
    new, old = article_versions(article)[0], article_versions(article)[-1]
    url = admin_url("articles_article_compare", article.pk)
    return f"{url}?version_id1={old.pk}&version_id2={new.pk}"


def people_compare_url(obj, name):
    with reversion.create_revision():
        reversion.add_to_revision(obj)
    obj.save()
    with reversion.create_revision():
        reversion.add_to_revision(obj)
    new, old = list(Version.objects.get_for_object(obj))[:2]
    url = admin_url(f"people_{name}_compare", obj.pk)
    return f"{url}?version_id1={old.pk}&version_id2={new.pk}"


def autocomplete(app, model, field, term=""):
    url = reverse("admin:autocomplete")
    return f"{url}?app_label={app}&model_name={model}&field_name={field}&term={term}"


def journalist(desk):
    return desk["users"]["owner"].journalist.__class__.objects.get(name="Mara Quint")


PAGES = [
    ("story list", lambda d: admin_url("articles_article_changelist"), READERS),
    ("story form", lambda d: admin_url("articles_article_change", _s(d).pk), READERS),
    ("story add", lambda d: admin_url("articles_article_add"), READERS),
    ("history", lambda d: admin_url("articles_article_history", _s(d).pk), READERS),
    ("compare", lambda d: compare_url(_s(d)), READERS),
    ("restore form", lambda d: _restore_url(d), {"superuser", "editor", "owner"}),
    ("recover list", lambda d: admin_url("articles_article_recoverlist"), EDITORS),
    ("recover form", lambda d: _recover_url(), EDITORS),
    ("delete page", lambda d: admin_url("articles_article_delete", _s(d).pk), EDITORS),
    ("quotes list", lambda d: admin_url("articles_quote_changelist"), READERS),
    ("preview", lambda d: reverse("articles:preview", args=[_s(d).pk]), READERS),
    ("source list", lambda d: admin_url("people_source_changelist"), READERS),
    (
        "source form",
        lambda d: admin_url("people_source_change", d["source"].pk),
        READERS,
    ),
    (
        "source history",
        lambda d: admin_url("people_source_history", d["source"].pk),
        EDITORS,
    ),
    ("source compare", lambda d: people_compare_url(d["source"], "source"), EDITORS),
    (
        "journalist history",
        lambda d: admin_url("people_journalist_history", journalist(d).pk),
        EDITORS,
    ),
    (
        "journalist compare",
        lambda d: people_compare_url(journalist(d), "journalist"),
        EDITORS,
    ),
    (
        "journalist form",
        lambda d: admin_url("people_journalist_change", journalist(d).pk),
        READERS,
    ),
    ("source picker", lambda d: autocomplete("articles", "quote", "source"), READERS),
    (
        "source picker (quotes)",
        lambda d: (
            admin_url("people_source_autocomplete")
            + "?app_label=articles&model_name=quote&field_name=source"
        ),
        READERS,
    ),
    ("photo list", lambda d: admin_url("media_photo_changelist"), PHOTOS),
]


def _s(desk):
    return desk["stories"]["draft"]


def _recover_url():
    """A story deleted after its history began, as History → Recover offers it."""
    gone = ArticleFactory(headline="A deleted story", slug="deleted-story")
    with reversion.create_revision():
        reversion.add_to_revision(gone)
    gone.delete()
    version = Version.objects.get_deleted(Article).get()
    return admin_url("articles_article_recover", version.pk)


def _restore_url(desk):
    article = _s(desk)
    return admin_url(
        "articles_article_revision", article.pk, article_versions(article)[-1].pk
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "url", "roles"), PAGES, ids=[name for name, _, _ in PAGES]
)
def test_matrix_pages(client, desk, role, name, url, roles):
    address = url(desk)
    client_for(client, desk, role)
    before = snapshot(_s(desk))

    response = client.get(address)

    if role in roles:
        assert response.status_code == 200, name
    else:
        assert refused(response), (name, response.status_code)
    assert snapshot(_s(desk)) == before  # reading changes nothing
    page = response.content.decode()
    if role not in EDITORS:
        for secret in (SECRET_NAME, SECRET_CONTACT, SECRET_NOTES, SECRET_EMAIL):
            assert secret not in page, f"{name} shows {secret!r} to {role}"


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_those_who_may_edit_sources_see_them_in_full(client, desk, role):
    client_for(client, desk, role)
    source = desk["source"]
    page = client.get(admin_url("people_source_change", source.pk)).content.decode()
    assert SECRET_NAME in page and SECRET_CONTACT in page and SECRET_NOTES in page
    story = client.get(admin_url("articles_article_change", _s(desk).pk))
    assert SECRET_NAME in story.content.decode()
    # The quote rows' source picker asks the picker that knows who is asking.
    assert admin_url("people_source_autocomplete") in story.content.decode()
    picker = client.get(
        admin_url("people_source_autocomplete")
        + "?app_label=articles&model_name=quote&field_name=source&term=Orla"
    ).json()
    assert [r["text"] for r in picker["results"]] == [SECRET_NAME]


@pytest.mark.parametrize("role", ["owner", "other"])
def test_reporters_see_an_anonymous_source_as_readers_do(client, desk, role):
    client_for(client, desk, role)
    description = desk["source"].description
    story = client.get(admin_url("articles_article_change", _s(desk).pk))
    assert description in story.content.decode()
    picker = admin_url("people_source_autocomplete")
    query = "?app_label=articles&model_name=quote&field_name=source&term="
    found = client.get(picker + query + "engineer").json()["results"]
    assert [r["text"] for r in found] == [description]
    # Searching by the real name finds nothing: the name stays unknown.
    assert client.get(picker + query + "Penhallow").json()["results"] == []
    site_wide = client.get(autocomplete("articles", "quote", "source", "engineer"))
    assert json.loads(site_wide.content)["results"] == []


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("superuser", {"draft", "published", "killed"}),
        ("editor", {"draft", "published", "killed"}),
        ("owner", {"draft"}),
        ("other", set()),
    ],
)
def test_story_picker_for_quotes_offers_only_stories_the_user_may_edit(
    client, desk, role, offered
):
    client_for(client, desk, role)
    response = client.get(autocomplete("articles", "quote", "article"))
    assert response.status_code == 200
    shown = {r["text"] for r in response.json()["results"]}
    stories = desk["stories"]
    assert shown == {stories[kind].headline for kind in offered}


@pytest.mark.parametrize("role", ["photo", "nogroup", "anonymous"])
def test_story_picker_is_refused_to_those_who_may_not_read_stories(client, desk, role):
    client_for(client, desk, role)
    assert refused(client.get(autocomplete("articles", "quote", "article")))


def test_corrections_in_the_story_form_follow_the_story(client, desk):
    """A reporter cannot add or remove a correction even on their own draft."""
    article = desk["stories"]["draft"]
    client_for(client, desk, "owner")
    data = story_data(article)
    data |= {"corrections-0-DELETE": "on"}
    response = client.post(admin_url("articles_article_change", article.pk), data)
    assert response.status_code == 302
    assert Correction.objects.filter(article=article).count() == 1


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_corrections_are_append_only_even_for_editors(client, desk, role):
    """Readers have seen a correction: the story form offers no way to remove it."""
    article = desk["stories"]["published"]
    client_for(client, desk, role)
    page = client.get(admin_url("articles_article_change", article.pk))
    assert page.status_code == 200
    assert "corrections-0-DELETE" not in page.content.decode()
    data = story_data(article) | {"corrections-0-DELETE": "on"}
    client.post(admin_url("articles_article_change", article.pk), data)
    assert Correction.objects.filter(article=article).count() == 1


def test_quote_cannot_be_moved_to_a_story_the_user_may_not_edit(client, desk):
    own, published = desk["stories"]["draft"], desk["stories"]["published"]
    quote = own.quotes.get()
    client_for(client, desk, "owner")
    data = {"article": published.pk, "text": quote.text, "kind": "direct"}
    response = client.post(
        admin_url("articles_quote_change", quote.pk), data | {"position": 0}
    )
    assert response.status_code == 200
    assert "article" in response.context["adminform"].form.errors
    assert Quote.objects.get(pk=quote.pk).article == own


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_list_of_editable_stories_agrees_with_the_rule_for_one(desk, role):
    user = desk["users"][role]
    bylined = ArticleFactory(draft=True, headline="Rita's byline, Otto's filing")
    BylineFactory(article=bylined, journalist=desk["users"]["owner"].journalist)
    ArticleFactory(status=Article.Status.IN_REVIEW, created_by=desk["users"]["owner"])
    ArticleFactory(draft=True, created_by=desk["users"]["other"])
    ArticleFactory(scheduled=True)

    one_by_one = {a for a in Article.objects.all() if publishing.can_edit(user, a)}

    assert set(publishing.editable(user)) == one_by_one
    if role == "owner":
        assert one_by_one == {desk["stories"]["draft"], bylined}
