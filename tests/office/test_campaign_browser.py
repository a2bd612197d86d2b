"""In a browser: an office sets up a theme education starting today from the shipped template,
launches it, registers a directive in it, adds a requirement due next month for two cities, and
sees their obligations on the requirement's page."""

import pytest
from dateutil.relativedelta import relativedelta

from campaign.deadlines import resolve_deadline
from campaign.models import Campaign, Directive, Obligation
from core import clock
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_launch_and_issue(browser_page, live_server, world):
    page = browser_page
    today = clock.today()
    due = today + relativedelta(months=1)
    deadline = f"{due.month}月{due.day}日前"
    assert resolve_deadline(deadline, today).due_at.date() == due  # the phrase means next month, whatever today is

    login(page, live_server, world.office_province.username)
    page.wait_for_url(f"{live_server.url}/")
    page.click("#app-campaign-menu")
    page.click("text=管理活动")
    page.click("text=新建活动")
    page.select_option("select[name=template]", "theme_education")
    page.fill("input[name=name]", "学习贯彻新思想主题教育")
    page.fill("input[name=short_name]", "主题教育")
    page.fill("input[name=starts_on]", today.isoformat())
    page.click("#campaign-form button[type=submit]")
    assert page.inner_text("#campaign-status") == "筹备中"
    assert page.inner_text("#phases tbody").split("\n")[0].startswith("1")
    assert "调查研究" in page.inner_text("#phases") and "检视整改" in page.inner_text("#phases")
    assert "不分批次" in page.inner_text("#batches")

    page.click("#launch-campaign")
    assert page.inner_text("#campaign-status") == "进行中"
    campaign = Campaign.objects.get(name="学习贯彻新思想主题教育")
    assert campaign.status == Campaign.Status.LAUNCHED
    assert "主题教育" in page.inner_text("#app-campaign-menu")

    page.goto(f"{live_server.url}/directives/")
    page.click("text=登记公文")
    assert "学习贯彻新思想主题教育" in page.inner_text("#directive-campaign")
    page.select_option("select[name=issuing_unit]", label="浙江省")
    page.fill("input[name=issuer_name]", "中共浙江省委主题教育领导小组")
    page.fill("input[name=title]", "关于开展主题教育的实施方案")
    page.fill("input[name=signed_on]", today.isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector("text=添加报送要求")
    directive = Directive.objects.get(title="关于开展主题教育的实施方案")
    assert directive.campaign == campaign

    page.click("text=添加报送要求")
    page.fill("input[name=title]", "主题教育实施方案")
    page.select_option("select[name=phase]", label="学习教育")
    page.fill("input[name=deadline]", deadline)
    page.wait_for_selector("[data-testid=deadline-resolved]")
    page.fill("textarea[name=explicit_codes]", "330100\n330200")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=新增 2 项报送任务")
    table = page.inner_text("main")
    assert "杭州市" in table and "宁波市" in table and "北仑区" not in table
    assert set(Obligation.objects.in_campaign(campaign).values_list("unit__code", flat=True)) == {"330100", "330200"}

    # the earlier campaign's directives are not listed while this one is current
    page.goto(f"{live_server.url}/directives/")
    listed = page.inner_text("main table")
    assert "关于开展主题教育的实施方案" in listed and "群组发〔2013〕29号" not in listed
