"""Every owner takes files through the one pipeline: meeting materials, a visit's records, a
feedback draft's document, a directive's attachment file; each upload audited, each file seen
exactly by those who see its owner."""

import datetime as dt

from django.urls import reverse

from audit.models import AuditEntry
from campaign.models import DirectiveAttachment, Meeting
from files.models import Attachment
from supervision.models import Feedback, Visit
from tests.workspace.workspace_helpers import EXE, PDF, PNG, upload


def test_meeting_materials(world, client):
    meeting = Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20))
    url = reverse("campaign:meeting_materials", args=[meeting.pk])
    client.force_login(world.liaison_organ)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(url, {"files": [upload("会议记录.pdf", PDF)]})
    assert response.status_code == 302
    material = Attachment.objects.of(meeting).get()
    assert AuditEntry.objects.get(action="attach").changes["attachments"]["after"] == ["会议记录.pdf"]
    assert material.preview_url() in client.get(meeting.get_absolute_url()).content.decode()
    refused = client.post(url, {"files": [upload("会议记录.pdf", EXE)]})
    assert refused.status_code == 400 and "内容与扩展名 .pdf 不符" in refused.content.decode()

    client.force_login(world.group_member)  # sees the meeting, may not record it
    assert client.post(url, {"files": [upload("x.pdf", PDF)]}).status_code == 403
    assert client.get(reverse("files:download", args=[material.pk])).status_code == 200
    client.force_login(world.liaison_organ2)
    assert client.get(reverse("files:download", args=[material.pk])).status_code == 404
    assert Attachment.objects.count() == 1


def test_a_visit_with_its_photo(world, client):
    client.force_login(world.group_member)
    unit_url = reverse("supervision:unit", args=[world.organ.pk])
    assert 'id="visit-form" enctype="multipart/form-data"' in client.get(unit_url).content.decode()
    response = client.post(reverse("supervision:visit_create", args=[world.organ.pk]), {
        "kind": Visit.Kind.UNANNOUNCED, "visited_on": "2014-01-06", "findings": "窗口服务态度差",
        "files": [upload("窗口.png", PNG)],
    })
    assert response.status_code == 302
    visit = Visit.objects.get()
    photo = Attachment.objects.of(visit).get()
    assert AuditEntry.objects.get(action="create", object_id=visit.pk).changes["attachments"]["after"] == ["窗口.png"]
    assert client.get(photo.preview_url()).status_code == 200
    client.force_login(world.other_member)  # findings stay with the group that made them (001)
    assert client.get(photo.preview_url()).status_code == 404


def test_a_feedback_draft_takes_its_document(world, client):
    feedback = Feedback.objects.create(group=world.group, unit=world.organ, subject="反馈意见", text="草稿",
                                       drafted_by=world.group_member)
    client.force_login(world.group_member)
    response = client.post(reverse("supervision:feedback_edit", args=[feedback.pk]), {
        "subject": "反馈意见", "text": "修改后", "files": [upload("反馈意见.pdf", PDF)],
    })
    assert response.status_code == 302
    document = Attachment.objects.of(feedback).get()
    page = client.get(feedback.get_absolute_url()).content.decode()
    assert 'id="feedback-documents"' in page and document.preview_url() in page
    assert AuditEntry.objects.filter(action="edit", changes__has_key="attachments").exists()


def test_an_office_uploads_a_directive_attachment_file(world, client):
    directive = world.zj_48
    listed = DirectiveAttachment.objects.create(directive=directive, title="实施方案")
    client.force_login(world.office_province)
    url = reverse("campaign:attachment_upload", args=[directive.pk])
    assert f'action="{url}"' in client.get(directive.get_absolute_url()).content.decode()
    assert client.post(url, {"attachment": listed.pk, "files": []}).status_code == 400  # no file: a message, no 500
    assert client.post(url, {"attachment": listed.pk, "file": upload("实施方案.pdf", PDF)}).status_code == 302
    listed.refresh_from_db()
    assert listed.original_name == "实施方案.pdf" and listed.content_type == "application/pdf" and listed.size == len(PDF)
    assert client.post(url, {"title": "", "file": upload("名单.png", PNG)}).status_code == 302
    added = DirectiveAttachment.objects.get(title="名单")
    page = client.get(directive.get_absolute_url()).content.decode()
    assert listed.preview_url() in page and added.get_absolute_url() in page
    assert AuditEntry.objects.filter(action="attach", object_id=directive.pk).count() == 2

    client.force_login(world.liaison_organ)  # the directive is issued to the unit: it reads, never uploads
    assert client.get(listed.preview_url()).status_code == 200
    assert client.post(url, {"title": "x", "file": upload("x.pdf", PDF)}).status_code == 403
