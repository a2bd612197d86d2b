"""A real browser logs in through the login form and lands on its home page."""

import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_logs_in_with_chromium_and_sees_own_obligations(browser_page, live_server, world):
    page = browser_page
    page.goto(f"{live_server.url}/")
    # Anonymous: redirected to the login form, in Chinese.
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    login(page, live_server, "liaison_fgw")
    page.wait_for_selector("#liaison-section")
    assert page.locator("h1").inner_text() == "我的工作"
    row = page.locator(f'tr[data-obligation="{world.obligation_organ.pk}"]')
    assert "初步书面总结" in row.inner_text()
    assert "2014年1月10日 23:59" in row.inner_text()
    assert page.locator(f'tr[data-obligation="{world.obligation_organ2.pk}"]').count() == 0
    # Bootstrap's JS is loaded from static: the user menu drops down and logs out by POST.
    page.click("#app-user-menu")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")
