"""A reporter files a story, an editor publishes it, a reader sees it."""

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from tests.browser.conftest import sign_in as browser_sign_in
from tests.factories import JournalistFactory, PhotoFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"


def staff(username, role):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(page, base, username):
    browser_sign_in(page, base, username, PASSWORD)


def choose(page, field, search, option):
    """Pick ``option`` in an admin autocomplete (select2) field."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{option}')")


def test_reporter_files_editor_publishes_reader_reads(live_server, browser, screenshot):
    reporter = staff("rita", "Reporter")
    JournalistFactory(name="Rita Ramos", slug="rita-ramos", user=reporter)
    staff("ed", "Editor")
    SectionFactory(name="City", slug="city")
    PhotoFactory(caption="Commuters wait for the last tram of the night.")
    base = live_server.url

    desk = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = desk.new_page()
    sign_in(page, base, "rita")
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", "Night trams return to the old town")
    page.fill("#id_standfirst", "Three routes restart on Friday after a year.")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Night trams will run again from Friday, the council said.")
    page.fill("#id_dateline", "PORT ALDREN")
    assert (
        page.locator("#id_slug").input_value() == "night-trams-return-to-the-old-town"
    )
    byline = page.locator("#select2-id_bylines-0-journalist-container")
    assert "Rita Ramos" in byline.inner_text()
    choose(page, "lead_photo", "tram", "Commuters wait")
    choose(page, "section", "Ci", "City")
    page.select_option("#id_status", "review")
    screenshot(page, "filled-story-form")
    page.click("input[name=_save]")
    # A reporter may no longer change it: they land on the story, told so.
    page.wait_for_url(f"{base}/admin/articles/article/*/change/")
    assert "Withdraw to draft" in page.inner_text(".desk-submitted")
    assert "Submitted for review — “Night trams return to the old town” waits" in (
        page.inner_text(".messagelist")
    )
    desk.close()

    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW
    assert article.body.startswith("<p>Night trams will run again")
    assert [b.journalist.name for b in article.bylines.all()] == ["Rita Ramos"]

    desk = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = desk.new_page()
    sign_in(page, base, "ed")
    page.goto(f"{base}/admin/articles/article/?state=review")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    assert "1 story was published." in page.inner_text(".messagelist")
    desk.close()

    reader = browser.new_context(viewport={"width": 1280, "height": 900})
    page = reader.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Night trams return to the old town").first.click()
    assert page.locator("h1").inner_text() == "Night trams return to the old town"
    assert "Rita Ramos" in page.inner_text("article")
    assert "PORT ALDREN" in page.inner_text("article")
    screenshot(page, "published-story")
    reader.close()
