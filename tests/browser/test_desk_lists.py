"""The desk's lists, drawn in one pass, work in a browser as Django's do: the
select-all box, the action counter, sorting and filtering, at desktop and
phone widths, accessible and under the Content-Security-Policy."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.test_desk_lists import newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-lists-pass-2026"
SHOTS = Path("/tmp/shots-desklists")
LISTS = {
    "stories": "/admin/articles/article/",
    "sources": "/admin/people/source/",
    "journalists": "/admin/people/journalist/",
    "photos": "/admin/media/photo/",
}
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_lists_select_sort_and_filter(
    viewport, live_server, browser, axe_violations
):
    chief = User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    newsroom(8, chief)
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and blocked.append(m.text),
    )
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    SHOTS.mkdir(exist_ok=True)
    for name, path in LISTS.items():
        page.goto(f"{base}{path}")
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == 8, name
        page.screenshot(path=str(SHOTS / f"{name}-{viewport}.png"), full_page=True)
        assert axe_violations(page) == [], name

    # Django's actions.js works on the rows: select all, the counter, one off.
    page.goto(f"{base}{LISTS['stories']}")
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() == 8
    assert "8 of 8 selected" in page.inner_text(".action-counter")
    page.locator("input.action-select").first.uncheck()
    assert "7 of 8 selected" in page.inner_text(".action-counter")
    # A sort header and a filter lead to the list sorted and filtered.
    page.click("th.column-headline a")
    page.wait_for_url("**/?o=2*")
    page.locator("th.column-headline.sorted").wait_for()
    page.goto(f"{base}{LISTS['stories']}?state=draft")
    assert page.locator("#result_list tbody tr").count() == 2
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_url("**/change/?_changelist_filters=state%3Ddraft")
    page.locator("#id_headline").wait_for()
    assert blocked == []
    context.close()
