"""从文件登记 in Chromium, on a phone's width (360 px): the provincial office registers
浙整改办发〔2015〕2号 (004) from a .docx made from its seed text, checks the fields found beside the
highlighted text, saves it with the file as its attachment, and confirms the draft requirement
the text's deadline (2月底前 → 2015-02-28) became; only then do obligations exist."""

import pytest
from django.urls import reverse

from campaign.models import Directive, DirectiveIntake, Obligation, RequirementDraft
from tests.conftest import login
from tests.intake.docs import docx_bytes
from tests.intake.test_intake_flow import NUMBER, seed_text

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知"


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_office_registers_004_from_its_docx(world, browser_page, live_server, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, world.office_province.username)
    docx = tmp_path / "浙整改办发〔2015〕2号.docx"
    docx.write_bytes(docx_bytes(seed_text().splitlines()))

    page.goto(live_server.url + reverse("campaign:directives"))
    page.click("a:has-text('从文件登记')")
    page.wait_for_selector("#intake-form")
    assert fits(page)
    page.set_input_files("#intake-form input[type=file]", str(docx))
    page.click("#intake-form button[type=submit]")

    # The review: the number found, highlighted in the text, and in its field.
    page.wait_for_selector("#intake-directive-form")
    assert page.inner_text('#intake-text mark[data-field~="doc_number"]') == NUMBER
    assert page.input_value("input[name=number_text]") == NUMBER
    assert page.input_value("input[name=title]") == TITLE
    assert page.input_value("input[name=signed_on]") == "2015-01-15"
    assert "2月底前" in page.inner_text("#intake-deadlines")
    assert page.locator('#intake-text mark[data-field~="deadlines"]').count() >= 1
    assert fits(page)
    page.click("#intake-directive-form button[type=submit]")

    # Saved: the drafts page lists the deadline, no obligation yet.
    page.wait_for_selector("#drafts [data-draft]")
    directive = Directive.objects.get(number=NUMBER)
    intake = DirectiveIntake.objects.get(directive=directive)
    assert intake.status == DirectiveIntake.Status.REGISTERED
    draft = RequirementDraft.objects.get(directive=directive)
    assert page.get_attribute(f"#draft-{draft.pk} [data-due]", "data-due") == "2015-02-28"
    assert draft.what == "开展“回头看”情况" and draft.to_text == "省委整改办"
    assert not Obligation.objects.filter(requirement__directive=directive).exists()
    assert fits(page)

    # The directive carries its file, and says a deadline waits.
    page.goto(live_server.url + directive.get_absolute_url())
    assert docx.name in page.inner_text("#attachments")
    assert page.locator("#pending-drafts").count() == 1

    # Confirmed through the standard requirement form: now the units have their obligations.
    page.goto(live_server.url + reverse("campaign:intake_drafts", kwargs={"directive_id": directive.pk}))
    page.click(f"#draft-{draft.pk} a:has-text('确认')")
    page.wait_for_selector("#draft-source")
    assert page.input_value("input[name=deadline]") == "2月底前"
    assert fits(page)
    page.click("form.office-form button[type=submit]")
    page.wait_for_selector(f"#draft-{draft.pk}[data-status=confirmed]")
    draft.refresh_from_db()
    assert draft.status == RequirementDraft.Status.CONFIRMED
    assert draft.requirement.due_at.date().isoformat() == "2015-02-28"
    assert Obligation.objects.filter(requirement=draft.requirement).exists()
