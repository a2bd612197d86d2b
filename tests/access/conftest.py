"""Objects owned by the insiders of the `world` fixture, one of each kind that has a page.

Insiders: the liaison of 省发展改革委 (w.organ), the supervision group assigned to it
(w.group: group_leader, group_member), the provincial office, and the Hangzhou office for
the Hangzhou directive. Each kind of outsider must never reach these objects.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


class Things:
    pass


@pytest.fixture
def things(world):
    from campaign.models import Directive, ExtensionRequest, Meeting, Requirement, Review, Submission, UnitPhaseProgress
    from campaign.uploads import add_submission_file
    from files.storage import StoredFiles
    from rectification.models import RectificationItem, RectificationPlan
    from supervision.models import Evaluation, Feedback, Visit

    w = world
    t = Things()
    t.hz_directive = Directive(
        campaign=w.campaign, doc_type="通知", issuing_unit=w.hangzhou, issuer_name="中共杭州市委教育实践活动领导小组",
        title="关于做好西湖区总结工作的通知", signed_on=dt.date(2014, 1, 2),
    )
    t.hz_directive.set_number("杭群组发〔2014〕1号")
    t.hz_directive.save()
    t.hz_requirement = Requirement.objects.create(
        directive=t.hz_directive, title="专题民主生活会情况报告", scope_unit=w.hangzhou, submit_to=w.hangzhou,
        deadline_text="2014年2月底前", due_at=timezone.now() + dt.timedelta(days=30),
    )
    t.submission = Submission.objects.create(obligation=w.obligation_organ, version=1, text="初步总结", submitted_by=w.liaison_organ)
    t.file = add_submission_file(StoredFiles(), t.submission, SimpleUploadedFile("总结.pdf", b"%PDF-1.4 summary", "application/pdf"))
    t.review = Review.objects.create(
        obligation=w.obligation_organ, submission=t.submission, reviewed_for=w.group.name, reviewer=w.group_leader,
        decision=Review.Decision.RETURN, reason="材料不全",
    )
    t.extension_request = ExtensionRequest.objects.create(
        obligation=w.obligation_organ, requested_due_at=w.obligation_organ.due_at + dt.timedelta(days=10),
        previous_due_at=w.obligation_organ.due_at, reason="材料涉及多个部门，需要更多时间", requested_by=w.liaison_organ,
    )
    t.meeting = Meeting.objects.create(unit=w.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20))
    t.phase_progress = UnitPhaseProgress.objects.create(unit=w.organ, phase=w.campaign.phases.get(code="study"),
                                                        started_on=dt.date(2013, 7, 1))
    t.feedback = Feedback.objects.create(
        group=w.group, unit=w.organ, subject="关于查摆问题的反馈", text="查摆不够深入。", drafted_by=w.group_member,
        status=Feedback.Status.SIGNED_OFF, signed_off_by=w.group_leader, signed_off_at=timezone.now(),
    )
    t.draft_feedback = Feedback.objects.create(
        group=w.group, unit=w.organ, subject="草稿", text="待研究。", drafted_by=w.group_member,
    )
    t.visit = Visit.objects.create(
        group=w.group, unit=w.organ, kind=Visit.Kind.UNANNOUNCED, visited_on=dt.date(2014, 3, 1),
        findings="窗口服务态度差", recorded_by=w.group_member,
    )
    t.evaluation = Evaluation.objects.create(
        group=w.group, unit=w.organ, subject=Evaluation.Subject.RECTIFICATION, rating=Evaluation.Rating.FAIR,
        text="整改较好", evaluated_by=w.group_leader,
    )
    t.plan = RectificationPlan.objects.create(campaign=w.campaign, unit=w.organ, title="整改方案", responsible_person="张三")
    t.item = RectificationItem.objects.create(
        plan=t.plan, problem="文山会海", measures="精简会议", owner="张三", due_on=dt.date(2014, 6, 30),
    )
    # Files: a PDF as evidence of the item (files.Attachment) and as the file of a Hangzhou directive's attachment.
    from campaign.models import DirectiveAttachment
    from files.models import Attachment
    from files.storage import StoredFiles

    t.attachment = Attachment.objects.create(
        owner=t.item, uploaded_by=w.liaison_organ, **StoredFiles().accept(SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 evidence"))
    )
    t.hz_attachment = DirectiveAttachment.objects.create(
        directive=t.hz_directive, title="实施方案", **StoredFiles().accept(SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4 plan"))
    )
    from units.models import Opinion, StudyRecord

    t.opinion = Opinion.objects.create(
        collected_by=w.province, recorded_by=w.office_province, concerned_unit=w.organ, text="窗口办事排长队",
        channel=Opinion.Channel.FACE_TO_FACE, collected_on=dt.date(2014, 3, 1),
    )
    t.study_record = StudyRecord.objects.create(
        unit=w.organ, kind=StudyRecord.Kind.LECTURE, held_on=dt.date(2014, 3, 1), topic="焦裕禄精神", speaker="王主任",
        created_by=w.liaison_organ,
    )
    from django.apps import apps

    if apps.is_installed("notifications"):
        from notifications.models import Notification

        t.notification = Notification.objects.create(user=w.liaison_organ, title="报送提醒", body="初步书面总结即将到期")
    return t
