"""The story form's lead photo in Chromium, at desktop and phone widths: the
photo chosen in the field is previewed at once with its caption, credit and
alt text; one added with the "+" pop-up gets its focal point set by a click
on the chosen file, and is previewed when the pop-up closes. Under the
Content-Security-Policy, with axe-core finding no serious or critical
violation."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from media.models import Photo
from media.services import attach_picture
from tests.factories import ArticleFactory, BylineFactory, PhotoFactory
from tests.picture_files import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "story-photo-pass-2026"
SHOTS = Path("/tmp/shots-storyphoto")
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(params=list(SIZES))
def size(request):
    return request.param


@pytest.fixture
def desk(browser, live_server, size, csp_violations_for):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    violations = csp_violations_for(context)
    User.objects.create_superuser("photo-chief", password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "photo-chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page, violations
    context.close()


@pytest.fixture
def csp_violations_for():
    """``conftest.csp_violations`` for a context of our own (its viewport)."""
    from tests.browser.conftest import CSP_LISTENER

    def watch(context):
        found = []
        context.expose_function(
            "reportCspViolation", lambda report: found.append(report)
        )
        context.add_init_script(CSP_LISTENER)
        context.on(
            "console",
            lambda message: (
                found.append({"console": message.text})
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return found

    return watch


# The story form's part this work is about: the "Picture and filing"
# fieldset (lead photo field, its preview, section, tags). The rest of the
# form (body editor, inlines, date fields) is checked by its own tests.
PHOTO_FIELDSET = "fieldset:has(#id_lead_photo)"


@pytest.fixture
def axe_in(axe_violations):
    """Serious and critical axe-core violations in one part of the page (a
    CSS selector), as ``axe_violations`` (which skips without axe-core) finds
    them in a whole one."""
    from tests.browser.conftest import AXE, AXE_TAGS

    script = AXE.read_text()

    def check(page, selector, violations):
        # axe-core's own checks make inline styles the policy refuses: what
        # the policy reports while axe runs is axe's, not the page's.
        before = len(violations)
        page.evaluate(script)
        result = page.evaluate(
            "([selector, tags]) => axe.run({include: [selector]},"
            " {runOnly: {type: 'tag', values: tags}})",
            [selector, AXE_TAGS],
        )
        page.wait_for_timeout(300)
        del violations[before:]
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return check


def shoot(page, size, label):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{label}-{size}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def card_text(page):
    return page.locator(".lead-photo-card").inner_text()


def test_a_chosen_or_uploaded_lead_photo_is_previewed_at_once(
    live_server, desk, size, axe_in
):
    page, violations = desk
    photo = attach_picture(
        photo=PhotoFactory(
            image="",
            caption="Ferry leaving the north quay at dusk.",
            credit="Teo Vance/The Newsroom",
            alt_text="A white ferry on dark water under an orange sky.",
        ),
        file=ContentFile(jpeg((900, 600), "orange")),
        name="ferry.jpg",
    )
    story = ArticleFactory(draft=True, headline="Ferry timetable changes")
    BylineFactory(article=story)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    card = page.locator(".lead-photo-card")
    assert "No lead photo" in card_text(page)

    # Choose the photo in the field: the preview follows without a save.
    page.click("#id_lead_photo + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Ferry")
    page.click(".select2-results__option:has-text('Ferry leaving the north quay')")
    image = card.locator("img")
    image.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.get_attribute("alt") == photo.alt_text
    text = card_text(page)
    assert "Ferry leaving the north quay at dusk." in text
    assert "Photo: Teo Vance/The Newsroom" in text
    assert f"Alt text: {photo.alt_text}" in text
    card.scroll_into_view_if_needed()
    shoot(page, size, "chosen-photo-preview")
    assert axe_in(page, PHOTO_FIELDSET, violations) == []

    # Add a new one with "+": the pop-up takes the focal point from a click
    # on the chosen file, before anything is saved.
    with page.context.expect_page() as opened:
        page.click("#add_id_lead_photo")
    popup = opened.value
    popup.wait_for_load_state()
    popup.set_input_files(
        "#id_image",
        {
            "name": "quay.jpg",
            "mimeType": "image/jpeg",
            "buffer": jpeg((800, 500), "teal"),
        },
    )
    popup.fill("#id_caption", "Cranes over the new quay.")
    popup.fill("#id_credit", "Ana Ruiz/The Newsroom")
    popup.fill("#id_alt_text", "Two yellow cranes above a concrete quay.")
    picture = popup.locator(".focal-point img")
    picture.wait_for(state="visible")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.2})
    across = float(popup.input_value("#id_focal_x"))
    down = float(popup.input_value("#id_focal_y"))
    assert abs(across - 0.75) < 0.01 and abs(down - 0.2) < 0.01
    marker = popup.locator(".focal-point__marker")
    assert marker.is_visible()
    spot = marker.bounding_box()
    assert abs((spot["x"] + spot["width"] / 2 - box["x"]) / box["width"] - 0.75) < 0.02
    assert picture.get_attribute("alt") == "Two yellow cranes above a concrete quay."
    shoot(popup, size, "pop-up-focal-point")
    assert axe_in(popup, "body", violations) == []
    popup.click("input[name=_save]")
    popup.wait_for_event("close")

    new_photo = Photo.objects.get(caption="Cranes over the new quay.")
    assert (new_photo.focal_x, new_photo.focal_y) == (across, down)
    assert page.locator("#id_lead_photo").input_value() == str(new_photo.pk)
    page.wait_for_function(
        "() => document.querySelector('.lead-photo-card').innerText"
        ".includes('Cranes over the new quay.')"
    )
    image = card.locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.get_attribute("alt") == "Two yellow cranes above a concrete quay."
    assert "Photo: Ana Ruiz/The Newsroom" in card_text(page)
    card.scroll_into_view_if_needed()
    shoot(page, size, "uploaded-photo-preview")
    assert axe_in(page, PHOTO_FIELDSET, violations) == []

    # Saved, the story keeps the photo the preview showed.
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    story.refresh_from_db()
    assert story.lead_photo == new_photo
    assert "Cranes over the new quay." in card_text(page)
    assert violations == []
