"""A story's History and its compare page in real Chromium, at desktop and
phone widths: readable lines, marked words, nothing scrolled sideways, no
serious accessibility problem, nothing the Content-Security-Policy blocks."""

from pathlib import Path

import pytest
import reversion
from django.contrib.auth.models import Group, User

from articles.models import Article, Correction, Quote

from ..factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PhotoFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"
SHOTS = Path("/tmp/shots-history")

LONG_PARAGRAPH = (
    "The harbour master said the winter timetable would hold until the end of "
    "March, with an extra sailing on Friday evenings for the market traders "
    "who asked for it at the last council meeting, and a review in spring. "
)


def saved(article, by, comment=None):
    """Save ``article`` (and what hangs off it) as one version, as the form does."""
    with reversion.create_revision():
        article.save()
        reversion.add_to_revision(article)
        reversion.set_user(by)
        if comment:
            reversion.set_comment(comment)


def story_with_history(editor):
    article = ArticleFactory(
        headline="Ferry timetable stays the same all winter",
        standfirst="The winter timetable starts in November.",
        body="<p>The ferry leaves at six every morning.</p>"
        f"<p>{LONG_PARAGRAPH * 2}</p><p>Tickets cost two dollars.</p>",
        lead_photo=PhotoFactory(caption="The morning ferry at the quay."),
    )
    BylineFactory(article=article, journalist=JournalistFactory(name="Ana Ruiz"))
    QuoteFactory(
        article=article,
        text="The timetable holds all winter.",
        source=SourceFactory(name="Piet Vos"),
    )
    article.tags.add("ferries", "harbour")
    saved(article, editor, "Before the first edit")

    article = Article.objects.get(pk=article.pk)
    article.headline = "Ferry timetable changes for the winter months"
    article.standfirst = "The winter timetable starts in December."
    article.body = (
        "<p>The ferry leaves at seven every morning.</p>"
        f"<p>{LONG_PARAGRAPH * 2}</p><p>Tickets cost two dollars.</p>"
        "<p>A late boat runs on Fridays from the north quay.</p>"
    )
    article.lead_photo = PhotoFactory(caption="Passengers boarding in the rain.")
    article.tags.set(["harbour", "timetables", "night markets"])
    BylineFactory(
        article=article,
        journalist=JournalistFactory(name="Bea Lind"),
        position=1,
        role="Additional reporting",
    )
    Quote.objects.filter(article=article).update(
        text="The timetable holds all winter and well into spring."
    )
    Correction.objects.create(
        article=article, text="The first ferry leaves at seven, not six."
    )
    saved(article, editor)
    return article


def no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_an_editor_reads_a_storys_history_and_compares_two_versions(
    live_server, browser, axe_violations, width, height
):
    SHOTS.mkdir(exist_ok=True)
    editor = User.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    article = story_with_history(editor)
    base = live_server.url
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else 0,
    )
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/**")

    page.goto(f"{base}/admin/articles/article/{article.pk}/history/")
    lines = page.inner_text("#change-history tbody")
    assert "Headline, body and standfirst changed" in lines
    assert "Before the first edit" in lines
    assert "Tags changed" in lines and "Correction added" in lines
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"history-list-{width}.png"), full_page=True)

    page.click("#change-history input[type=submit]")
    page.wait_for_url("**/history/compare/**")
    main = page.locator("#content-main")
    assert "What changed" in main.inner_text()
    body = page.locator("section", has=page.locator("h2", has_text="Body"))
    assert body.locator("del").first.text_content().strip() == "[removed: six]"
    assert body.locator("ins").first.text_content().strip() == "[added: seven]"
    tags = page.locator(".story-compare__chips li")
    assert tags.count() == 4  # ferries removed; harbour kept; two added
    assert "Correction added" in main.inner_text()
    assert "Byline added" in main.inner_text()
    assert "<p>" not in main.inner_text()
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"compare-{width}.png"), full_page=True)

    # The unchanged paragraphs open on demand.
    page.click("summary:has-text('unchanged')")
    assert page.locator("details[open] .diff-row").count() == 2
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"compare-unfolded-{width}.png"), full_page=True)
    assert blocked == []
    context.close()
