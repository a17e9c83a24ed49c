"""The whole story form, every part of it at once (fields, photo, bylines,
quotes, corrections, publishing, the desk's notices, the search and share
preview), checked by axe-core in Chromium at desktop and phone widths, for an
editor on a full story and a reporter adding one. Each part's own browser test
looks at its part in use; this one makes sure that together they leave no
serious or critical WCAG 2.2 AA violation and no Content-Security-Policy
report."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from tests.browser.conftest import sign_in as browser_sign_in
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-a11y-pass-2026"
SHOTS = Path("/tmp/shots-story-form-a11y")
SIZES = [(1366, 900), (390, 844)]


def sign_in(page, base, username):
    browser_sign_in(page, base, username, PASSWORD)


def member(username, group):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def page_violations(page, csp_violations, axe_violations):
    """The page's own CSP reports (before axe runs: axe-core's probes add a
    <style> of their own), then axe-core's serious and critical findings."""
    reports = list(csp_violations)
    return reports, axe_violations(page)


@pytest.mark.parametrize("width, height", SIZES)
def test_the_whole_story_form_of_a_full_story(
    live_server, page, csp_violations, axe_violations, width, height
):
    member("ed", "Editor")
    section = SectionFactory(name="City", slug="city")
    story = ArticleFactory(
        headline="Harbour council approves the new sea wall",
        slug="sea-wall",
        section=section,
        lead_photo=PhotoFactory(alt_text="Waves over the old harbour wall."),
        status=Article.Status.PUBLISHED,
        body="<p>“The wall will protect four thousand homes,” the mayor said.</p>",
    )
    story.tags.add("city council", "flooding")
    BylineFactory(article=story, journalist=JournalistFactory(name="Ana Ruiz"))
    QuoteFactory(article=story, source=SourceFactory(name="Mayor Lee"))
    CorrectionFactory(article=story)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector(".body-count")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"change-{width}.png"), full_page=True)

    reports, violations = page_violations(page, csp_violations, axe_violations)
    assert reports == []
    assert violations == []


@pytest.mark.parametrize("width, height", SIZES)
def test_the_whole_story_form_a_reporter_adds(
    live_server, page, csp_violations, axe_violations, width, height
):
    reporter = member("rep", "Reporter")
    JournalistFactory(name="Rae Porter", user=reporter)
    SectionFactory(name="City", slug="city")
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, "rep")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".body-count")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"add-{width}.png"), full_page=True)

    reports, violations = page_violations(page, csp_violations, axe_violations)
    assert reports == []
    assert violations == []
