"""从文件登记 through the pages (Django test client): a file or pasted text, the review beside the
text, the directive with its file as attachment, draft requirements confirmed or dropped by the
clerk. Every bad input gives a message and saves nothing; nobody but the office gets in."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEntry
from campaign.intake.highlight import highlighted
from campaign.models import Directive, DirectiveAttachment, DirectiveIntake, Obligation, Requirement, RequirementDraft
from tests.intake.docs import docx_bytes

SEED = Path(__file__).resolve().parent / "seeds" / "004.txt"
NUMBER = "浙整改办发〔2015〕2号"


def seed_text():
    return SEED.read_text(encoding="utf-8")


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client


def start(client, **data):
    return client.post(reverse("campaign:intake"), data)


def directive_data(world, **overrides):
    data = {
        "number_text": NUMBER, "doc_type": "通知", "issuing_unit": world.province.pk,
        "issuer_name": "中共浙江省委整改落实办公室",
        "title": "关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知",
        "primary_recipients": "各市、县（市、区）、省直属各单位教育实践活动领导小组", "copy_recipients": "",
        "signed_on": "2015-01-15", "printed_on": "", "urgency": "", "secrecy": "", "body": "正文",
    }
    data.update(overrides)
    return data


def with_found(intake, **found):
    """What the real extractor finds in 004 beyond the number (the placeholder finds the number only)."""
    intake.extraction["record"].update(found)
    intake.save(update_fields=["extraction"])
    return intake


DEADLINE_004 = {"text": "2月底前", "what": "开展“回头看”情况", "to": "省委整改办", "due_date": "2015-02-28"}


# --- the way in ---------------------------------------------------------------------------------


def test_the_directive_list_offers_it_to_offices_only(client, world):
    client.force_login(world.office_province)
    assert reverse("campaign:intake") in client.get(reverse("campaign:directives")).content.decode()
    client.force_login(world.liaison_organ)
    assert reverse("campaign:intake") not in client.get(reverse("campaign:directives")).content.decode()


@pytest.mark.parametrize("persona", ["liaison_organ", "group_member"])
def test_liaisons_and_group_members_are_refused(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("campaign:intake")).status_code == 403
    response = client.post(reverse("campaign:intake"), {"text": seed_text()})
    assert response.status_code == 403 and not DirectiveIntake.objects.exists()


def test_pasted_text_is_reviewed_beside_its_marks(office, world):
    response = start(office, text=seed_text())
    intake = DirectiveIntake.objects.get()
    assert response.status_code == 302 and response["Location"] == intake.get_absolute_url()
    assert intake.status == DirectiveIntake.Status.OPEN and intake.created_by == world.office_province
    assert not intake.has_file and intake.record["doc_number"] == NUMBER
    assert AuditEntry.objects.filter(action="create", object_id=intake.pk).exists()
    page = office.get(intake.get_absolute_url()).content.decode()
    assert f'data-field="doc_number" title="发文字号">{NUMBER}</mark>' in page
    assert f'value="{NUMBER}"' in page  # the number field is prefilled
    assert 'data-missing="title"' in page or "关于印发" in page  # a field not found says so
    # The half-done intake waits on the intake page.
    assert intake.get_absolute_url() in office.get(reverse("campaign:intake")).content.decode()


# --- bad input: a message, nothing saved, never a 500 ----------------------------------------------


ENGLISH = ("Notice on carrying out the look-back of the rectification. All cities and provincial units shall report "
           "their progress by the end of February. Office of Rectification, No. 2 of 2015.")
NO_NUMBER = ("关于做好整改落实工作的通知\n各市、县（市、区）：\n请认真组织实施，于2月底前报送情况。\n"
             "中共浙江省委整改落实办公室\n2015年1月15日")


@pytest.mark.parametrize("data,message", [
    ({"file": lambda: SimpleUploadedFile("通知.docx", b"")}, "空文件"),
    ({"file": lambda: SimpleUploadedFile("通知.pdf", b"this is not a PDF, only some text" * 10)}, "不符"),
    ({"file": lambda: SimpleUploadedFile("通知.docx", b"PK\x03\x04 broken zip")}, "不符"),
    ({"file": lambda: SimpleUploadedFile("程序.exe", b"MZ" + b"\0" * 100)}, "不能从 .exe 文件登记公文"),
    ({"file": lambda: SimpleUploadedFile("big.txt", ("浙整改办发〔2015〕2号" * 200).encode())}, "超过从文件登记的大小上限"),
    ({"text": ENGLISH}, "这不是中文公文"),
    ({"file": lambda: SimpleUploadedFile("notice.txt", ENGLISH.encode())}, "这不是中文公文"),
    ({"text": NO_NUMBER}, "没有在文中找到发文字号"),
    ({"text": "   "}, "请上传公文文件，或粘贴公文正文。"),
    ({}, "请上传公文文件，或粘贴公文正文。"),
], ids=["empty-file", "pdf-not-a-pdf", "docx-not-a-docx", "not-a-document", "over-the-cap", "english-text",
        "english-file", "no-number", "blank-text", "nothing"])
def test_bad_input_says_why_and_saves_nothing(office, world, settings, data, message):
    data = {name: value() if callable(value) else value for name, value in data.items()}
    directives = Directive.objects.count()
    with override_settings(INTAKE_MAX_BYTES=2000):
        response = start(office, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DirectiveIntake.objects.exists() and Directive.objects.count() == directives
    assert stored_files(settings) == []


def test_a_file_over_the_cap_is_refused_before_it_is_read(office, settings):
    with override_settings(INTAKE_MAX_BYTES=4096):
        response = start(office, file=SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n" + b"0" * 10000))
    assert "超过从文件登记的大小上限" in response.content.decode() and not DirectiveIntake.objects.exists()
    assert stored_files(settings) == []


def test_a_duplicate_number_is_refused_with_a_link(office, world):
    text = seed_text().replace(NUMBER, "浙群组发〔2013〕48号")
    start(office, text=text)
    intake = DirectiveIntake.objects.get()
    page = office.get(intake.get_absolute_url()).content.decode()
    link = reverse("campaign:directive", kwargs={"directive_id": world.zj_48.pk})
    assert 'id="intake-duplicate"' in page and link in page
    response = office.post(intake.get_absolute_url(), directive_data(world, number_text="浙群组发〔2013〕48号"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "该发文字号已被登记" in page and link in page
    assert Directive.objects.filter(number="浙群组发〔2013〕48号").count() == 1
    intake.refresh_from_db()
    assert intake.status == DirectiveIntake.Status.OPEN and intake.directive is None


# --- saving: the directive, its attachment, its forwards, its drafts --------------------------------


def test_an_uploaded_docx_becomes_the_directives_attachment(office, world, settings):
    data = docx_bytes(seed_text().splitlines())
    response = start(office, file=SimpleUploadedFile("浙整改办发〔2015〕2号.docx", data))
    intake = DirectiveIntake.objects.get()
    assert response.status_code == 302 and intake.has_file and intake.size == len(data)
    assert len(stored_files(settings)) == 1
    response = office.post(intake.get_absolute_url(), directive_data(world))
    directive = Directive.objects.get(number=NUMBER)
    assert response.status_code == 302
    attachment = DirectiveAttachment.objects.get(directive=directive)
    assert attachment.ordinal == 1 and attachment.title == "浙整改办发〔2015〕2号.docx"
    assert attachment.stored_name and attachment.size == len(data) and attachment.content_type.endswith("document")
    assert len(stored_files(settings)) == 1  # moved, not stored twice
    intake.refresh_from_db()
    assert intake.status == DirectiveIntake.Status.REGISTERED and intake.directive == directive and not intake.stored_name
    assert AuditEntry.objects.filter(action="register", object_id=intake.pk).exists()
    assert AuditEntry.objects.filter(action="attach", object_id=directive.pk).exists()
    download = office.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    # Registered once: the review page now leads to the directive's drafts.
    assert office.get(intake.get_absolute_url())["Location"] == reverse(
        "campaign:intake_drafts", kwargs={"directive_id": directive.pk})


def test_a_text_file_is_read_but_not_kept(office, world, settings):
    start(office, file=SimpleUploadedFile("通知.txt", seed_text().encode()))
    intake = DirectiveIntake.objects.get()
    assert intake.original_name == "通知.txt" and not intake.has_file and stored_files(settings) == []
    assert "不作为附件保存" in office.get(intake.get_absolute_url()).content.decode()
    office.post(intake.get_absolute_url(), directive_data(world))
    assert not DirectiveAttachment.objects.filter(directive__number=NUMBER).exists()


def test_forwards_are_linked_when_registered_and_offered_otherwise(office, world):
    start(office, text=seed_text())
    intake = with_found(DirectiveIntake.objects.get(), forwards=["群组发〔2013〕29号", "群办发〔2014〕22号"])
    page = office.get(intake.get_absolute_url()).content.decode()
    assert reverse("campaign:directive", kwargs={"directive_id": world.central_29.pk}) in page
    assert "尚未登记" in page and reverse("campaign:directive_create") + "?number=" in page
    offered = office.get(reverse("campaign:directive_create"), {"number": "群办发〔2014〕22号"}).content.decode()
    assert 'value="群办发〔2014〕22号"' in offered
    office.post(intake.get_absolute_url(), directive_data(world))
    assert list(Directive.objects.get(number=NUMBER).forwards.all()) == [world.central_29]


def test_drafts_create_no_obligation_until_the_clerk_confirms(office, world):
    start(office, text=seed_text())
    intake = with_found(DirectiveIntake.objects.get(), deadlines=[DEADLINE_004])
    obligations, requirements = Obligation.objects.count(), Requirement.objects.count()
    response = office.post(intake.get_absolute_url(), directive_data(world))
    directive = Directive.objects.get(number=NUMBER)
    assert response["Location"] == reverse("campaign:intake_drafts", kwargs={"directive_id": directive.pk})
    draft = RequirementDraft.objects.get(directive=directive)
    assert (draft.what, draft.to_text, draft.deadline_text, str(draft.due_date)) == (
        "开展“回头看”情况", "省委整改办", "2月底前", "2015-02-28")
    assert "2月底前" in draft.excerpt and draft.status == RequirementDraft.Status.PENDING
    assert (Obligation.objects.count(), Requirement.objects.count()) == (obligations, requirements)
    assert "pending-drafts" in office.get(directive.get_absolute_url()).content.decode()

    confirm = reverse("campaign:draft_confirm", kwargs={"draft_id": draft.pk})
    page = office.get(confirm).content.decode()
    assert 'value="开展“回头看”情况"' in page and 'value="2月底前"' in page and "浙江省" in page
    response = office.post(confirm, {"title": "开展“回头看”情况", "deadline": "2月底前", "deadline_inclusive": "on",
                                     "route": "office", "review_required": "on", "recurrence_horizon_days": "35"})
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    requirement = draft.requirement
    assert draft.status == RequirementDraft.Status.CONFIRMED and draft.decided_by == world.office_province
    assert requirement.directive == directive and requirement.submit_to == world.province
    assert requirement.due_at.date().isoformat() == "2015-02-28"
    assert Obligation.objects.filter(requirement=requirement).exists()
    assert AuditEntry.objects.filter(action="confirm", object_id=draft.pk).exists()
    # Decided once: a second confirmation changes nothing.
    office.post(confirm, {"title": "又一次", "deadline": "2月底前", "route": "office"})
    assert Requirement.objects.filter(directive=directive).count() == 1


def test_the_submit_to_unit_is_the_one_the_text_names_when_it_exists(office, world):
    from tests.conftest import make_unit
    from units.models import Level, UnitType

    body = make_unit(code="330000-ZG", name="省委整改办", parent=world.province, level=Level.PROVINCE,
                     unit_type=UnitType.ORGAN)
    start(office, text=seed_text())
    office.post(with_found(DirectiveIntake.objects.get(), deadlines=[DEADLINE_004]).get_absolute_url(),
                directive_data(world))
    draft = RequirementDraft.objects.get()
    office.post(reverse("campaign:draft_confirm", kwargs={"draft_id": draft.pk}),
                {"title": "开展“回头看”情况", "deadline": "2月底前", "route": "office", "recurrence_horizon_days": "35"})
    draft.refresh_from_db()
    assert draft.requirement.submit_to == body


def test_dropping_a_draft_needs_a_reason_and_is_audited(office, world):
    start(office, text=seed_text())
    office.post(with_found(DirectiveIntake.objects.get(), deadlines=[DEADLINE_004]).get_absolute_url(),
                directive_data(world))
    draft = RequirementDraft.objects.get()
    drop = reverse("campaign:draft_drop", kwargs={"draft_id": draft.pk})
    page = office.post(drop, {"reason": "  "}, follow=True).content.decode()
    draft.refresh_from_db()
    assert "请说明舍弃的理由" in page and draft.is_pending
    office.post(drop, {"reason": "已由督查组另行布置"})
    draft.refresh_from_db()
    assert draft.status == RequirementDraft.Status.DROPPED and draft.drop_reason == "已由督查组另行布置"
    entry = AuditEntry.objects.get(action="drop", object_id=draft.pk)
    assert entry.reason == "已由督查组另行布置" and entry.actor == world.office_province
    assert not Requirement.objects.filter(directive=draft.directive).exists()


def test_others_cannot_reach_an_intake_or_its_drafts(client, world):
    client.force_login(world.office_province)
    start(client, text=seed_text())
    intake = with_found(DirectiveIntake.objects.get(), deadlines=[DEADLINE_004])
    client.post(intake.get_absolute_url(), directive_data(world))
    draft = RequirementDraft.objects.get()
    urls = [intake.get_absolute_url(), reverse("campaign:intake_drafts", kwargs={"directive_id": draft.directive_id}),
            reverse("campaign:draft_confirm", kwargs={"draft_id": draft.pk})]
    for persona in ("liaison_organ", "group_member", "office_ningbo", "office_hangzhou"):
        client.force_login(getattr(world, persona))
        for url in urls:
            assert client.get(url).status_code in (403, 404), (persona, url)
        response = client.post(reverse("campaign:draft_drop", kwargs={"draft_id": draft.pk}), {"reason": "不要"})
        assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.is_pending


def test_abandoning_an_intake_deletes_its_file(office, world, settings, django_capture_on_commit_callbacks):
    start(office, file=SimpleUploadedFile("通知.docx", docx_bytes(seed_text().splitlines())))
    intake = DirectiveIntake.objects.get()
    assert len(stored_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("campaign:intake_abandon", kwargs={"intake_id": intake.pk}))
    intake.refresh_from_db()
    assert intake.status == DirectiveIntake.Status.ABANDONED and stored_files(settings) == []
    assert intake.get_absolute_url() not in office.get(reverse("campaign:intake")).content.decode()
    assert office.post(intake.get_absolute_url(), directive_data(world)).status_code == 302
    assert not Directive.objects.filter(number=NUMBER).exists()


# --- the marks ----------------------------------------------------------------------------------


def test_marks_escape_the_text_and_survive_overlaps():
    text = "<b>浙整改办发〔2015〕2号</b>关于"
    html = highlighted(text, {"doc_number": [(3, 17)], "title": [(10, 21)], "bad field\"": [(0, 2)],
                              "issuer": [(30, 40), (5, 2)]})
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert '<mark class="intake-mark intake-doc_number" data-field="doc_number"' in html
    assert 'data-field="doc_number title"' in html and 'data-field="title"' in html
    assert "bad field" not in html and "issuer" not in html
    # Every character of the text is there once, in order.
    plain = re.sub(r"<[^>]+>", "", str(html)).replace("&lt;", "<").replace("&gt;", ">")
    assert plain == text



def test_two_different_numbers_marked_as_the_documents_own_are_refused():
    """The extractor marks where it found the document's own number; two different ones there make
    the intake refuse the text (the page says which), whatever doc_number it settled on."""
    from campaign.intake.actions import _numbers_found
    from campaign.intake.record import Record

    text = "浙整改办发〔2015〕2号\n浙整改办发〔2015〕3号\n关于……的通知"
    record = Record(doc_number=NUMBER, spans={"doc_number": [(0, 13), (14, 27)]})
    assert _numbers_found(text, record) == [NUMBER, "浙整改办发〔2015〕3号"]
    record = Record(doc_number=NUMBER, spans={"doc_number": [(0, 13)]})
    assert _numbers_found(text, record) == [NUMBER]


def test_a_text_without_number_goes_on_once_the_clerk_says_it_has_none(office, world):
    """A notice copied from a web page often has no number: refused with the question first,
    then read and registered without one when the clerk ticks 本文没有发文字号."""
    first = start(office, text=NO_NUMBER).content.decode()
    assert "没有在文中找到发文字号" in first and 'id="intake-without-number"' in first
    assert not DirectiveIntake.objects.exists()
    response = start(office, text=NO_NUMBER, without_number="on")
    intake = DirectiveIntake.objects.get()
    assert response.status_code == 302 and intake.record["doc_number"] is None
    assert intake.record["title"] == "关于做好整改落实工作的通知"
    response = office.post(intake.get_absolute_url(), directive_data(world, number_text="", title=intake.record["title"]))
    assert response.status_code == 302
    directive = Directive.objects.get(title="关于做好整改落实工作的通知")
    assert directive.number == "" and directive.requirements.count() == 0
    assert RequirementDraft.objects.get(directive=directive).deadline_text == "2月底前"


def test_two_numbers_in_the_header_are_refused(office):
    text = seed_text().replace(NUMBER, NUMBER + "\n浙整改办发〔2015〕3号", 1)
    page = start(office, text=text).content.decode()
    assert "两个以上的发文字号" in page and "浙整改办发〔2015〕3号" in page
    assert not DirectiveIntake.objects.exists()


def test_pasted_html_is_read_as_its_visible_text(office):
    markup = "<html><body>" + "".join(f"<p>{line}</p>" for line in seed_text().splitlines()) + "</body></html>"
    start(office, text=markup)
    intake = DirectiveIntake.objects.get()
    assert "<p>" not in intake.text
    (begin, end), *_rest = intake.extraction["spans"]["doc_number"]
    assert intake.text[begin:end] == NUMBER


def test_a_reproduced_document_is_registered_from_its_part_and_linked_to_the_notice(office, world):
    """001 reproduces 群组发〔2014〕13号 without its header: registered from the notice's review with
    the number the notice cites, and the notice registered first now forwards it."""
    text = (Path(__file__).resolve().parent / "seeds" / "001.txt").read_text(encoding="utf-8")
    start(office, text=text)
    notice = DirectiveIntake.objects.get()
    page = office.get(notice.get_absolute_url()).content.decode()
    assert 'id="intake-reproduced"' in page and "群组发〔2014〕13号" in page
    office.post(notice.get_absolute_url(), directive_data(
        world, number_text="浙群组发〔2014〕25号", title=notice.record["title"], signed_on="2014-05-30",
        issuer_name=notice.record["issuer"]))
    parent = Directive.objects.get(number="浙群组发〔2014〕25号")
    assert parent.forwards.count() == 0  # 13号 is not registered yet

    response = office.post(reverse("campaign:intake_reproduced", kwargs={"intake_id": notice.pk}), {"document": "0"})
    child = DirectiveIntake.objects.exclude(pk=notice.pk).get()
    assert response.status_code == 302 and response.url == child.get_absolute_url()
    assert child.record["doc_number"] == "群组发〔2014〕13号"
    assert child.record["title"] == "关于加强和改进教育实践活动督导工作的通知"
    assert child.text.startswith("关于加强和改进教育实践活动督导工作的通知")
    office.post(child.get_absolute_url(), directive_data(
        world, number_text="群组发〔2014〕13号", title=child.record["title"], signed_on="2014-05-17",
        issuer_name=child.record["issuer"]))
    forwarded = Directive.objects.get(number="群组发〔2014〕13号")
    assert list(parent.forwards.all()) == [forwarded]
    assert AuditEntry.objects.filter(object_id=str(parent.pk), changes__has_key="forwards").exists()


def test_an_index_past_the_reproduced_documents_is_told(office, world):
    start(office, text=seed_text())
    intake = DirectiveIntake.objects.get()
    url = reverse("campaign:intake_reproduced", kwargs={"intake_id": intake.pk})
    for document in ("5", "-1", "x", ""):
        response = office.post(url, {"document": document}, follow=True)
        assert response.status_code == 200 and "文中没有这份转载的公文" in response.content.decode()
    assert DirectiveIntake.objects.count() == 1


def test_the_offices_todo_holds_the_open_intake_then_the_drafts_until_decided(office, world):
    from tests.workspace.todo_helpers import badge, listed, todo_page

    start(office, text=seed_text())
    intake = DirectiveIntake.objects.get()
    page = todo_page(office, world.office_province)
    assert listed(page).get("intakes") == [intake.get_absolute_url()]
    office.post(intake.get_absolute_url(), directive_data(world))
    directive = Directive.objects.get(number=NUMBER)
    page = todo_page(office, world.office_province)
    drafts_url = reverse("campaign:intake_drafts", kwargs={"directive_id": directive.pk})
    assert listed(page).get("draft_requirements") == [drafts_url] and "intakes" not in listed(page)
    before = badge(page)
    draft = RequirementDraft.objects.get(directive=directive)
    office.post(reverse("campaign:draft_drop", kwargs={"draft_id": draft.pk}), {"reason": "已在另一份通知中布置"})
    page = todo_page(office, world.office_province)
    assert "draft_requirements" not in listed(page) and badge(page) == before - 1


FILES = Path(__file__).resolve().parent / "files"


def test_a_scan_says_there_is_no_ocr_then_is_kept_with_the_pasted_text(office, world, settings):
    """A scanned PDF has no text layer: the clerk is told (no OCR here) and nothing is kept; sent
    again with the text pasted, the scan is kept and becomes the directive's attachment."""
    scan = (FILES / "scan.pdf").read_bytes()
    page = start(office, file=SimpleUploadedFile("扫描件.pdf", scan)).content.decode()
    assert "OCR" in page and "粘贴" in page
    assert not DirectiveIntake.objects.exists() and stored_files(settings) == []
    start(office, file=SimpleUploadedFile("扫描件.pdf", scan), text=seed_text())
    intake = DirectiveIntake.objects.get()
    assert intake.has_file and intake.record["doc_number"] == NUMBER
    office.post(intake.get_absolute_url(), directive_data(world))
    attachment = DirectiveAttachment.objects.get(directive__number=NUMBER)
    assert attachment.original_name == "扫描件.pdf" and attachment.size == len(scan)


