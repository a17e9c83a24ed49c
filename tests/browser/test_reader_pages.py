import datetime

import pytest

from tests.factories import ArticleFactory, BylineFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    article = ArticleFactory(
        harbour=True,
        dateline="PORT ALDREN",
        section=SectionFactory(name="City", slug="city"),
    )
    BylineFactory(article=article, journalist__name="Mara Quint")
    article.set_publication_day(datetime.date(2024, 3, 25))
    article.save()
    return article


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
