"""The story form in Chromium: autosave and restore, the leave-page warning,
who else has the story open, and the submitted story's page."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from desk.models import StoryAutosave
from tests.browser.conftest import AXE, AXE_TAGS, CSP_LISTENER
from tests.browser.conftest import sign_in as browser_sign_in
from tests.factories import ArticleFactory, BylineFactory, JournalistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"
SHOTS = Path("/tmp/shots-autosave")
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def staff(username, role, first_name="", last_name=""):
    user = User.objects.create_user(
        username,
        password=PASSWORD,
        is_staff=True,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def desk_page(browser, size, csp):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.expose_function("reportCspViolation", lambda report: csp.append(report))
    context.add_init_script(CSP_LISTENER)
    context.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp.append(message.text)
        ),
    )
    return context, context.new_page()


def sign_in(page, base, username):
    browser_sign_in(page, base, username, PASSWORD)


def desk_violations(page, csp):
    """Serious and critical axe-core violations in the desk's notices (the
    rest of the admin's form is not this module's). axe-core's own probes
    (a <style> it adds while it measures) are not the page's CSP reports."""
    page.evaluate(AXE.read_text())
    mark = len(csp)
    result = page.evaluate(
        "tags => axe.run({include: ['#desk-story', '.object-tools',"
        " '.messagelist', '.desk-readable-body']},"
        " {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    everything = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    page.wait_for_timeout(200)
    del csp[mark:]
    # What axe finds on the whole form, for the record (the form's own
    # fields are other work's): /tmp/shots-autosave/axe-whole-page.txt.
    SHOTS.mkdir(exist_ok=True)
    with (SHOTS / "axe-whole-page.txt").open("a") as record:
        for v in everything["violations"]:
            if v["impact"] in {"serious", "critical"}:
                targets = [n["target"] for n in v["nodes"]]
                record.write(f"{page.url} {v['id']} {v['impact']} {targets}\n")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def reporters_draft():
    rita = staff("rita", "Reporter", "Rita", "Ramos")
    journalist = JournalistFactory(name="Rita Ramos", slug="rita-ramos", user=rita)
    article = ArticleFactory(draft=True, harbour=True)
    BylineFactory(article=article, journalist=journalist)
    return article


@pytest.mark.parametrize("size", SIZES)
def test_autosave_restore_leave_warning_and_who_else_has_it_open(
    live_server, browser, size
):
    article = reporters_draft()
    staff("ana", "Editor", "Ana", "Ruiz")
    base = live_server.url
    form_url = f"{base}/admin/articles/article/{article.pk}/change/"
    csp = []

    context, page = desk_page(browser, size, csp)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    sign_in(page, base, "rita")
    page.goto(form_url)
    page.fill("#id_headline", "Sea wall vote delayed by a week")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Engineers will report first.")
    status = page.locator("[data-desk-status]")
    status.get_by_text("Draft copy kept at").wait_for(timeout=20_000)
    copy = StoryAutosave.objects.get()
    assert copy.data["fields"]["headline"] == "Sea wall vote delayed by a week"
    assert "Engineers will report first." in copy.data["fields"]["body"]
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == "Harbour council approves new sea wall"  # untouched
    shot(page, f"{size}-1-autosaved")

    # Leaving with unsaved changes asks first.
    page.goto(form_url)
    assert dialogs == ["beforeunload"]

    offer = page.locator("[data-desk-restore]")
    offer.wait_for(state="visible")
    assert "Unsaved changes from " in offer.inner_text()
    assert page.locator("#id_headline").input_value() == stored.headline
    shot(page, f"{size}-2-offered-back")
    assert desk_violations(page, csp) == []

    page.click("[data-desk-restore-button]")
    assert offer.is_hidden()
    assert page.locator("#id_headline").input_value() == (
        "Sea wall vote delayed by a week"
    )
    editor = page.locator(".ProseMirror[contenteditable=true]")
    assert "Engineers will report first." in editor.inner_text()
    assert "Restored your unsaved changes" in status.inner_text()
    shot(page, f"{size}-3-restored")

    # Ana opens the story while Rita has it open.
    context2, page2 = desk_page(browser, size, csp)
    sign_in(page2, base, "ana")
    page2.goto(form_url)
    notice = page2.locator("[data-desk-presence]")
    notice.wait_for(state="visible")
    assert "Rita Ramos has had this story open since " in notice.inner_text()
    assert "the second save is refused" in notice.inner_text()
    shot(page2, f"{size}-4-someone-else-has-it-open")
    assert desk_violations(page2, csp) == []
    context2.close()

    # Saving is no "leave": no warning; the copy goes once the story is saved.
    page.wait_for_function(
        "() => document.querySelector('[name=body]').value"
        ".includes('Engineers will report first.')"
    )
    page.click("input[name=_continue]")
    page.wait_for_url(form_url)
    assert dialogs == ["beforeunload"]
    assert "was changed successfully" in page.inner_text(".messagelist")
    stored.refresh_from_db()
    assert stored.headline == "Sea wall vote delayed by a week"
    assert "Engineers will report first." in stored.body
    assert not StoryAutosave.objects.exists()
    assert page.locator("[data-desk-restore]").is_hidden()

    # Nothing changed since the save: leaving asks nothing.
    page.goto(f"{base}/admin/")
    assert dialogs == ["beforeunload"]
    context.close()
    assert csp == []


@pytest.mark.parametrize("size", SIZES)
def test_a_new_story_is_autosaved_and_offered_back(live_server, browser, size):
    staff("rita", "Reporter", "Rita", "Ramos")
    base = live_server.url
    csp = []
    context, page = desk_page(browser, size, csp)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, base, "rita")
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", "Night ferries return")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Two crossings restart in May.")
    page.locator("[data-desk-status]").get_by_text("Draft copy kept at").wait_for(
        timeout=20_000
    )
    page.goto(f"{base}/admin/articles/article/add/")
    page.locator("[data-desk-restore]").wait_for(state="visible")
    page.click("[data-desk-restore-button]")
    assert page.locator("#id_headline").input_value() == "Night ferries return"
    assert page.locator("#id_slug").input_value() == "night-ferries-return"
    assert "Two crossings restart in May." in page.inner_text(
        ".ProseMirror[contenteditable=true]"
    )
    shot(page, f"{size}-5-new-story-restored")

    # Discard on the next visit leaves nothing to offer.
    page.goto(f"{base}/admin/articles/article/add/")
    page.locator("[data-desk-restore]").wait_for(state="visible")
    page.click("[data-desk-discard-button]")
    page.locator("[data-desk-status]").get_by_text("Discarded").wait_for()
    assert not StoryAutosave.objects.exists()
    assert desk_violations(page, csp) == []
    context.close()
    assert csp == []


@pytest.mark.parametrize("size", SIZES)
def test_the_submitted_story_page(live_server, browser, size):
    article = reporters_draft()
    base = live_server.url
    csp = []
    context, page = desk_page(browser, size, csp)
    sign_in(page, base, "rita")
    form_url = f"{base}/admin/articles/article/{article.pk}/change/"
    page.goto(form_url)
    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    page.wait_for_url(form_url)
    assert "Submitted for review — " in page.inner_text(".messagelist")
    notice = page.locator(".desk-submitted")
    assert "cannot be changed while it is in review" in notice.inner_text()
    body = page.locator(".desk-readable-body")
    assert body.inner_text().startswith("Councillors voted 9 to 2 on Tuesday.")
    assert "<p>" not in page.locator("#content-main").inner_text()
    assert page.locator("a.viewsitelink").text_content() == "Preview"
    shot(page, f"{size}-6-submitted")
    assert desk_violations(page, csp) == []

    page.click("text=Withdraw to draft")
    page.wait_for_url(form_url)
    assert "Withdrawn to draft — " in page.inner_text(".messagelist")
    assert page.locator("#id_headline").is_editable()
    shot(page, f"{size}-7-withdrawn")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    context.close()
    assert csp == []
