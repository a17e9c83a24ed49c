"""Behaviour of the rule modules that the mutation run (``make mutation``) found
no test checking: each test here fails with at least one surviving mutant put
back (README, "Mutation testing", lists them)."""

import pytest
import reversion
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from reversion.models import Version

from .factories import ArticleFactory, JournalistFactory, PhotoFactory, SourceFactory

pytestmark = pytest.mark.django_db

PRIVATE_EMAIL = "lena.private@newsroom.example"


def desk_user(username, role):
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


# people/permissions.py --------------------------------------------------------


@pytest.mark.parametrize(("role", "sees"), [("Editor", True), ("Reporter", False)])
def test_only_those_who_may_edit_journalists_see_their_email_and_account(
    client, role, sees
):
    """An editor (not a superuser, who may do anything) sees a journalist's
    e-mail and linked account, and finds them by e-mail; a reporter does not."""
    account = User.objects.create_user("lena", is_staff=True)
    lena = JournalistFactory(name="Lena Fairweather", email=PRIVATE_EMAIL, user=account)
    JournalistFactory(name="Tom Abbot")
    client.force_login(desk_user("viewer", role))

    form = client.get(reverse("admin:people_journalist_change", args=[lena.pk]))
    assert form.status_code == 200
    assert (PRIVATE_EMAIL in form.content.decode()) is sees
    assert ('name="user"' in form.content.decode()) is sees

    listing = reverse("admin:people_journalist_changelist")
    found = client.get(listing, {"q": "lena.private"})
    assert found.status_code == 200
    names = [j.name for j in found.context["cl"].result_list]
    assert names == (["Lena Fairweather"] if sees else [])
    # The linked-account column is for the same people only.
    assert ("column-user" in client.get(listing).content.decode()) is sees


# articles/fields.py -----------------------------------------------------------


def test_a_story_saved_without_a_body_keeps_an_empty_body():
    """A brief with only a headline and standfirst stores no body text at all."""
    brief = ArticleFactory(headline="Ferry delayed by fog", body="")
    brief.refresh_from_db()
    assert brief.body == ""


# articles/html.py -------------------------------------------------------------


def test_a_comment_in_the_body_never_reaches_the_page(client):
    """An editor's note left in the HTML as a comment is not stored, so no
    reader can find it in the page's source."""
    story = ArticleFactory(
        body="\n <p>The ferry sails at nine.</p>"
        "<!-- legal: do not name the captain yet -->\n",
    )
    story.refresh_from_db()
    assert story.body == "<p>The ferry sails at nine.</p>"
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert "The ferry sails at nine." in page.content.decode()
    assert "do not name the captain" not in page.content.decode()


def test_the_body_keeps_only_the_allowlisted_attributes_and_link_schemes():
    """Pasted presentational attributes go; links keep only web, mail and phone
    addresses (an ``ftp:`` or ``sms:`` link stays as text, without its address)."""
    story = ArticleFactory(
        body='<table><tr><td align="right" valign="top" colspan="2">9 to 2</td>'
        '</tr></table><ol start="3"><li>Third item</li></ol>'
        '<p><a href="ftp://archive.example/minutes">minutes</a> '
        '<a href="sms:+447700900417">text the desk</a> '
        '<a href="tel:+447700900418">call</a> '
        '<a href="https://council.example/" hreflang="en">council</a></p>'
    )
    story.refresh_from_db()
    link = 'rel="noopener noreferrer"'
    assert story.body == (
        '<table><tbody><tr><td colspan="2">9 to 2</td></tr></tbody></table>'
        "<ol><li>Third item</li></ol>"
        f"<p><a {link}>minutes</a> <a {link}>text the desk</a> "
        f'<a href="tel:+447700900418" {link}>call</a> '
        f'<a href="https://council.example/" {link}>council</a></p>'
    )


# articles/publishing.py -------------------------------------------------------


def story_picker(client, term):
    """The quote form's story picker (the admin's autocomplete), searching."""
    query = {"app_label": "articles", "model_name": "quote", "field_name": "article"}
    response = client.get(reverse("admin:autocomplete"), {**query, "term": term})
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_the_story_picker_searches_only_among_the_stories_one_may_edit(client):
    """Typing in the picker narrows the stories offered; it never widens them."""
    ArticleFactory(headline="Harbour wall vote delayed")
    ArticleFactory(headline="Harbour ferry timetable", draft=True)
    ArticleFactory(headline="School board elects a chair")
    client.force_login(desk_user("ed", "Editor"))

    assert story_picker(client, "harbour") == [
        "Harbour ferry timetable",
        "Harbour wall vote delayed",
    ]
    assert story_picker(client, "school") == ["School board elects a chair"]


