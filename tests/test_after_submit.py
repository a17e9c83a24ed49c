"""After a reporter submits a story: they are told so, read it as readers
will, and may withdraw it to draft while it waits; "View on site" never
leads to a 404."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory, JournalistFactory
from tests.markup import ancestors, parse, words
from tests.test_desk import change_url, edit_form

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def member(username, role, **names):
    user = User.objects.create_user(username, is_staff=True, **names)
    user.groups.add(Group.objects.get(name=role))
    return user


def reporters_story(status=Article.Status.DRAFT, username="rita"):
    reporter = member(username, "Reporter")
    journalist = JournalistFactory(user=reporter)
    article = ArticleFactory(draft=True, harbour=True, status=status)
    BylineFactory(article=article, journalist=journalist)
    return reporter, Article.objects.get(pk=article.pk)


def withdraw_url(article):
    return reverse("desk:withdraw", args=[article.pk])


def page_of(response):
    return parse(response.content.decode())


def with_class(markup, tag, name):
    """The ``tag`` elements of ``markup`` with the class ``name``."""
    return [e for e in markup.find_all(tag) if name in e.attrs.get("class", "").split()]


def inside(markup, container, tag, **attrs):
    return [e for e in markup.find_all(tag, **attrs) if container in ancestors(e)]


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_submitting_takes_the_reporter_to_the_story_saying_so(client):
    reporter, article = reporters_story()
    client.force_login(reporter)
    data = edit_form(client, article, status="review")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    assert response.url == change_url(article)  # not the list

    page = client.get(response.url)
    [message] = shown_messages(page)
    assert message.startswith(f"Submitted for review — “{article.headline}” waits")
    html = page_of(page)
    [notice] = with_class(html, "section", "desk-submitted")
    [title] = inside(html, notice, "h2")
    assert words(title.text) == "Submitted for review"
    assert "cannot be changed while it is in review" in words(notice.text)
    preview = reverse("articles:preview", kwargs={"pk": article.pk})
    assert inside(html, notice, "a", href=preview)
    [form] = inside(html, notice, "form")
    assert form.attrs["action"] == withdraw_url(article)
    assert form.attrs["method"] == "post"
    assert inside(html, form, "input", name="csrfmiddlewaretoken")
    [button] = inside(html, form, "button")
    assert words(button.text) == "Withdraw to draft"


def test_the_submitted_story_reads_as_text_not_html(client):
    reporter, article = reporters_story(Article.Status.IN_REVIEW)
    client.force_login(reporter)
    response = client.get(change_url(article))
    assert response.status_code == 200
    content = response.content.decode()
    assert "&lt;p&gt;" not in content  # no raw HTML on the page
    html = page_of(response)
    [body] = with_class(html, "div", "desk-readable-body")
    assert [p.text for p in inside(html, body, "p")] == [
        "Councillors voted 9 to 2 on Tuesday.",
        "Work begins in spring.",
    ]
    # Read only: no form fields to change, no autosave.
    assert 'data-editable="0"' in content
    assert 'name="headline"' not in content


def test_the_readable_body_keeps_only_the_allowed_html(client):
    reporter, article = reporters_story(Article.Status.IN_REVIEW)
    Article.objects.filter(pk=article.pk).update(
        body='<p>Fine.</p><script>alert(1)</script><p onclick="x()">Tap</p>'
    )
    client.force_login(reporter)
    html = page_of(client.get(change_url(article)))
    [body] = with_class(html, "div", "desk-readable-body")
    assert inside(html, body, "script") == []
    assert [p.attrs for p in inside(html, body, "p")] == [{}, {}]


def test_withdraw_to_draft_lets_the_reporter_change_it_again(client):
    reporter, article = reporters_story(Article.Status.IN_REVIEW)
    client.force_login(reporter)
    response = client.post(withdraw_url(article), follow=True)
    assert response.redirect_chain == [(change_url(article), 302)]
    [message] = shown_messages(response)
    assert message.startswith("Withdrawn to draft — ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    html = page_of(response)
    assert html.find_all("textarea", name="body")  # the form is editable again
    assert not with_class(html, "section", "desk-submitted")


def test_withdraw_is_refused_for_a_story_not_in_review(client):
    reporter, article = reporters_story(Article.Status.DRAFT)
    client.force_login(reporter)
    response = client.post(withdraw_url(article), follow=True)
    [message] = shown_messages(response)
    assert "Only a story in review is withdrawn." in message
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_another_reporter_may_not_withdraw_it(client):
    _, article = reporters_story(Article.Status.IN_REVIEW)
    other = member("otto", "Reporter")
    client.force_login(other)
    page = client.get(change_url(article))
    html = page_of(page)
    [notice] = with_class(html, "section", "desk-submitted")
    assert inside(html, notice, "form") == []
    response = client.post(withdraw_url(article), follow=True)
    [message] = shown_messages(response)
    assert "Only its author or an editor withdraws a story" in message
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_an_editor_may_withdraw_it_too(client):
    _, article = reporters_story(Article.Status.IN_REVIEW)
    client.force_login(member("ed", "Editor"))
    html = page_of(client.get(change_url(article)))
    [notice] = with_class(html, "section", "desk-submitted")
    assert inside(html, notice, "form", action=withdraw_url(article))
    assert html.find_all("textarea", name="body")  # editors still edit it
    client.post(withdraw_url(article))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_withdraw_is_a_post_with_csrf_by_staff():
    _, article = reporters_story(Article.Status.IN_REVIEW)
    url = withdraw_url(article)
    signed_out = Client().post(url)
    assert signed_out.status_code == 302
    assert signed_out.url.startswith(reverse("admin:login"))

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(member("ed", "Editor"))
    assert guarded.get(url).status_code == 405
    assert guarded.post(url).status_code == 403  # no token
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW

    photo = Client()
    photo.force_login(member("pia", "Photo editor"))
    assert photo.post(url).status_code == 403
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert photo.post(reverse("desk:withdraw", args=[999999])).status_code == 404


def test_an_editor_submitting_stays_on_the_usual_path(client):
    editor = member("ed", "Editor")
    article = ArticleFactory(draft=True, harbour=True)
    BylineFactory(article=article)
    client.force_login(editor)
    response = client.post(
        change_url(article), edit_form(client, article, status="review")
    )
    assert response.status_code == 302
    assert response.url == CHANGELIST  # they may still change it


@pytest.mark.parametrize("state", ["draft", "review", "scheduled"])
def test_view_on_site_of_an_unpublished_story_opens_the_preview(client, state):
    editor = member("ed", "Editor")
    fields = {
        "draft": {"draft": True},
        "review": {"draft": True, "status": Article.Status.IN_REVIEW},
        "scheduled": {"scheduled": True},
    }[state]
    article = ArticleFactory(harbour=True, **fields)
    client.force_login(editor)
    [link] = with_class(page_of(client.get(change_url(article))), "a", "viewsitelink")
    preview = reverse("articles:preview", kwargs={"pk": article.pk})
    assert link.attrs["href"] == preview
    assert words(link.text) == "Preview"
    assert client.get(link.attrs["href"]).status_code == 200


def test_view_on_site_of_a_published_story_opens_the_live_page(client):
    editor = member("ed", "Editor")
    article = ArticleFactory(harbour=True)
    client.force_login(editor)
    [link] = with_class(page_of(client.get(change_url(article))), "a", "viewsitelink")
    assert link.attrs["href"] == article.get_absolute_url()
    assert words(link.text) == "View on site"
    assert client.get(link.attrs["href"]).status_code == 200
