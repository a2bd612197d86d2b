"""The whole review loop for the 10 January 2014 preliminary written summary (000), on the demo
data, in a real browser: upload, return with a reason, new version, approval, office dashboard."""

import pytest

from campaign.models import DirectiveAttachment, Obligation, ObligationStatus, Requirement, Route, SubmissionFile
from demo.accounts import DEMO_PASSWORD
from tests.conftest import load_demo, login
from tests.workspace.workspace_helpers import PDF
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")


def upload_version(page, obligation_url, name, text):
    page.goto(obligation_url)
    page.fill("#submit-form textarea[name=text]", text)
    page.set_input_files("#id_files", files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("#obligation-status[data-status=submitted]")


def test_summary_loop_in_the_browser(browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_demo(stdout=open("/dev/null", "w"), story=False)  # noqa: SIM115
    requirement = Requirement.objects.get(title="初步书面总结", directive__number="浙群组发〔2013〕48号")
    assert requirement.route == Route.SUPERVISION_FIRST
    organ = Unit.objects.get(code="330000-05")
    obligation = Obligation.objects.get(requirement=requirement, unit=organ)
    url = f"{live_server.url}{obligation.get_absolute_url()}"
    page = browser_page

    # The liaison finds the summary on the workspace and uploads a PDF.
    switch_user(page, live_server, "liaison_fgw")
    page.goto(f"{live_server.url}/directives/work/")
    page.get_by_role("link", name="初步书面总结").first.click()
    page.wait_for_selector("#submit-form")
    upload_version(page, url, "初步书面总结.pdf", "省发展改革委第一批教育实践活动初步书面总结")

    # A member of the supervision group finds it in the queue and returns it with a reason.
    switch_user(page, live_server, "sup_member")
    page.goto(f"{live_server.url}/supervision/work/")
    page.locator(".review-queue").get_by_role("link", name="初步书面总结").click()
    page.check("#review-form input[name=decision][value=return]")
    page.fill("#review-form textarea[name=reason]", "缺少整改落实成效和群众满意度数据")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#obligation-status[data-status=returned]")

    # The liaison sees the reason and uploads a new version.
    switch_user(page, live_server, "liaison_fgw")
    page.goto(url)
    assert "缺少整改落实成效和群众满意度数据" in page.locator("#return-reason").inner_text()
    upload_version(page, url, "初步书面总结（修改稿）.pdf", "已补充整改成效和满意度数据")
    versions = page.locator("#versions").inner_text()
    assert "初步书面总结.pdf" in versions and "初步书面总结（修改稿）.pdf" in versions

    # The group leader approves.
    switch_user(page, live_server, "sup_leader")
    page.goto(url)
    page.check("#review-form input[name=decision][value=approve]")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#obligation-status[data-status=accepted]")

    # The provincial office's dashboard shows it accepted.
    switch_user(page, live_server, "zj_office")
    page.goto(f"{live_server.url}/directives/dashboard/?unit={organ.pk}")
    row = page.locator('[data-testid="dashboard-requirements"] tr', has_text="初步书面总结").first
    cells = row.locator("td").all_inner_texts()
    # 报送事项, 截止时间, 合计, 待报送, 待审核, 已退回, 已通过 ...
    assert cells[2:7] == ["1", "0", "0", "0", "1"]

    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED
    assert obligation.submissions.count() == 2
    # The two versions' files and the demo's 实施方案 of 浙整改办发〔2015〕2号, nothing else (no temp files).
    stored = {p.relative_to(tmp_path / "uploads").as_posix() for p in (tmp_path / "uploads").rglob("*") if p.is_file()}
    expected = {f.stored_name for f in SubmissionFile.objects.filter(submission__obligation=obligation)}
    assert len(expected) == 2
    assert stored == expected | set(DirectiveAttachment.objects.exclude(stored_name="").values_list("stored_name", flat=True))
