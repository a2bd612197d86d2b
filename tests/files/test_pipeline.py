"""The one upload pipeline (files): name and content checks, storage through Django's storage API,
attachments seen by whoever sees their owner, sandboxed previews, withdrawing a file before review."""

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from campaign import actions, workflow
from campaign.models import SubmissionFile
from files.models import Attachment
from files.screening import UploadRefused, check_name, check_upload
from files.storage import StoredFiles, storage, store_files
from rectification.models import RectificationItem, RectificationPlan
from tests.workspace.workspace_helpers import DOC, DOCX, EXE, PDF, PNG, upload, zipped


@pytest.mark.parametrize("name", ["../x.pdf", "..", ".", "a/b.pdf", "a\\b.pdf", "/etc/总结.pdf"])
def test_a_path_is_refused(name):
    with pytest.raises(UploadRefused, match="路径字符"):
        check_name(name)


@pytest.mark.parametrize("name", ["总结..定稿.pdf", "总结..pdf", "2014.01.总结.pdf"])
def test_two_dots_inside_a_name_are_an_ordinary_name(name):
    assert check_name(name) == (name, "pdf")


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=260))
def test_the_name_check_accepts_or_refuses_in_words_never_crashes(name):
    try:
        accepted, ext = check_name(name)
    except UploadRefused as exc:
        assert str(exc)
    else:
        assert "/" not in accepted and "\\" not in accepted and not accepted.startswith("../") and ext


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("材料.zip", zipped({"readme.txt": b"hello", "tool.exe": EXE}), "可执行文件“tool.exe”"),
        ("材料.zip", zipped({"setup.dat": EXE}), "可执行文件“setup.dat”"),
        ("表格.docx", zipped({"word/document.xml": b"<w/>", "word/media/x.js": b"alert(1)"}), "可执行文件"),
        ("公文.ofd", zipped({"Doc_0/Document.xml": b"<d/>"}), "内容与扩展名 .ofd 不符"),
        ("表格.xlsx", DOCX, "内容与扩展名 .xlsx 不符"),
        ("假的.docx", b"PK\x03\x04" + b"\x00" * 64, "内容与扩展名 .docx 不符"),
        ("照片.png", PDF, "内容与扩展名 .png 不符"),
        ("总结.pdf", PNG, "内容与扩展名 .pdf 不符"),
    ],
)
def test_content_is_sniffed_and_zip_members_are_checked(settings, name, content, message):
    with pytest.raises(UploadRefused, match=message):
        check_upload(upload(name, content))


def test_accepted_containers(settings):
    assert check_upload(upload("公文.ofd", zipped({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<d/>"})))[1] == "ofd"
    assert check_upload(upload("材料.zip", zipped({"总结.pdf": PDF, "照片.png": PNG})))[1] == "zip"
    assert check_upload(upload("附表.docx", DOCX))[1] == "docx"
    # WPS Office saves .wps in the OLE2 format of Word 97 or in the container of .docx: both are .wps.
    assert check_upload(upload("通知.wps", DOC))[1] == "wps"
    assert check_upload(upload("通知.wps", DOCX))[1] == "wps"
    with pytest.raises(UploadRefused, match="不符"):
        check_upload(upload("通知.wps", zipped({"总结.pdf": PDF})))


@pytest.fixture
def tmp_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "store")},
    }}
    return tmp_path / "store"


def test_files_go_through_the_storage_api_with_their_digest(db, tmp_storage):
    assert isinstance(storage(), FileSystemStorage) and storage().location == str(tmp_storage)
    fields = StoredFiles().accept(upload("总结..定稿.pdf", PDF))
    assert fields["original_name"] == "总结..定稿.pdf" and fields["content_type"] == "application/pdf"
    assert fields["sha256"] == hashlib.sha256(PDF).hexdigest() and fields["size"] == len(PDF)
    year, month, name = fields["stored_name"].split("/")
    assert len(year) == 4 and len(month) == 2 and len(name) == 32
    assert (tmp_storage / fields["stored_name"]).read_bytes() == PDF


def test_a_failed_transaction_leaves_no_file(world, tmp_storage):
    with pytest.raises(RuntimeError), store_files() as stored, transaction.atomic():
        Attachment.objects.create(owner=world.organ, uploaded_by=world.liaison_organ, **stored.accept(upload("a.pdf", PDF)))
        raise RuntimeError("the block fails after the file was written")
    assert not Attachment.objects.exists()
    assert [p for p in tmp_storage.rglob("*") if p.is_file()] == []


@pytest.fixture
def item(world):
    plan = RectificationPlan.objects.create(campaign=world.campaign, unit=world.organ, title="整改方案", responsible_person="张三")
    return RectificationItem.objects.create(plan=plan, problem="文山会海", measures="精简会议", owner="张三",
                                            due_on=dt.date(2014, 6, 30))


