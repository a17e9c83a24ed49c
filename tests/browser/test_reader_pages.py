import datetime

import pytest

from tests.factories import ArticleFactory, BylineFactory, PhotoFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    article = ArticleFactory(
        headline="Harbour council approves new sea wall",
        standfirst="The vote ends a two-year dispute over flood defences.",
        body="<p>Councillors voted 9 to 2 on Tuesday.</p><p>Work begins in spring.</p>",
        dateline="PORT ALDREN",
        section=SectionFactory(name="City", slug="city"),
        lead_photo=PhotoFactory(
            caption="The old harbour wall at high tide.",
            credit="Ana Ruiz/The Newsroom",
            alt_text="Waves breaking over a low stone wall.",
        ),
    )
    BylineFactory(article=article, journalist__name="Mara Quint")
    article.set_publication_day(datetime.date(2024, 3, 25))
    article.save()
    return article


def test_reader_sees_the_story_with_its_captioned_photo(
    live_server, page, story, screenshot, axe_violations
):
    page.goto(live_server.url + story.get_absolute_url())

    assert page.locator("h1").inner_text() == "Harbour council approves new sea wall"
    assert (
        page.locator("figure figcaption")
        .inner_text()
        .startswith("The old harbour wall at high tide.")
    )
    assert page.locator("figure img").evaluate("img => img.naturalWidth") == 800
    assert page.locator("time").first.get_attribute("datetime") == "2024-03-25"
    assert page.get_by_role("link", name="Mara Quint").is_visible()
    screenshot(page, "story")
    assert axe_violations(page) == []


def test_home_page_works_on_a_phone_and_passes_accessibility_checks(
    live_server, page, story, screenshot, axe_violations
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_role("link", name=story.headline).click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
    screenshot(page, "phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
