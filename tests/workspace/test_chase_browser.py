"""催办 in a real browser (issue 13): the office filters the late units of a requirement, chases
them with a note; the liaison finds the chase on the to-do page, opens it (签收) and submits; the
office then sees the chase signed for and the unit no longer late."""

import pytest

from campaign.models import Chase, ObligationStatus
from tests.conftest import deliver_events, login
from tests.workspace.workspace_helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")


def test_office_chases_late_units_and_the_liaison_signs_and_submits(browser_page, live_server, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    world.liaison_organ.full_name, world.liaison_organ.mobile = "王晓明", "13800000001"
    world.liaison_organ.save()
    page = browser_page
    requirement_url = f"{live_server.url}{world.requirement.get_absolute_url()}"
    obligation = world.obligation_organ

    # The office opens the requirement, keeps the late units only, and chases them all with a note.
    switch_user(page, live_server, "office_zj")
    page.goto(requirement_url)
    page.click('[data-testid="only-overdue"]')
    page.wait_for_selector('[data-testid="chase-all"]')
    row = page.locator(f'tr[data-obligation="{obligation.pk}"]')
    assert "王晓明" in row.inner_text() and "已逾期" in row.inner_text()
    page.fill('[data-testid="chase-all"] textarea[name=note]', "请于今天下班前报送初步书面总结")
    page.click('[data-testid="chase-all"] button')
    page.wait_for_selector(".alert-success")
    assert "已催办 1 次" in page.locator(f'tr[data-obligation="{obligation.pk}"]').inner_text()
    assert page.locator(f'tr[data-obligation="{obligation.pk}"] [data-testid="chase-unsigned"]').count() == 1
    deliver_events()  # the beat's flush and the senders

    # The liaison sees the chase on the to-do page and in the notification centre, opens it and submits.
    switch_user(page, live_server, "liaison_fgw")
    page.goto(f"{live_server.url}/notifications/todo/")
    chase_item = page.locator('[data-todo-kind="chases"]').first
    assert "请于今天下班前报送初步书面总结" in chase_item.inner_text()
    chase_item.get_by_role("link").first.click()
    page.wait_for_selector("#submit-form")
    assert Chase.objects.get(obligation=obligation).received_at is not None
    page.fill("#submit-form textarea[name=text]", "省发展改革委初步书面总结")
    page.set_input_files("#id_files", files=[{"name": "初步书面总结.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("#obligation-status[data-status=submitted]")
    page.goto(f"{live_server.url}/notifications/")
    assert "【催办】省发展改革委" in page.content()

    # Back at the office: the chase is signed for, and the unit is no longer among the late ones.
    switch_user(page, live_server, "office_zj")
    page.goto(requirement_url)
    assert page.locator(f'tr[data-obligation="{obligation.pk}"] [data-testid="chase-signed"]').count() == 1
    page.goto(requirement_url + "?status=overdue")
    assert page.locator(f'tr[data-obligation="{obligation.pk}"]').count() == 0
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.SUBMITTED and obligation.received_at is not None
