"""Every kind of page works in Chromium under the Content-Security-Policy, and
Chromium reports no violation: the reader's site, the desk (the story form's
rich-text editor, the photo pop-up, the focal point, history and compare) and
the API docs."""

import pytest
import reversion
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse

from media.models import Photo
from media.services import attach_picture
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    PhotoFactory,
    QuoteFactory,
)
from tests.picture_files import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "csp-browser-pass-2026"


@pytest.fixture
def story():
    photo = attach_picture(
        photo=PhotoFactory(image="", focal_x=0.25, focal_y=0.5),
        file=ContentFile(jpeg((800, 450), "teal")),
        name="harbour.jpg",
    )
    article = ArticleFactory(
        harbour=True, lead_photo=photo, headline="Harbour wall vote passes"
    )
    article.tags.add("flooding")
    BylineFactory(article=article, journalist__name="Mara Quint")
    QuoteFactory(article=article, source__name="Ines Harrow")
    CorrectionFactory(article=article)
    with reversion.create_revision():  # the version the desk's edit follows
        article.save()
    return article


@pytest.fixture
def desk(page, live_server):
    """``page`` signed in to the admin as a superuser, through the login page."""
    User.objects.create_superuser("chief", password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def site_css_applied(page):
    """Whether static/css/site.css styles the page (its double masthead rule)."""
    return (
        page.locator(".masthead").evaluate(
            "el => getComputedStyle(el).borderBottomStyle"
        )
        == "double"
    )


def test_reader_pages_render_under_the_policy(
    live_server, page, story, csp_violations, screenshot, axe_violations
):
    base = live_server.url
    page.goto(base + "/")
    assert page.locator(".masthead__name").is_visible()
    assert site_css_applied(page)
    screenshot(page, "home")

    page.goto(base + story.get_absolute_url())
    assert page.locator("h1").inner_text() == story.headline
    image = page.locator("article.story figure img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    json_ld = page.locator("script[type='application/ld+json']")
    assert '"NewsArticle"' in json_ld.text_content()
    screenshot(page, "story")
    assert axe_violations(page) == []

    for path in [
        f"/{story.section.slug}/",
        "/search/?q=harbour",
        "/tags/flooding/",
        "/corrections/",
        reverse("people:source", args=[story.quotes.get().source.slug]),
        story.bylines.get().journalist.get_absolute_url(),
        "/no-such-page/here/",
    ]:
        page.goto(base + path)
        assert site_css_applied(page), path
    screenshot(page, "not-found")
    assert csp_violations == []


def test_story_form_editor_photo_pop_up_and_history_work_under_the_policy(
    live_server, desk, story, csp_violations, screenshot
):
    page, base = desk, live_server.url
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")

    # The rich-text editor loaded (its import map ran with the nonce) and has
    # its toolbar and its core's base styles (from our stylesheet).
    editor = page.locator(".ProseMirror[contenteditable=true]")
    toolbar = page.locator(".prose-menubar")
    for name in ["bold", "italic", "unordered list", "blockquote", "insert link"]:
        assert toolbar.locator(f"button[title='{name}']").is_visible(), name
    assert editor.evaluate("el => getComputedStyle(el).whiteSpace") == "break-spaces"
    # Type at the end of the last paragraph. Under load the editor can still be
    # settling when first clicked (the caret then ends up at the document's
    # start), so wait for the page's scripts and see the caret is there first.
    page.wait_for_load_state("networkidle")
    caret_in_last_paragraph = (
        "() => { const s = getSelection(), p = document.querySelectorAll("
        "'.ProseMirror p'); return !!s.anchorNode && p[p.length - 1]"
        ".contains(s.anchorNode) && s.anchorOffset === s.anchorNode.length; }"
    )
    typed_at_the_end = (
        "() => { const p = document.querySelectorAll('.ProseMirror p'); "
        "return p[p.length - 1].innerHTML === '<strong>Work starts in May.</strong>'; }"
    )
    for _attempt in range(3):
        for _ in range(10):
            editor.locator("p").last.click()
            page.keyboard.press("End")
            if page.evaluate(caret_in_last_paragraph):
                break
            page.wait_for_timeout(200)
        else:
            pytest.fail("the caret never reached the end of the last paragraph")
        page.keyboard.press("Enter")
        toolbar.locator("button[title='bold']").click()
        page.keyboard.type("Work starts in May.")
        if page.evaluate(typed_at_the_end):
            break
        # The editor was still settling and put the caret back at the start
        # (seen about one run in three under load, with or without the desk's
        # own scripts): start again from the story as stored, leaving the
        # typing behind (the leave-page warning accepted).
        page.once("dialog", lambda dialog: dialog.accept())
        page.reload()
        page.wait_for_load_state("networkidle")
    else:
        pytest.fail("the new paragraph never landed at the end of the body")
    assert editor.locator("p strong", has_text="Work starts in May.").is_visible()
    screenshot(page, "story-form")

    # "Add another photo" opens the photo form in a pop-up window, whose
    # saving hands the new photo back to the story form.
    with page.context.expect_page() as opened:
        page.click("#add_id_lead_photo")
    popup = opened.value
    popup.wait_for_load_state()
    popup.fill("#id_caption", "The harbour wall at low tide.")
    popup.fill("#id_credit", "Ana Ruiz/The Newsroom")
    popup.fill("#id_alt_text", "A long stone wall above wet sand.")
    screenshot(popup, "photo-pop-up")
    popup.click("input[name=_save]")
    popup.wait_for_event("close")
    new_photo = Photo.objects.get(caption="The harbour wall at low tide.")
    assert page.locator("#id_lead_photo").input_value() == str(new_photo.pk)

    # The editor writes its document into the form's field as it changes:
    # under load that can lag the typing, so save only once it has.
    page.wait_for_function(
        "() => document.querySelector('[name=body]').value"
        ".includes('<strong>Work starts in May.</strong>')"
    )
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    assert "was changed successfully" in page.inner_text(".messagelist")
    story.refresh_from_db()
    assert story.body.endswith("<p><strong>Work starts in May.</strong></p>")
    assert story.lead_photo == new_photo

    # History: two versions, compared.
    page.click("a.historylink")
    assert page.locator("#change-history tbody tr").count() == 2
    newest_from = page.locator("input[name=version_id1]").first
    assert not newest_from.is_visible()  # hidden by class, not by style=""
    screenshot(page, "history")
    page.click("#change-history input[type=submit]")
    page.wait_for_url("**/history/compare/**")
    assert "Work starts in May." in page.locator("#content-main").inner_text()
    screenshot(page, "compare")
    assert csp_violations == []


def test_focal_point_marker_follows_a_click_under_the_policy(
    live_server, desk, story, csp_violations
):
    page = desk
    page.goto(f"{live_server.url}/admin/media/photo/{story.lead_photo.pk}/change/")
    picture = page.locator(".focal-point img")
    marker = page.locator(".focal-point__marker")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()

    def marker_at():
        spot = marker.bounding_box()
        return (
            round((spot["x"] + spot["width"] / 2 - box["x"]) / box["width"], 2),
            round((spot["y"] + spot["height"] / 2 - box["y"]) / box["height"], 2),
        )

    assert marker.is_visible() and marker_at() == (0.25, 0.5)
    picture.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.2})
    assert page.input_value("#id_focal_x") == "0.750"
    assert page.input_value("#id_focal_y") == "0.200"
    assert marker_at() == (0.75, 0.2)
    assert csp_violations == []


def test_api_docs_render_and_run_a_request_under_the_policy(
    live_server, page, story, csp_violations, screenshot
):
    page.goto(f"{live_server.url}/api/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/stories/" in [path.strip() for path in paths]
    operations.first.locator(".opblock-summary").click()
    page.click("button.try-out__btn")
    page.click("button.execute")
    # The request the page made (connect-src 'self') and what came back.
    live = page.locator(".live-responses-table tbody")
    live.wait_for()
    assert live.locator(".response-col_status").inner_text().strip() == "200"
    assert story.headline in live.locator(".response-col_description").inner_text()
    screenshot(page, "api-docs")
    assert csp_violations == []
