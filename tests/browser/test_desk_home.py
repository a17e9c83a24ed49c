"""The desk home and review notices in Chromium, at desktop and phone widths:
an editor's queue and notices, sending a story back with a note, and the
reporter reading the note; axe-core and the Content-Security-Policy hold."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from articles import publishing
from articles.models import Article
from tests.browser.conftest import CSP_LISTENER
from tests.browser.conftest import sign_in as browser_sign_in
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"
SHOTS = Path("/tmp/shots-deskhome")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def member(username, role, **fields):
    user = User.objects.create_user(
        username, password=PASSWORD, is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(page, base, username):
    browser_sign_in(page, base, username, PASSWORD)


@pytest.fixture
def desk():
    editor = member("ed", "Editor", first_name="Ed", last_name="Itor")
    reporter = member("rita", "Reporter", first_name="Rita", last_name="Reporter")
    rita = JournalistFactory(name="Rita Reporter", slug="rita", user=reporter)
    now = timezone.now()
    story = ArticleFactory(
        headline="Ferry service to end in March after council vote",
        draft=True,
        created_by=reporter,
    )
    BylineFactory(article=story, journalist=rita)
    older = ArticleFactory(
        headline="Night buses return to the old town", draft=True, created_by=reporter
    )
    BylineFactory(article=older)
    for article in (older, story):
        with transaction.atomic():
            publishing.submit_for_review(article=article, by=reporter)
    ArticleFactory(headline="Harbour wall works begin on Monday", scheduled=True)
    ArticleFactory(
        headline="Budget figures held until the minister speaks",
        embargoed_until=now + datetime.timedelta(hours=20),
    )
    ArticleFactory(headline="Market hall reopens with forty stalls")
    QuoteFactory(source=None, text="We were never told the ferry would stop.")
    PhotoFactory(image="", caption="The council chamber before the vote")
    ArticleFactory(
        headline="Rita's notes on the port tender", draft=True, created_by=reporter
    )
    return {"editor": editor, "reporter": reporter, "story": story}


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_an_editor_works_the_queue_and_sends_a_story_back(
    live_server, browser, desk, axe_violations, width, height
):
    base = live_server.url
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    found = []
    context.expose_function("reportCspViolation", lambda report: found.append(report))
    context.add_init_script(CSP_LISTENER)
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and found.append(message.text)
        ),
    )
    sign_in(page, base, "ed")

    queue = page.locator(".desk-section--review")
    rows = queue.locator(".desk-row > a")
    assert rows.all_inner_texts() == [
        "Night buses return to the old town",
        "Ferry service to end in March after council vote",
    ]
    assert "by Rita Reporter" in queue.inner_text()
    for key in ("scheduled", "embargoed", "today", "quotes", "photos", "notices"):
        assert page.locator(f".desk-section--{key}").count() == 1
    assert page.locator(".desk-notices-link .desk-badge").inner_text() == "2"
    assert page.locator("#desk-models").is_visible()
    assert axe_violations(page) == []
    shot(page, f"editor-home-{width}")

    # Mark the first notice read: the header's count drops.
    page.locator(".desk-section--notices form button").first.click()
    page.wait_for_url(f"{base}/admin/")
    assert page.locator(".desk-notices-link .desk-badge").inner_text() == "1"

    # Open the story in review and send it back with a note.
    rows.nth(1).click()
    page.wait_for_url(f"{base}/admin/articles/article/*/change/")
    shot(page, f"story-form-send-back-button-{width}")
    page.click("text=Send back to reporter…")
    page.fill("#id_note", "Get the operator's side before this runs.")
    assert axe_violations(page) == []
    shot(page, f"send-back-form-{width}")
    page.click("input[value='Send back to the reporter']")
    page.wait_for_url(f"{base}/admin/")
    assert "was sent back to the reporter" in page.inner_text(".messagelist")
    assert "Ferry service" not in page.locator(".desk-section--review").inner_text()
    shot(page, f"editor-after-send-back-{width}")
    context.close()

    assert Article.objects.get(pk=desk["story"].pk).status == Article.Status.DRAFT

    # The reporter finds the note on their desk home.
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, base, "rita")
    notices = page.locator(".desk-section--notices")
    assert "Get the operator's side before this runs." in notices.inner_text()
    drafts = page.locator(".desk-section--drafts").inner_text()
    assert "Ferry service" in drafts and "port tender" in drafts
    assert page.locator(".desk-section--review").count() == 0
    assert page.locator(".desk-notices-link .desk-badge").inner_text() == "1"
    assert axe_violations(page) == []
    shot(page, f"reporter-home-{width}")
    page.click(".desk-notices-link")
    page.wait_for_url(f"{base}/admin/desk/notices/")
    assert axe_violations(page) == []
    shot(page, f"notices-page-{width}")
    context.close()
    assert found == []