def test_evidence_is_uploaded_audited_and_previewed_only_by_who_sees_the_item(world, client, item):
    client.force_login(world.liaison_organ)
    response = client.post(reverse("rectification:item_request_close", kwargs={"item_id": item.pk}),
                           {"evidence": "会议数量减少三成", "files": [upload("台账.png", PNG), upload("制度.pdf", PDF)]})
    assert response.status_code == 302
    photo = Attachment.objects.get(original_name="台账.png")
    assert photo.owner == item and photo.content_type == "image/png"
    entry = AuditEntry.objects.filter(action="request_close").get()
    assert entry.changes["attachments"]["after"] == ["台账.png", "制度.pdf"]
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("files:preview", args=[photo.pk]) in page and "预览" in page

    preview = client.get(reverse("files:preview", args=[photo.pk]))
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    assert preview["X-Content-Type-Options"] == "nosniff" and b"".join(preview.streaming_content) == PNG
    assert client.get(reverse("files:download", args=[photo.pk]))["Content-Disposition"].startswith("attachment")

    for outsider in (world.liaison_organ2, world.other_member, world.office_ningbo):
        client.force_login(outsider)
        assert client.get(reverse("files:preview", args=[photo.pk])).status_code == 404
        assert client.get(reverse("files:download", args=[photo.pk])).status_code == 404


def test_a_refused_evidence_file_is_shown_in_words_and_nothing_moves(world, client, item):
    client.force_login(world.liaison_organ)
    response = client.post(reverse("rectification:item_request_close", kwargs={"item_id": item.pk}),
                           {"evidence": "已整改", "files": [upload("台账.zip", zipped({"run.bat": b"x"}))]})
    assert response.status_code == 400 and "可执行文件“run.bat”" in response.content.decode()
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.OPEN and not Attachment.objects.exists()


def test_a_docx_is_not_previewed(world, client):
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("附表.docx", DOCX)])
    client.force_login(world.liaison_organ)
    file_obj = SubmissionFile.objects.get()
    assert client.get(reverse("campaign:file_preview", args=[file_obj.pk])).status_code == 404
    assert "预览" not in client.get(world.obligation_organ.get_absolute_url()).content.decode().split('id="versions"')[1]


def test_a_liaison_withdraws_a_wrong_file_before_review_and_it_is_kept(world, client):
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初步总结",
                        files=[upload("总结.pdf", PDF), upload("错的.pdf", PDF)])
    wrong = SubmissionFile.objects.get(original_name="错的.pdf")
    url = reverse("campaign:file_withdraw", args=[wrong.pk])

    client.force_login(world.group_member)  # may see it, may not withdraw it
    assert client.post(url).status_code == 403

    client.force_login(world.liaison_organ)
    assert f'action="{url}"' in client.get(world.obligation_organ.get_absolute_url()).content.decode()
    assert client.post(url, {"reason": "传错了"}).status_code == 302
    wrong.refresh_from_db()
    assert wrong.withdrawn_at and wrong.withdrawn_by == world.liaison_organ and wrong.withdrawal_reason == "传错了"
    assert storage().exists(wrong.stored_name)  # evidence is never lost
    entry = AuditEntry.objects.get(action="withdraw_file")
    assert entry.changes["files"]["before"] == ["错的.pdf"] and entry.reason == "传错了"
    assert "已撤回" in client.get(world.obligation_organ.get_absolute_url()).content.decode()


def test_no_withdrawal_once_reviewed_or_superseded(world):
    obligation = world.obligation_organ
    workflow.transition(obligation, "submit", world.liaison_organ, text="v1", files=[upload("v1.pdf", PDF)])
    workflow.transition(obligation, "return", world.group_member, reason="请补充", new_due_at=None)
    first = SubmissionFile.objects.get()
    with pytest.raises(workflow.TransitionRefused):
        actions.withdraw_submission_file(first, actor=world.liaison_organ)  # reviewed
    workflow.transition(obligation, "submit", world.liaison_organ, text="v2", files=[upload("v2.pdf", PDF)])
    with pytest.raises(workflow.TransitionRefused):
        actions.withdraw_submission_file(first, actor=world.liaison_organ)  # and not the latest version
    second = SubmissionFile.objects.get(original_name="v2.pdf")
    assert SubmissionFile.objects.restrict(world.liaison_organ, "withdraw").get() == second
    workflow.transition(obligation, "approve", world.group_member, reason="", new_due_at=None)
    with pytest.raises(workflow.TransitionRefused):
        actions.withdraw_submission_file(second, actor=world.liaison_organ)
    assert not SubmissionFile.objects.filter(withdrawn_at__isnull=False).exists()


def test_the_only_content_of_a_version_cannot_be_withdrawn(world):
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("唯一.pdf", PDF)])
    with pytest.raises(workflow.TransitionRefused, match="唯一的文件"):
        actions.withdraw_submission_file(SubmissionFile.objects.get(), actor=world.liaison_organ)


def test_the_picker_shows_cap_types_and_accept(world, client, settings):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    client.force_login(world.liaison_organ)
    page = client.get(world.obligation_organ.get_absolute_url()).content.decode()
    assert "每个文件不超过 20 MB" in page and 'accept=".doc,.docx,.jpg,.ofd,.pdf,.png,.wps,.xls,.xlsx,.zip"' in page
    assert "data-upload-progress" in page and "js/upload-progress.js" in page and "<progress" in page
