"""The unattributed-quotes queue in Chromium: an editor goes from the sourcing
report's figure to the queue, attributes one quote with a click and another
with the picker; the page is accessible and within the Content-Security-Policy."""

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import sign_in
from tests.test_unattributed_queue import LATE, desk, reporter  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_an_editor_attributes_quotes_from_the_queue(
    live_server,
    screenshot,
    axe_violations,
    csp_violations,
    page,
    desk,  # noqa: F811
    width,
    height,
):
    editor = User.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    base = live_server.url
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, base, "ed", PASSWORD)
    page.goto(f"{base}/admin/sourcing/sourcingreport/")
    page.click(".sourcing-summary a[title='Review the unattributed quotes']")
    page.wait_for_url("**/admin/sourcing/unattributedquote/?status=published")
    row = page.locator(f"#quote-{desk['late'].pk}")
    assert row.locator("mark").inner_text() == LATE
    assert axe_violations(page) == []
    screenshot(page, f"queue-{width}")

    row.locator("button:has-text('Tom Hill')").click()
    page.wait_for_selector(".messagelist .success")
    assert "Quote attributed to Tom Hill" in page.inner_text(".messagelist")
    assert page.locator(f"#quote-{desk['late'].pk}").count() == 0

    # The picker: any source, by autocomplete.
    page.goto(f"{base}/admin/sourcing/unattributedquote/")
    roof = page.locator(f"#quote-{desk['roof'].pk}")
    roof.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Jane")
    page.locator(".select2-results__option:has-text('Jane Doe')").click()
    roof.locator("button:has-text('Attribute')").click()
    page.wait_for_selector(".messagelist .success")
    assert "Quote attributed to Jane Doe" in page.inner_text(".messagelist")
    assert "No unattributed quotes" in page.inner_text("#content-main")
    assert axe_violations(page) == []
    assert csp_violations == []
