"""Uploads: refused files leave nothing behind; accepted files are stored under server names with
their SHA-256 and are downloaded only through the permission-checked view."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from campaign import workflow
from campaign.models import ObligationStatus, Submission, SubmissionFile
from files.screening import UploadRefused, check_name
from tests.workspace.workspace_helpers import DOC, DOCX, EXE, PDF, PNG, logged_in, stored_files, upload


def submit_url(world):
    return reverse("campaign:obligation_submit", kwargs={"obligation_id": world.obligation_organ.pk})


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("总结.pdf", EXE, "内容与扩展名 .pdf 不符"),
        ("总结.docx", PDF, "内容与扩展名 .docx 不符"),
        ("图片.png", DOC, "内容与扩展名 .png 不符"),
        ("空文件.pdf", b"", "空文件"),
        ("总结.pdf.exe", EXE, "不接收 .exe 文件"),
        ("shell.php.pdf", PDF, "双重扩展名（.php）"),
        ("总结", PDF, "没有扩展名"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_stored(world, client, settings, name, content, message):
    client_for = logged_in(client)
    client = client_for(world.liaison_organ)
    response = client.post(submit_url(world), {"text": "初步书面总结", "files": [upload(name, content)]})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()
    assert stored_files(settings) == []
    world.obligation_organ.refresh_from_db()
    assert world.obligation_organ.status == ObligationStatus.PENDING


@pytest.mark.parametrize(
    "name, message",
    [
        ("../../etc/passwd.pdf", "路径字符"),
        ("..\\..\\windows\\总结.pdf", "路径字符"),
        ("/etc/总结.pdf", "路径字符"),
        ("..", "路径字符"),
        ("../总结.pdf", "路径字符"),
        ("总结\x07.pdf", "控制字符"),
        ("总结\u202egpj.pdf", "控制字符"),
        ("report.pdf.exe", "不接收 .exe 文件"),
        ("x.php.pdf", "双重扩展名"),
        ("x.JSP.docx", "双重扩展名"),
        (".pdf", "没有扩展名"),
    ],
)
def test_dangerous_names_are_refused(world, settings, name, message):
    with pytest.raises(UploadRefused) as refused:
        workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[_named(name)])
    assert message in str(refused.value)
    assert not Submission.objects.exists() and stored_files(settings) == []


def _named(name):
    file = upload("placeholder.pdf", PDF)
    file._name = name  # bypass UploadedFile.name, which strips paths like Django's parser does
    return file


def test_a_path_in_a_posted_name_never_reaches_the_disk(world, client, settings):
    client_for = logged_in(client)
    client = client_for(world.liaison_organ)
    response = client.post(submit_url(world), {"files": [upload("../../../../tmp/evil.pdf", PDF)]})
    assert response.status_code in (302, 400)
    for file_obj in SubmissionFile.objects.all():
        assert "/" not in file_obj.original_name and ".." not in file_obj.original_name
        assert (Path(settings.MEDIA_ROOT) / file_obj.stored_name).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not Path("/tmp/evil.pdf").exists()


def test_over_the_cap_is_refused(world, client, settings):
    client_for = logged_in(client)
    settings.UPLOAD_MAX_BYTES = 1024
    client = client_for(world.liaison_organ)
    response = client.post(submit_url(world), {"files": [upload("大文件.pdf", PDF + b"0" * 2048)]})
    assert response.status_code == 400 and "超过大小上限" in response.content.decode()
    assert stored_files(settings) == [] and not Submission.objects.exists()


def test_allowed_extensions_are_configurable(world, settings):
    settings.UPLOAD_ALLOWED_EXTENSIONS = ["pdf"]
    with pytest.raises(UploadRefused):
        check_name("表格.docx")
    settings.UPLOAD_ALLOWED_EXTENSIONS = ["pdf", "docx"]
    assert check_name("表格.docx") == ("表格.docx", "docx")
    assert check_name("2014.01.总结.pdf")[1] == "pdf"


def test_a_failure_midway_leaves_no_row_and_no_orphan_file(world, settings):
    # The first file is written to disk before the second is refused: both the rows and the
    # first file must go.
    with pytest.raises(UploadRefused):
        workflow.transition(
            world.obligation_organ, "submit", world.liaison_organ,
            files=[upload("好的.pdf", PDF), upload("坏的.pdf", EXE)],
        )
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()
    assert stored_files(settings) == []
    world.obligation_organ.refresh_from_db()
    assert world.obligation_organ.status == ObligationStatus.PENDING


def test_accepted_files_are_stored_under_server_names_with_sha256(world, client, settings):
    client_for = logged_in(client)
    client = client_for(world.liaison_organ)
    files = [upload("总结.pdf", PDF), upload("附表.docx", DOCX), upload("照片.png", PNG)]
    response = client.post(submit_url(world), {"text": "初步书面总结", "files": files})
    assert response.status_code == 302
    stored = {f.original_name: f for f in SubmissionFile.objects.all()}
    assert set(stored) == {"总结.pdf", "附表.docx", "照片.png"}
    pdf = stored["总结.pdf"]
    path = Path(settings.MEDIA_ROOT) / pdf.stored_name
    assert path.read_bytes() == PDF
    assert pdf.sha256 == hashlib.sha256(PDF).hexdigest() and pdf.size == len(PDF)
    assert "总结" not in pdf.stored_name and pdf.stored_name.count("/") == 2
    assert pdf.content_type == "application/pdf"
    assert len(stored_files(settings)) == 3  # no temp files left


def test_download_is_an_attachment_and_only_for_those_who_see_the_obligation(world, client, settings):
    client_for = logged_in(client)
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("总结.pdf", PDF)])
    file_obj = SubmissionFile.objects.get()
    url = reverse("campaign:file", kwargs={"file_id": file_obj.pk})
    for user in (world.liaison_organ, world.group_member, world.office_province):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    for outsider in (world.liaison_organ2, world.other_member, world.office_hangzhou):
        assert client_for(outsider).get(url).status_code == 404


def test_download_can_be_handed_to_nginx(world, client, settings):
    client_for = logged_in(client)
    settings.UPLOAD_X_ACCEL_REDIRECT_PREFIX = "/protected-uploads/"
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("总结.pdf", PDF)])
    file_obj = SubmissionFile.objects.get()
    response = client_for(world.liaison_organ).get(reverse("campaign:file", kwargs={"file_id": file_obj.pk}))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-uploads/" + file_obj.stored_name
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == b""


def test_anonymous_download_goes_to_login(world, client):
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("总结.pdf", PDF)])
    response = client.get(reverse("campaign:file", kwargs={"file_id": SubmissionFile.objects.get().pk}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
