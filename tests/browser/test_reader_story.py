"""A story in real Chromium at phone and desktop widths: the parts a reader
needs are visible, the lead photo really loads, and axe finds nothing serious."""

import datetime

import pytest

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}


@pytest.fixture
def story():
    article = ArticleFactory(
        headline="Mekong ferry crossings resume after the floods",
        slug="mekong-ferry-crossings-resume",
        standfirst="Boats run again between the two banks after a fortnight of "
        "high water closed every landing.",
        body="<p>The first ferry left the city landing at six on Monday morning.</p>"
        "<p>Operators said timetables would return to normal within a week.</p>",
        dateline="PHNOM PENH",
        section=SectionFactory(name="City", slug="city"),
        lead_photo=PhotoFactory(
            caption="Passengers board the first ferry at the city landing.",
            credit="Sok Dara/The Newsroom",
            alt_text="A crowded ferry deck beside a wooden landing.",
        ),
        revised_at=datetime.datetime.now(datetime.UTC),
    )
    BylineFactory(article=article, journalist__name="Mara Quint")
    BylineFactory(
        article=article,
        position=1,
        journalist__name="Teo Vance",
        role="Additional reporting",
    )
    article.tags.add("ferries", "floods")
    CorrectionFactory(article=article, text="The first ferry left at six, not five.")
    return article


@pytest.mark.parametrize("device", VIEWPORTS)
def test_reader_sees_byline_dateline_and_a_loaded_captioned_photo(
    live_server, page, story, screenshot, axe_violations, device
):
    width = VIEWPORTS[device]["width"]
    page.set_viewport_size(VIEWPORTS[device])
    page.goto(live_server.url + story.get_absolute_url())

    assert page.locator("h1").inner_text() == story.headline
    byline = page.locator(".byline").first
    assert byline.is_visible() and byline.inner_text() == "By Mara Quint"
    assert page.get_by_role("link", name="Mara Quint").is_visible()
    dateline = page.locator(".story__body .dateline")
    assert dateline.is_visible() and dateline.inner_text() == "PHNOM PENH —"
    assert page.locator(".story__meta time").first.is_visible()
    assert "Updated" in page.locator(".story__meta").inner_text()

    figure = page.locator("article.story figure")
    caption = figure.locator("figcaption")
    assert caption.is_visible()
    assert "Passengers board the first ferry" in caption.inner_text()
    credit = figure.locator(".photo__credit")
    assert credit.is_visible() and "Sok Dara/The Newsroom" in credit.text_content()
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.naturalWidth") > 0
    assert image.get_attribute("alt") == "A crowded ferry deck beside a wooden landing."

    assert page.locator("#corrections").is_visible()
    # Nothing wider than the screen; the page reads without JavaScript.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("script:not([type='application/ld+json'])").count() == 0

    screenshot(page, device)
    assert axe_violations(page) == []


def test_story_reads_with_javascript_switched_off(browser, live_server, story):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + story.get_absolute_url())
        assert page.locator("h1").inner_text() == story.headline
        assert "Operators said timetables" in page.locator(".story__body").inner_text()
    finally:
        context.close()


def test_search_from_the_masthead_finds_the_story(live_server, page, story):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search stories").fill("ferry")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=ferry")
    assert page.get_by_role("searchbox", name="Search stories").input_value() == "ferry"
    page.get_by_role("link", name=story.headline).click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