@pytest.mark.parametrize("name", ["seed.docx", "seed.wps", "seed-docx-format.wps", "seed.doc", "seed.pdf", "seed.ofd",
                                  "seed.htm", "seed-gb18030.txt"])
def test_every_kind_of_file_gives_the_number_and_title(office, name):
    start(office, file=SimpleUploadedFile(name, (FILES / name).read_bytes()))
    intake = DirectiveIntake.objects.get()
    assert intake.record["doc_number"] == NUMBER
    assert intake.record["title"].startswith("关于印发《开展教育实践活动整改落实情况")


def test_a_unit_of_that_name_the_clerk_may_not_see_is_not_the_submit_to(office, world):
    from tests.conftest import make_unit
    from units.models import Level, UnitType

    make_unit(code="440000-ZG", name="省委整改办", parent=world.central, level=Level.PROVINCE, unit_type=UnitType.ORGAN)
    start(office, text=seed_text())
    office.post(DirectiveIntake.objects.get().get_absolute_url(), directive_data(world))
    draft = RequirementDraft.objects.get()
    assert draft.to_text == "省委整改办"
    office.post(reverse("campaign:draft_confirm", kwargs={"draft_id": draft.pk}),
                {"title": "开展“回头看”情况", "deadline": "2月底前", "route": "office", "recurrence_horizon_days": "35"})
    draft.refresh_from_db()
    assert draft.requirement.submit_to == world.province
