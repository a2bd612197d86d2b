"""A village liaison's week on a phone (360 × 740), in Chromium: records a study session (002),
claims and answers a mass opinion concerning the village ("下去一把抓、回来再分家"), and answers a
returned close request of a rectification item with a photo as evidence (003), previewed inline.
Every page fits the screen."""

import struct
import zlib

import pytest
from django.urls import reverse

from core import clock
from rectification import workflow
from rectification.models import RectificationItem, RectificationPlan
from tests.conftest import login
from units.models import Opinion, StudyRecord
from units.opinions import record_opinion

pytestmark = pytest.mark.django_db(transaction=True)


def photo_png(width=4, height=3):
    """A real (tiny) PNG photo: signature, IHDR, one IDAT of grey pixels, IEND."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_village_liaisons_week_on_a_phone(world, village, thresholds, browser_page, live_server, tmp_path):
    page, liaison = browser_page, world.liaison_village
    today = clock.today()
    opinion = Opinion(text="村里开会太多，通知发了又发，群众跑腿多。", channel=Opinion.Channel.FACE_TO_FACE,
                      four_winds="formalism", source="村民座谈会", collected_on=today)
    record_opinion(opinion, unit=village, actor=world.office_hangzhou)
    plan = RectificationPlan.objects.create(campaign=world.campaign, unit=village, title="北山社区整改方案",
                                            responsible_person="陈书记")
    item = RectificationItem.objects.create(plan=plan, problem="村务公开不及时", four_winds="formalism",
                                            measures="每月10日前公开村务", owner="陈书记", due_on=today)
    workflow.transition(item, "request_close", liaison, evidence="已公开三个月村务")
    workflow.transition(item, "reject_close", world.office_hangzhou, reason="缺少公开栏照片，请补充后再申请。")

    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, liaison.username)

    # Monday: the study session of the community's Party branch.
    page.goto(live_server.url + reverse("units:study", kwargs={"unit_id": village.pk}))
    assert fits(page)
    page.select_option("#study-form select[name=kind]", "discussion")
    page.fill("#study-form input[name=held_on]", today.isoformat())
    page.fill("#study-form input[name=topic]", "学习党章，对照检查“四风”问题")
    page.fill("#study-form input[name=participants]", "23")
    page.click("#study-form button[type=submit]")
    page.wait_for_selector("#study-records [data-record]")
    record = StudyRecord.objects.get(unit=village)
    assert record.kind == "discussion" and record.participants == 23 and record.held_on == today
    discussion = next(t for t in thresholds if t.kind == "discussion" and t.level == village.level)
    assert page.get_attribute(f'[data-threshold="{discussion.pk}"] [aria-valuenow]', "aria-valuenow") == "100"
    assert fits(page)

    # Tuesday: the opinion the township brought back concerns the village: claim it, then answer it.
    page.goto(live_server.url + reverse("units:opinion_queue"))
    assert fits(page)
    page.click(f'#opinion-queue [data-opinion="{opinion.pk}"]')
    page.click(f'form[action="{reverse("units:opinion_claim", kwargs={"opinion_id": opinion.pk})}"] button')
    page.wait_for_selector("textarea[name=answer]")
    page.fill("textarea[name=answer]", "村务会议合并召开，通知统一在微信群发布一次。")
    page.click(f'form[action="{reverse("units:opinion_answer", kwargs={"opinion_id": opinion.pk})}"] button')
    page.wait_for_load_state()
    opinion.refresh_from_db()
    assert opinion.claimed_by == village and opinion.answered_by == liaison and "微信群" in opinion.answer
    assert fits(page)

    # Thursday: the close request came back with a reason; the photo goes up as evidence.
    page.goto(live_server.url + item.get_absolute_url())
    assert "缺少公开栏照片" in page.inner_text("#return-reason") and fits(page)
    photo = tmp_path / "村务公开栏.png"
    photo.write_bytes(photo_png())
    page.fill("#close-form textarea[name=evidence]", "已公开三个月村务，附公开栏照片。")
    page.set_input_files("#close-form input[type=file]", str(photo))
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#item-evidence a:has-text('预览')")
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.CLOSE_REQUESTED
    assert not page.locator("#return-reason").count() and fits(page)

    # And looks at it: the preview is the photo itself, inline, under a policy that runs no script.
    preview_url = page.get_attribute("#item-evidence a:has-text('预览')", "href")
    response = page.goto(live_server.url + preview_url if preview_url.startswith("/") else preview_url)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"].startswith("inline")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.body() == photo.read_bytes()
