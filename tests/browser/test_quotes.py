"""Quotes in the story form, in Chromium at desktop and phone widths: the
compact list fits, a quote opens, its words are marked in the body, “Find
quotes” proposes what the body says, one is accepted and saved with the story.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from tests.browser.conftest import AXE_TAGS
from tests.factories import ArticleFactory, QuoteFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"
SHOTS = Path(os.environ.get("NEWSROOM_SHOTS", "/tmp/shots-quotes"))
BODY = (
    "<p>The harbour pool will close for a year, the council said.</p>"
    "<p>“We have no choice but to shut it,” said Marta Lindqvist, the council's "
    "leisure director. “The roof is failing.”</p>"
    "<p>Swimmers were angry. “It is a scandal,” said Tom Reyes, a lifeguard.</p>"
)
LONG = "We have no choice but to shut it"
TYPED = [
    "The harbour pool will close for a year, the council said.",
    "“We have no choice but to shut it,” said Marta Lindqvist, the council's "
    "leisure director. “The roof is failing.”",
    "Swimmers were angry. “It is a scandal,” said Tom Reyes, a lifeguard.",
]
ADDED = "“Come back in spring,” said Ines Okafor, the pool manager."


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def marked(page, highlight):
    """The words of the body marked by ``highlight`` (a CSS Custom Highlight)."""
    return page.evaluate(
        """name => {
          const h = CSS.highlights.get(name);
          return h ? Array.from(h).map(r => r.toString()) : [];
        }""",
        highlight,
    )


def quotes_violations(page, axe_violations, csp_violations):
    """Serious and critical axe violations in the quotes part of the form.

    The rest of the story form (the body editor, the photo picker, the date
    fields) is checked by the tests of those fields. axe-core's own checks
    add <style> elements that the policy blocks: those reports are about the
    tool, not the page, and are left out of ``csp_violations``.
    """
    before = len(csp_violations)
    axe_violations(page)  # loads axe-core into the page
    found = page.evaluate(
        """tags => axe.run("#quotes-group", {runOnly: {type: "tag", values: tags}})
          .then(r => r.violations
            .filter(v => ["serious", "critical"].includes(v.impact))
            .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))})))""",
        AXE_TAGS,
    )
    del csp_violations[before:]
    return found


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_an_editor_works_on_quotes_in_the_story_form(
    live_server, page, axe_violations, csp_violations, width, height
):
    user = User.objects.create_user("ed", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    marta = SourceFactory(name="Marta Lindqvist", slug="marta-lindqvist")
    article = ArticleFactory(
        draft=True, headline="Harbour pool to close for a year", body=BODY
    )
    QuoteFactory(article=article, source=marta, text=LONG)
    base = live_server.url

    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")

    # The compact list: one line, and its delete box on screen.
    row = page.locator("#quotes-0")
    toggle = row.locator(".quote-toggle")
    assert " ".join(toggle.text_content().split()) == (
        f"Marta Lindqvist Direct quote {LONG}"
    )
    row.scroll_into_view_if_needed()
    delete = row.locator("input[name=quotes-0-DELETE]")
    box = delete.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= width
    group_box = page.locator("#quotes-group").bounding_box()
    assert group_box["x"] + group_box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert row.locator(".quote-details").is_hidden()

    # Pointing at it marks its words in the body editor.
    page.wait_for_selector(".field-body .ProseMirror[contenteditable]")
    toggle.hover()
    # In the editor and in the copy of the body beside the list.
    page.wait_for_function("() => CSS.highlights.get('nr-quote-active')?.size === 2")
    assert marked(page, "nr-quote-active") == [LONG, LONG]
    # Every quote's light mark comes a moment after the body last changed
    # (the marks wait 250 ms for the editor and the form's scripts to settle).
    page.wait_for_function("() => CSS.highlights.get('nr-quote')?.size === 2")
    assert marked(page, "nr-quote") == [LONG, LONG]
    beside = page.locator(".quote-body-text")
    assert beside.is_visible()
    assert "said Marta Lindqvist" in beside.inner_text()
    shot(page, f"quotes-list-{width}")

    # Open it: the full text, the source picker, kind and position.
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert row.locator("textarea[name=quotes-0-text]").input_value() == LONG
    assert (
        row.locator(".select2-selection__rendered")
        .inner_text()
        .strip()
        .endswith("Marta Lindqvist")
    )
    assert row.locator("select[name=quotes-0-kind]").is_visible()
    shot(page, f"quote-open-{width}")

    # A word typed in the body is read by “Find quotes” before any save.
    # The body retyped in full (select all, type), a paragraph added at its end.
    editor = page.locator(".field-body .ProseMirror[contenteditable]")
    page.wait_for_load_state("networkidle")
    editor.click()
    page.keyboard.press("Control+a")
    for n, paragraph in enumerate([*TYPED, ADDED]):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
    page.wait_for_function(
        "() => document.querySelector('[name=body]').value.includes('pool manager')"
    )
    page.click(".quote-find")
    proposals = page.locator(".quote-proposal")
    proposals.first.wait_for()
    found = [
        " ".join(t.split())
        for t in proposals.locator(".quote-proposal-text").all_inner_texts()
    ]
    assert found == [
        "“The harbour pool will close for a year”",
        "“The roof is failing.”",
        "“It is a scandal”",
        "“Come back in spring”",
    ]  # the stored quote is not proposed again
    assert "1 is in the list already" in page.inner_text(".quote-find-status")
    page.locator(".quote-proposal").nth(2).scroll_into_view_if_needed()
    shot(page, f"quotes-found-{width}")
    assert quotes_violations(page, axe_violations, csp_violations) == []

    # Accept the lifeguard's quote: a new row, his source to be made on save.
    proposals.nth(2).get_by_role("button", name="Add this quote").click()
    assert "Save the story to keep it" in page.inner_text(".quote-find-status")
    assert proposals.count() == 3
    new_row = page.locator("#quotes-1")
    assert " ".join(new_row.locator(".quote-toggle").text_content().split()) == (
        "Tom Reyes (new source) Direct quote It is a scandal"
    )
    page.wait_for_function("() => CSS.highlights.get('nr-quote')?.size === 4")
    new_row.scroll_into_view_if_needed()
    shot(page, f"quote-accepted-{width}")
    assert (
        not Article.objects.get(pk=article.pk)
        .quotes.filter(text="It is a scandal")
        .exists()
    )

    # Find again: what was accepted is not proposed twice.
    page.click(".quote-find")
    page.wait_for_function(
        "() => document.querySelectorAll('.quote-proposal').length === 3"
    )

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    quote = Article.objects.get(pk=article.pk).quotes.get(text="It is a scandal")
    assert (quote.source.name, quote.source.description, quote.kind) == (
        "Tom Reyes",
        "a lifeguard",
        "direct",
    )
    stored = page.locator(
        ".quote-row:not(.empty-form) .quote-speaker"
    ).all_inner_texts()
    assert stored == ["Marta Lindqvist", "Tom Reyes"]
    page.locator("#quotes-group").scroll_into_view_if_needed()
    page.wait_for_function("() => CSS.highlights.get('nr-quote')?.size === 4")
    shot(page, f"quotes-saved-{width}")
    assert quotes_violations(page, axe_violations, csp_violations) == []
    assert csp_violations == []