def user_with(username, *permissions):
    """A desk account with exactly these permissions (no role)."""
    user = User.objects.create_user(username, is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # no cached permissions


def test_editing_any_story_without_publishing_leaves_published_ones_alone(client):
    """An account may edit every story yet not publish (a sub-editor set up by
    hand): the desk's pickers then offer drafts only, as its forms do."""
    ArticleFactory(headline="Harbour wall vote delayed")
    ArticleFactory(headline="Harbour ferry timetable", draft=True)
    client.force_login(
        user_with(
            "sub",
            "articles.view_article",
            "articles.change_article",
            "articles.edit_any_article",
        )
    )
    assert story_picker(client, "harbour") == ["Harbour ferry timetable"]


RECOVER = [
    "articles.publish_article",
    "articles.delete_article",
    "articles.add_article",
    "articles.edit_any_article",
]


@pytest.mark.parametrize("missing", RECOVER)
def test_bringing_back_deleted_stories_needs_all_four_rights(client, missing):
    """Recover is for those who may publish, delete, add and edit any story:
    an account lacking any one of them is refused the list of deleted stories."""
    rights = ["articles.view_article", "articles.change_article", *RECOVER]
    client.force_login(user_with("almost", *(r for r in rights if r != missing)))
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403


def test_an_account_with_all_four_rights_may_bring_back_deleted_stories(client):
    rights = ["articles.view_article", "articles.change_article", *RECOVER]
    client.force_login(user_with("night", *rights))
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 200


def test_deleting_a_story_needs_the_right_to_edit_that_story(client):
    """An account that may delete, but edit only its own drafts, deletes its own
    draft and no one else's story, nor a published one."""
    deleter = user_with(
        "del",
        "articles.view_article",
        "articles.change_article",
        "articles.delete_article",
    )
    own = ArticleFactory(headline="My draft", draft=True, created_by=deleter)
    others = ArticleFactory(headline="Their draft", draft=True)
    published = ArticleFactory(headline="Out already", created_by=deleter)
    client.force_login(deleter)

    def delete_page(story):
        return client.get(reverse("admin:articles_article_delete", args=[story.pk]))

    assert delete_page(own).status_code == 200
    assert delete_page(others).status_code == 403
    assert delete_page(published).status_code == 403


def test_an_account_that_may_change_stories_may_preview_them(client):
    """The change permission alone (view not ticked) is enough to read a draft
    as readers will see it."""
    draft = ArticleFactory(headline="Harbour wall vote delayed", draft=True)
    client.force_login(user_with("changer", "articles.change_article"))
    page = client.get(reverse("articles:preview", args=[draft.pk]))
    assert page.status_code == 200
    assert "Harbour wall vote delayed" in page.content.decode()


def test_a_permission_without_desk_access_previews_nothing(client):
    """An account that is not staff (a reader's account given a permission by
    mistake) cannot read drafts: it is sent to the desk's login."""
    draft = ArticleFactory(headline="Harbour wall vote delayed", draft=True)
    reader = user_with("reader", "articles.view_article")
    reader.is_staff = False
    reader.save()
    client.force_login(reader)
    page = client.get(reverse("articles:preview", args=[draft.pk]))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("admin:login"))


# newsroom/admin_history.py ----------------------------------------------------


def deleted_version(factory, **fields):
    """An object deleted after its history began, as History → Recover offers it."""
    gone = factory(**fields)
    with reversion.create_revision():
        reversion.add_to_revision(gone)
    gone.delete()
    return Version.objects.get_deleted(type(gone)).get()


GUARDED = {
    "photo": (PhotoFactory, {"caption": "A deleted photo of the quay."}, "media"),
    "journalist": (JournalistFactory, {"name": "Ada Deleted"}, "people"),
    "source": (SourceFactory, {"name": "Ben Deleted"}, "people"),
}


@pytest.mark.parametrize("lacking", ["add", "change"])
@pytest.mark.parametrize("kind", GUARDED)
def test_bringing_back_a_deleted_photo_journalist_or_source_needs_add_and_change(
    client, kind, lacking
):
    """Recover is for those who may both add and change that kind of row: an
    editor with only one of the two is refused the list and the recover form."""
    factory, fields, app = GUARDED[kind]
    version = deleted_version(factory, **fields)
    rights = [f"{app}.{right}_{kind}" for right in ("view", "add", "change")]
    client.force_login(
        user_with("almost", *(r for r in rights if r != f"{app}.{lacking}_{kind}"))
    )

    assert client.get(reverse(f"admin:{app}_{kind}_recoverlist")).status_code == 403
    form = reverse(f"admin:{app}_{kind}_recover", args=[version.pk])
    assert client.get(form).status_code == 403
    assert client.post(form).status_code == 403
    assert not factory._meta.model.objects.exists()


@pytest.mark.parametrize("kind", GUARDED)
def test_an_editor_who_may_add_and_change_brings_back_a_deleted_row(client, kind):
    factory, fields, app = GUARDED[kind]
    version = deleted_version(factory, **fields)
    rights = [f"{app}.{right}_{kind}" for right in ("view", "add", "change")]
    client.force_login(user_with("editor", *rights))

    listing = client.get(reverse(f"admin:{app}_{kind}_recoverlist"))
    assert listing.status_code == 200
    assert version.object_repr in listing.content.decode()
    form = client.get(reverse(f"admin:{app}_{kind}_recover", args=[version.pk]))
    assert form.status_code == 200
