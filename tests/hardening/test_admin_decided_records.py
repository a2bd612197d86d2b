"""Signed-off feedback, reviews, filed submissions, approved closings and accepted look-back
reports cannot be changed or deleted through the admin, not even by a superuser: not on their
page, not by the list's bulk delete, not by deleting what they hang on."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from campaign import workflow
from campaign.models import Review, Submission
from rectification.models import LookBackReport, RectificationItem, RectificationPlan
from supervision.models import Feedback


@pytest.fixture
def su(world, client):
    client.force_login(world.superuser)
    return client


def admin_url(obj, view="change"):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"


def changelist(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


@pytest.fixture
def decided(world):
    signed = Feedback.objects.create(
        group=world.group, unit=world.organ, subject="反馈", text="已集体研究。", drafted_by=world.group_member,
        status=Feedback.Status.SIGNED_OFF, signed_off_by=world.group_leader, signed_off_at=timezone.now(),
    )
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初步总结")
    workflow.transition(world.obligation_organ, "approve", world.group_leader)
    review = Review.objects.get()
    plan = RectificationPlan.objects.create(unit=world.organ, campaign=world.campaign, title="整改方案", responsible_person="李四")
    closed = RectificationItem.objects.create(
        plan=plan, problem="文山会海", measures="精简", owner="张三", due_on=dt.date(2014, 6, 30),
        status=RectificationItem.Status.CLOSED, evidence="会议通知精简台账",
    )
    accepted = LookBackReport.objects.create(
        unit=world.organ, campaign=world.campaign, created_by=world.liaison_organ, summary="回头看",
        status=LookBackReport.Status.ACCEPTED,
    )
    return {"feedback": signed, "review": review, "submission": review.submission, "item": closed, "report": accepted}


def test_decided_records_open_view_only_and_refuse_a_posted_change(decided, su):
    for name, obj in decided.items():
        page = su.get(admin_url(obj))
        assert page.status_code == 200, name
        assert 'name="_save"' not in page.content.decode(), name
        before = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
        assert su.post(admin_url(obj), {"subject": "改写", "text": "改写", "reason": "改写", "summary": "改写",
                                        "problem": "改写", "decision": "return"}).status_code == 403, name
        obj.refresh_from_db()
        assert {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields} == before, name


def test_decided_records_cannot_be_deleted_on_their_page_or_in_bulk(decided, su):
    for name, obj in decided.items():
        assert su.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403, name
        su.post(changelist(type(obj)), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert type(obj)._base_manager.filter(pk=obj.pk).exists(), name


def test_deleting_what_a_decision_hangs_on_is_refused(decided, su, world):
    """An obligation with an approval under it cannot be deleted: the review would go with it."""
    obligation = world.obligation_organ
    response = su.post(admin_url(obligation, "delete"), {"post": "yes"})
    assert response.status_code in (200, 403)
    assert type(obligation).objects.filter(pk=obligation.pk).exists()
    assert Review.objects.filter(pk=decided["review"].pk).exists()


def test_undecided_records_stay_editable(world):
    request = RequestFactory().get("/admin/")
    request.user = world.superuser
    draft = Feedback.objects.create(group=world.group, unit=world.organ, subject="草稿", text="…", drafted_by=world.group_member)
    feedback_admin = admin.site._registry[Feedback]
    assert feedback_admin.has_change_permission(request, draft) and feedback_admin.has_delete_permission(request, draft)
    assert Submission.objects.count() == 0
