"""Adding a reporter in one form, at desktop and phone widths."""

import pytest
from django.contrib.auth.models import User

from people.models import Journalist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-test-pass-2026"


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_a_superuser_adds_a_reporter_in_one_step(
    live_server, browser, screenshot, axe_violations, width, height
):
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    base = live_server.url
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/people/journalist/")
    page.click("text=Add a staff member")
    page.fill("#id_name", "Ana Ruiz")
    page.fill("#id_email", "ana.ruiz@example.org")
    page.check("input[name=role][value=Reporter]")
    page.fill("#id_password1", "harbour-Lights-42")
    page.fill("#id_password2", "harbour-Lights-42")
    page.fill("#id_journalist_title", "Courts reporter")
    assert axe_violations(page) == []
    screenshot(page, f"staff-form-{width}")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/people/journalist/*/change/")
    assert "can now sign in to the desk as Reporter with an author page" in (
        page.inner_text(".messagelist")
    )
    screenshot(page, f"staff-added-{width}")
    context.close()
    journalist = Journalist.objects.get()
    assert journalist.user.username == "ana.ruiz"
    assert journalist.user.groups.get().name == "Reporter"
