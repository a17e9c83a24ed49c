"""The sourcing report in Chromium at desktop and phone widths: reached from
the source list, filtered, accessible and within the Content-Security-Policy."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import sign_in
from tests.test_sourcing_report import newsroom  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"
SHOTS = Path("/tmp/shots-sourcing")


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_an_editor_reads_the_sourcing_report(
    live_server,
    browser,
    screenshot,
    axe_violations,
    csp_violations,
    page,
    newsroom,  # noqa: F811
    width,
    height,
):
    editor = User.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    base = live_server.url
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, base, "ed", PASSWORD)
    page.goto(f"{base}/admin/people/source/")
    page.click(".object-tools a:has-text('Sourcing report')")
    page.fill("#id_date_from", "2026-01-01")
    page.fill("#id_date_to", "2026-02-28")
    page.click("button:has-text('Show')")
    page.wait_for_url("**date_from=2026-01-01**")
    text = page.inner_text("#content-main")
    assert "Unattributed quotes" in text
    assert "42.9%" in text
    assert page.locator("svg.sourcing-chart title").first.text_content() == (
        "Official and non-official voices: share of attributed quotes"
    )
    assert axe_violations(page) == []
    assert csp_violations == []
    path = screenshot(page, f"sourcing-report-{width}")
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
