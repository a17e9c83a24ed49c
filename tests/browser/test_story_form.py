"""The story form's fields in Chromium at desktop and phone widths: the long
headline in full, the length counters, tag chips, the body's word count and
the search and share-card preview, under the Content-Security-Policy."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from articles.widgets import parse_tag_list
from tests.browser.conftest import sign_in
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"
SHOTS = Path("/tmp/shots-storyfields")
LONG_HEADLINE = (
    "Harbour council approves new sea wall after two-year dispute over flood "
    "defences, fishing rights and the cost to the town's ratepayers"
)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def chips(page):
    return page.locator(".tag-chips__name").all_inner_texts()


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_an_editor_works_the_story_form_fields(
    live_server, page, csp_violations, axe_violations, width, height
):
    editor = User.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    story = ArticleFactory(
        headline=LONG_HEADLINE,
        slug="sea-wall",
        section=SectionFactory(name="City", slug="city"),
        lead_photo=PhotoFactory(alt_text="Waves over the old harbour wall."),
        status=Article.Status.DRAFT,
        published_at=None,
        body="<p>The council voted on Tuesday.</p>",
    )
    story.tags.add("city council", "Smith, John")
    base = live_server.url
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, base, "ed", PASSWORD)
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector(".body-count")

    # The whole headline is in view: no scrolling inside the box, no overflow.
    headline = page.locator("#id_headline")
    size = headline.evaluate(
        "box => ({scrollH: box.scrollHeight, clientH: box.clientHeight,"
        " scrollW: box.scrollWidth, clientW: box.clientWidth,"
        " right: box.getBoundingClientRect().right})"
    )
    assert size["scrollH"] <= size["clientH"] + 2, size
    assert size["scrollW"] <= size["clientW"] + 2, size
    assert size["right"] <= width, size
    hint = page.locator("#id_headline_length")
    over = len(LONG_HEADLINE) - 70
    assert (
        hint.inner_text()
        == f"{len(LONG_HEADLINE)} of 70 recommended characters — {over} over"
    )
    shot(page, f"story-form-{width}-loaded")

    # The counter follows the typing.
    headline.fill("Sea wall approved")
    assert hint.inner_text() == "17 of 70 recommended characters"
    page.keyboard.press("Enter")  # no line break in a headline
    assert headline.input_value() == "Sea wall approved"

    # Tags as chips: add with Enter and with a comma, a quoted one with a
    # comma in it, remove with Backspace and with the button.
    assert sorted(chips(page)) == ["Smith, John", "city council"]
    entry = page.get_by_role("textbox", name="Tags")
    entry.fill("night market")
    entry.press("Enter")
    entry.press_sequentially('"Lee, Ann",')
    assert chips(page) == ["city council", "Smith, John", "night market", "Lee, Ann"]
    entry.press("Backspace")
    assert chips(page)[-1] == "night market"
    page.get_by_role("button", name="Remove tag “city council”").click()
    assert chips(page) == ["Smith, John", "night market"]
    assert page.locator(".tag-chips__status").inner_text() == (
        "Removed tag “city council”."
    )
    entry.press_sequentially('Dwayne "The Rock" Johnson')
    entry.press("Enter")
    line = page.locator("input[name=tags]").input_value()
    assert parse_tag_list(line) == [
        "Smith, John",
        "night market",
        'Dwayne "The Rock" Johnson',
    ]

    # The body: tall, spellchecked, counted.
    editor_box = page.locator(".ProseMirror[contenteditable=true]")
    assert editor_box.get_attribute("spellcheck") == "true"
    assert editor_box.bounding_box()["height"] >= 0.5 * height
    count = page.locator(".body-count")
    assert count.inner_text() == "5 words · about 1 min read"
    editor_box.click()
    page.keyboard.press("End")
    page.keyboard.type(" Work on the wall begins in spring.")
    page.wait_for_function(
        "() => document.querySelector('.body-count').textContent.startsWith('12 words')"
    )

    # The preview follows the headline and the SEO fields.
    preview = page.locator(".card-preview")
    title = preview.locator("[data-card-field=og_title]")
    page.wait_for_function(
        "() => document.querySelector('[data-card-field=og_title]')"
        ".textContent.trim() === 'Sea wall approved'"
    )
    page.fill("#id_seo_title", "Port Aldren approves its sea wall")
    page.fill("#id_seo_description", "Nine votes to two, after two years.")
    page.wait_for_function(
        "() => document.querySelector('[data-card-field=og_description]')"
        ".textContent.trim() === 'Nine votes to two, after two years.'"
    )
    assert title.inner_text() == "Port Aldren approves its sea wall"
    assert preview.locator("[data-card-field=title]").inner_text() == (
        "Port Aldren approves its sea wall — The Newsroom"
    )
    assert preview.locator(".search-card__url").inner_text().endswith("/city/sea-wall/")
    assert preview.locator(".share-card__image").get_attribute("alt") == (
        "Waves over the old harbour wall."
    )
    assert page.locator("#id_seo_title_length").inner_text() == (
        "33 of 60 recommended characters"
    )
    preview.scroll_into_view_if_needed()
    shot(page, f"story-form-{width}-edited")

    assert csp_violations == [], csp_violations
    violations = axe_violations(page)
    assert violations == [], violations
    # axe-core's own checks try inline styles, which the policy refuses.
    del csp_violations[:]
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    story.refresh_from_db()
    assert story.headline == "Sea wall approved"
    assert story.seo_title == "Port Aldren approves its sea wall"
    assert sorted(story.tags.names()) == sorted(
        ["Smith, John", "night market", 'Dwayne "The Rock" Johnson']
    )
    assert "Work on the wall begins in spring." in story.body
    # Back on the form, the chips are the tags as saved.
    assert sorted(chips(page)) == sorted(story.tags.names())
    assert csp_violations == [], csp_violations


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_a_new_story_is_previewed_as_it_is_written(
    live_server, page, csp_violations, axe_violations, width, height
):
    reporter = User.objects.create_user("rita", password=PASSWORD, is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    SectionFactory(name="Sport", slug="sport")
    PhotoFactory(
        caption="The winning goal, in the 89th minute.",
        alt_text="A striker heads the ball past the keeper.",
    )
    base = live_server.url
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/articles/article/add/")
    page.wait_for_selector(".body-count")

    url = page.locator(".search-card__url")
    assert url.inner_text() == "No address yet: choose a section and an address."
    assert page.locator(".body-count").inner_text() == ("0 words · no reading time yet")
    page.locator("#id_headline").press_sequentially("Late goal wins the derby")
    assert page.locator("#id_slug").input_value() == "late-goal-wins-the-derby"
    page.click("#id_section + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Sp")
    page.click(".select2-results__option:has-text('Sport')")
    page.wait_for_function(
        "() => document.querySelector('.search-card__url').textContent"
        ".endsWith('/sport/late-goal-wins-the-derby/')"
    )
    assert page.locator("[data-card-field=og_title]").inner_text() == (
        "Late goal wins the derby"
    )
    # No picture yet: the small card; with the photo chosen, the large one.
    assert page.locator(".share-card__image").count() == 0
    assert "no picture: a small card" in page.locator(".card-preview").inner_text()
    page.click("#id_lead_photo + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "goal")
    page.click(".select2-results__option:has-text('The winning goal')")
    page.wait_for_selector(".share-card__image")
    assert page.locator(".share-card__image").get_attribute("alt") == (
        "A striker heads the ball past the keeper."
    )
    assert "large picture" in page.locator(".card-preview").inner_text()
    page.locator(".card-preview").scroll_into_view_if_needed()
    shot(page, f"story-add-{width}")
    assert csp_violations == [], csp_violations
    violations = axe_violations(page)
    assert violations == [], violations
