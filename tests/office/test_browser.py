"""In a browser: register 浙群组发〔2013〕48号 as a forward of 群组发〔2013〕29号, add the
10 January requirement for first-batch units, and see the obligations on the dashboard."""

import pytest

from campaign.tasks import refresh_dashboards
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_forward_require_and_watch(browser_page, live_server, world):
    world.zj_48.delete()  # registered again through the pages
    page = browser_page
    login(page, live_server, world.office_province.username)
    page.goto(f"{live_server.url}/directives/{world.central_29.pk}/")
    page.click("text=转发")
    page.fill("input[name=number_text]", "浙群组发〔2013〕048号")
    page.click("button[type=submit]")
    assert "不编虚位" in page.inner_text("[data-field-error=number_text]")
    page.fill("input[name=number_text]", "浙群组发〔2013〕48号")
    page.fill("input[name=signed_on]", "2013-12-24")  # registered after the fact: its own date, not today's
    page.click("button[type=submit]")
    assert page.inner_text("[data-testid=directive-number]") == "浙群组发〔2013〕48号"
    assert "群组发〔2013〕29号" in page.inner_text("[data-testid=forwards]")

    page.click("text=添加报送要求")
    page.fill("input[name=title]", "初步书面总结")
    page.select_option("select[name=target_batch]", label="第一批")
    page.fill("input[name=deadline]", "2014年1月10日前")
    page.wait_for_selector("[data-testid=deadline-resolved]")
    assert "2014年1月10日 23:59" in page.inner_text("#deadline-preview")
    page.click("button[type=submit]")
    page.wait_for_selector("text=新增 3 项报送任务")

    # The home page kept the province's figures before the requirement existed; the change queued
    # their refresh, which a worker runs (here, this process: campaign.dashboard_cache).
    refresh_dashboards([[world.province.path, str(world.campaign.pk)]])
    page.goto(f"{live_server.url}/directives/dashboard/")
    table = page.inner_text("[data-testid=dashboard-requirements]")
    assert "初步书面总结" in table
    row = page.locator("[data-testid=dashboard-children] tr[data-unit='330000']")
    assert row.get_attribute("data-light") == "overdue"
    page.wait_for_selector("#dashboard-units-chart canvas")
