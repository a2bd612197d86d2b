"""Extension requests (延期申请) and exemptions (免报): a unit asks for more time and whoever decides on
its report grants or refuses; an office excuses a unit from one obligation and may withdraw that.
A grant moves the obligation's own due moment (reminders follow); an exempt obligation is not open,
never overdue, never reminded, and counted apart (campaign.status, campaign.dashboard)."""

import datetime as dt
import io
import re

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from access.transitions import TransitionRefused, transitioned
from audit.models import AuditEntry
from campaign import dashboard, extensions, workflow
from campaign.actions import fan_out
from campaign.deadlines import SHANGHAI
from campaign.export import write_obligations
from campaign.models import ExtensionRequest, Obligation, ObligationStatus, Requirement, Route
from campaign.views.extensions import PER_PAGE
from core import clock
from notifications.models import Reminder
from notifications.sweep import run_sweep
from tests.conftest import make_unit
from units.models import Level, UnitType

pytestmark = pytest.mark.django_db


def at(day, hour=9, minute=0, second=0, month=1):
    return dt.datetime(2014, month, day, hour, minute, second, tzinfo=SHANGHAI)


END_OF_20_JANUARY = at(20, 23, 59, 59)


def fresh(obligation):
    return Obligation.objects.with_status().get(pk=obligation.pk)


def reminded(obligation, **filters):
    return set(Reminder.objects.filter(obligation=obligation, **filters).values_list("kind", "due_at"))


def ask(client, world, obligation=None, day="2014-01-20", reason="涉及多个部门，材料汇总需要更多时间", time=""):
    client.force_login(world.liaison_organ)
    obligation = obligation or world.obligation_organ
    return client.post(reverse("campaign:extension_request", args=[obligation.pk]),
                       {"new_due_on": day, "new_due_time": time, "reason": reason})


def decide(client, user, request, decision, reason="", back=""):
    client.force_login(user)
    return client.post(reverse("campaign:extension_decide", args=[request.pk]),
                       {"decision": decision, "reason": reason, "back": back})


def office_route_requirement(world, title="整改落实情况报告"):
    """A requirement the provincial office decides on itself (route office), for the batch-1 units."""
    requirement = Requirement(
        directive=world.zj_48, title=title, scope_unit=world.province, submit_to=world.province,
        target_batch=world.batch1, deadline_text="2014年1月10日前", route=Route.OFFICE,
    )
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    return requirement


# --- extension requests ---------------------------------------------------------------------------


def test_a_granted_extension_moves_the_due_moment_and_the_reminders_follow(people, client):
    """004 route supervision: the unit's group grants. The sweep then reminds against 20 January
    (7 days before: 13 January) and never escalates the old 10 January deadline."""
    organ, organ2 = people.obligation_organ, people.obligation_organ2
    old_due = organ.due_at
    with clock.frozen_at(at(2)):
        response = ask(client, people)
        assert response.status_code == 302
        request = ExtensionRequest.objects.get(obligation=organ)
        assert (request.status, request.requested_due_at, request.previous_due_at) == ("pending", END_OF_20_JANUARY, old_due)
        page = client.get(reverse("campaign:obligation", args=[organ.pk])).content.decode()
        assert "待审批" in page and "涉及多个部门" in page and 'id="extension-form"' not in page  # one at a time
        response = decide(client, people.group_member, request, "grant", reason="同意")
        assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_reason) == ("granted", people.group_member, "同意")
    assert fresh(organ).due_at == END_OF_20_JANUARY
    assert fresh(organ2).due_at == old_due
    # The request keeps its own trail; the obligation's due moment moved through move_due, audited.
    assert list(AuditEntry.objects.filter(object_id=request.pk, content_type__model="extensionrequest")
                .order_by("pk").values_list("action", "from_state", "to_state")) == [
        ("request", "", "pending"), ("grant", "pending", "granted")]
    moved = AuditEntry.objects.get(object_id=organ.pk, content_type__model="obligation", action="extension_granted")
    assert moved.actor == people.group_member and "涉及多个部门" in moved.reason

    run_sweep(at(11), dispatch=False)  # a Saturday: nothing for anyone
    run_sweep(at(13), dispatch=False)  # Monday: the old deadline's escalation day, 7 days before the new one
    assert reminded(organ) == {("before", END_OF_20_JANUARY)}
    before = Reminder.objects.get(obligation=organ, kind="before")
    assert (before.recipient, before.offset_days) == (people.liaison_organ, 7)
    # The unit without an extension is escalated as before (the sweep did run).
    assert ("escalate_group", old_due) in reminded(organ2)
    with clock.frozen_at(at(15)):
        assert not fresh(organ).is_overdue and fresh(organ2).is_overdue


def test_a_refusal_needs_a_reason_and_keeps_the_due_moment(world, client):
    organ = world.obligation_organ
    with clock.frozen_at(at(2)):
        ask(client, world)
        request = ExtensionRequest.objects.get()
        response = decide(client, world.group_member, request, "refuse", reason="  ")
        assert response.status_code == 400
        assert "不予批准时必须说明理由" in response.content.decode()
        with pytest.raises(TransitionRefused, match="不予批准时必须说明理由"):
            extensions.decide_extension(request, "refuse", actor=world.group_member)
        request.refresh_from_db()
        assert request.status == "pending"
        assert decide(client, world.group_member, request, "refuse", reason="期限为中央统一规定，不能延后").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == ("refused", "期限为中央统一规定，不能延后")
    assert fresh(organ).due_at == world.requirement.due_at
    with clock.frozen_at(at(3)):
        page = client.get(reverse("campaign:obligation", args=[organ.pk])).content.decode()
        assert "未批准" in page and "期限为中央统一规定" in page
        client.force_login(world.liaison_organ)
        page = client.get(reverse("campaign:obligation", args=[organ.pk])).content.decode()
        assert 'id="extension-form"' in page  # decided: the unit may ask again
        # A decided request is decided once.
        with pytest.raises(TransitionRefused, match="已审批"):
            extensions.decide_extension(request, "grant", actor=world.group_member)


def test_a_second_pending_request_is_refused_with_a_clear_message(world, client):
    with clock.frozen_at(at(2)):
        assert ask(client, world).status_code == 302
        first = ExtensionRequest.objects.get()
        with pytest.raises(TransitionRefused, match="已有一项待审批的延期申请"):
            extensions.request_extension(world.obligation_organ, requested_due_at=at(25), reason="再申请",
                                         actor=world.liaison_organ)
        assert ExtensionRequest.objects.count() == 1
        # The database holds the line too.
        with pytest.raises(IntegrityError), transaction.atomic():
            ExtensionRequest.objects.create(obligation=world.obligation_organ, requested_due_at=at(25), reason="x",
                                            requested_by=world.liaison_organ)
        # Once decided, another request may be made.
        extensions.decide_extension(first, "refuse", actor=world.group_member, reason="不同意")
        assert ask(client, world, day="2014-01-15").status_code == 302
    assert ExtensionRequest.objects.filter(status="pending").count() == 1


def test_the_requested_moment_must_lie_ahead_and_be_explained(world, client):
    with clock.frozen_at(at(2)):
        response = ask(client, world, day="2014-01-08")
        assert response.status_code == 400
        assert "须晚于现行截止时间" in response.content.decode()
        response = ask(client, world, reason="")
        assert response.status_code == 400
        for bad in ({"day": "2014-02-30"}, {"day": "明天"}, {"day": "2014-01-20", "time": "25:61"}, {"day": ""}):
            assert ask(client, world, **bad).status_code == 400, bad
    with clock.frozen_at(at(15)):  # overdue, still open: asking for a moment already past is refused
        response = ask(client, world, day="2014-01-12")
        assert response.status_code == 400 and "不能早于现在" in response.content.decode()
        assert ask(client, world, day="2014-01-16", time="12:00").status_code == 302
    assert ExtensionRequest.objects.get().requested_due_at == at(16, 12)


def test_who_may_ask_and_who_may_decide(world, client):
    """Only the unit's liaison asks, while the obligation is open; on the supervision-first route
    only the unit's group decides, on the office route only the office it is submitted to."""
    organ = world.obligation_organ
    with clock.frozen_at(at(2)):
        for outsider, status in [(world.liaison_organ2, 404), (world.office_hangzhou, 404), (world.other_member, 404),
                                 (world.office_province, 403), (world.group_member, 403)]:
            client.force_login(outsider)
            response = client.post(reverse("campaign:extension_request", args=[organ.pk]),
                                   {"new_due_on": "2014-01-20", "reason": "x"})
            assert response.status_code == status, outsider
        assert not ExtensionRequest.objects.exists()
        ask(client, world)
        request = ExtensionRequest.objects.get()
        # The office does not decide on the supervision-first route; the unit never decides its own.
        for user, status in [(world.office_province, 403), (world.liaison_organ, 403), (world.other_member, 404),
                             (world.liaison_organ2, 404), (world.office_ningbo, 404)]:
            assert decide(client, user, request, "grant").status_code == status, user
        request.refresh_from_db()
        assert request.status == "pending"

        # The office route: the provincial office decides, the group does not.
        office_obligation = office_route_requirement(world).obligations.get(unit=world.organ)
        assert ask(client, world, obligation=office_obligation).status_code == 302
        office_request = ExtensionRequest.objects.get(obligation=office_obligation)
        assert decide(client, world.group_member, office_request, "grant").status_code == 403
        assert decide(client, world.office_hangzhou, office_request, "grant").status_code == 404
        assert decide(client, world.office_province, office_request, "grant").status_code == 302
        assert fresh(office_obligation).due_at == END_OF_20_JANUARY

        # Submitted: nothing to extend (the liaison is refused with the reason who may).
        submitted = workflow.transition(world.obligation_organ2, "submit", world.liaison_organ2, text="总结")
        client.force_login(world.liaison_organ2)
        response = client.post(reverse("campaign:extension_request", args=[submitted.pk]),
                               {"new_due_on": "2014-01-20", "reason": "x"})
        assert response.status_code == 403


def test_a_pending_request_on_an_obligation_since_submitted_or_exempted_cannot_be_granted(world, client):
    with clock.frozen_at(at(2)):
        ask(client, world)
        request = ExtensionRequest.objects.get()
        workflow.transition(world.obligation_organ, "exempt", world.office_province, reason="已并入省委办公厅报送")
        response = decide(client, world.group_member, request, "grant")
        assert response.status_code == 400 and "无需延期" in response.content.decode()
        assert decide(client, world.group_member, request, "refuse", reason="已免报").status_code == 302


def test_each_move_is_announced_for_the_notifications(world):
    heard = []

    def listener(sender, obj, transition, actor, reason, **kwargs):
        heard.append((sender.__name__, transition.action, actor.username))

    transitioned.connect(listener)
    try:
        with clock.frozen_at(at(2)):
            request = extensions.request_extension(world.obligation_organ, requested_due_at=END_OF_20_JANUARY,
                                                   reason="需要时间", actor=world.liaison_organ)
            extensions.decide_extension(request, "grant", actor=world.group_leader)
            workflow.transition(world.obligation_organ2, "exempt", world.office_province, reason="合并报送")
    finally:
        transitioned.disconnect(listener)
    assert heard == [("ExtensionRequest", "request", "liaison_fgw"), ("ExtensionRequest", "grant", "sup_leader"),
                     ("Obligation", "exempt", "office_zj")]


def test_the_deciders_list_shows_what_waits_for_them(world, client, django_assert_max_num_queries):
    with clock.frozen_at(at(2)):
        ask(client, world)
        office_obligation = office_route_requirement(world).obligations.get(unit=world.organ)
        ask(client, world, obligation=office_obligation, reason="办公室路径的申请")
        client.force_login(world.group_member)
        page = client.get(reverse("campaign:extension_requests")).content.decode()
        assert "涉及多个部门" in page and "办公室路径的申请" not in page
        client.force_login(world.office_province)
        page = client.get(reverse("campaign:extension_requests")).content.decode()
        assert "办公室路径的申请" in page and "涉及多个部门" not in page
        request = ExtensionRequest.objects.get(obligation=office_obligation)
        response = decide(client, world.office_province, request, "grant", back="list")
        assert response.status_code == 302 and response["Location"] == reverse("campaign:extension_requests")
        client.force_login(world.liaison_organ)
        assert "涉及多个部门" not in client.get(reverse("campaign:extension_requests")).content.decode()
        assert client.get(reverse("campaign:extension_requests"), {"page": "x'"}).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_costs_the_same_whatever_its_length(world, client, size, django_assert_max_num_queries):
    requirement = office_route_requirement(world)
    for n in range(size):
        make_unit(code=f"330000-5{n:02d}", name=f"省直单位{n}", parent=world.province, level=Level.PROVINCE,
                  unit_type=UnitType.ORGAN, batch=world.batch1)
    ExtensionRequest.objects.bulk_create([
        ExtensionRequest(obligation=o, requested_due_at=END_OF_20_JANUARY, previous_due_at=o.due_at, reason="需要时间",
                         requested_by=world.liaison_organ)
        for o in requirement.obligations.all()
    ])
    client.force_login(world.office_province)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("campaign:extension_requests"))
    assert response.status_code == 200
    assert response.content.decode().count("data-extension=") == min(requirement.obligations.count(), PER_PAGE)


def test_the_admin_goes_through_the_same_actions(world, client):
    client.force_login(world.superuser)
    with clock.frozen_at(at(2)):
        response = client.post(reverse("admin:campaign_extensionrequest_add"), {
            "obligation": world.obligation_organ.pk, "requested_due_at_0": "2014-01-05", "requested_due_at_1": "10:00:00",
            "reason": "后台代为登记",
        })
        assert response.status_code == 200 and "须晚于现行截止时间" in response.content.decode()
        response = client.post(reverse("admin:campaign_extensionrequest_add"), {
            "obligation": world.obligation_organ.pk, "requested_due_at_0": "2014-01-20", "requested_due_at_1": "23:59:59",
            "reason": "后台代为登记",
        })
        assert response.status_code == 302, response.content.decode()[:2000]
        request = ExtensionRequest.objects.get()
        assert AuditEntry.objects.filter(object_id=request.pk, content_type__model="extensionrequest", action="request").exists()
        change = reverse("admin:campaign_extensionrequest_change", args=[request.pk])
        response = client.post(change, {"decision": "refuse", "decision_reason": ""})
        assert response.status_code == 200 and "不予批准时必须说明理由" in response.content.decode()
        response = client.post(change, {"decision": "grant", "decision_reason": "同意"})
        assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "granted" and fresh(world.obligation_organ).due_at == END_OF_20_JANUARY
    # Who excused a unit, and a request's state, move only through the actions.
    obligation_admin, request_admin = admin.site._registry[Obligation], admin.site._registry[ExtensionRequest]
    wsgi = client.get(change).wsgi_request
    assert {"status", "exempted_by", "exempted_at", "exemption_reason"} <= set(
        obligation_admin.get_readonly_fields(wsgi, world.obligation_organ))
    assert {"status", "decided_by", "decided_at", "requested_by"} <= set(request_admin.get_readonly_fields(wsgi, request))
    # Decided: view-only from now on.
    page = client.get(change).content.decode()
    assert 'name="decision"' not in page
    assert client.post(reverse("admin:campaign_extensionrequest_delete", args=[request.pk]), {"post": "yes"}).status_code == 403


# --- exemptions -----------------------------------------------------------------------------------


def exempt(client, world, obligation=None, reason="该单位已并入省委办公厅，由其统一报送", user=None, url="obligation_exempt"):
    client.force_login(user or world.office_province)
    return client.post(reverse(f"campaign:{url}", args=[(obligation or world.obligation_organ).pk]), {"reason": reason})


def visible_text(html):
    """What a person reads: no tags, no scripts (the chart's data names its series by code)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))


def test_an_exempt_obligation_is_not_overdue_not_reminded_and_counted_apart(people, client):
    organ = people.obligation_organ
    with clock.frozen_at(at(2)):
        assert exempt(client, people).status_code == 302
    obligation = fresh(organ)
    assert obligation.status == ObligationStatus.EXEMPT
    assert (obligation.exempted_by, obligation.exemption_reason) == (people.office_province, "该单位已并入省委办公厅，由其统一报送")
    with clock.frozen_at(at(15)):
        obligation = fresh(organ)
        assert (obligation.is_open, obligation.is_overdue, obligation.light) == (False, False, "done")
        assert not Obligation.objects.open().filter(pk=organ.pk).exists()
    # The sweep: nothing before the deadline, nothing after it, for the exempt unit only.
    for day in (3, 7, 9, 13, 16):
        run_sweep(at(day), dispatch=False)
    assert reminded(organ) == set()
    assert ("before", organ.due_at) in reminded(people.obligation_organ2)
    assert ("escalate_group", organ.due_at) in reminded(people.obligation_organ2)

    # Counted apart: the requirement page, the dashboard, the export.
    client.force_login(people.office_province)
    with clock.frozen_at(at(15)):
        page = client.get(reverse("campaign:requirement", args=[people.requirement.pk])).content.decode()
        assert re.search(r'data-count="exempt">1<', page)
        assert "免报" in page and not re.search(r"\bexempt\b", visible_text(page))
        figures = dashboard.subtree_figures(people.province, people.campaign, use_cache=False).total
        # Batch 1: the province itself, organ (exempt) and organ2.
        assert (figures.exempt, figures.overdue, figures.pending, figures.total) == (1, 2, 2, 3)
        page = client.get(reverse("campaign:dashboard")).content.decode()
        assert "免报" in page and not re.search(r"\bexempt\b", visible_text(page))
        obligation_page = client.get(reverse("campaign:obligation", args=[organ.pk])).content.decode()
        assert "本项已免报" in obligation_page and "该单位已并入省委办公厅" in obligation_page
    out = io.BytesIO()
    write_obligations(Obligation.objects.filter(pk=organ.pk), out)
    out.seek(0)
    row = list(load_workbook(out).active.iter_rows(values_only=True))[1]
    assert row[6] == "免报" and row[10] is None  # not overdue


def test_exempt_obligations_leave_the_on_time_rate_alone(world):
    """One unit on time; another filed late, was returned, then exempted: it is neither late nor
    overdue any more, and leaves the rate's denominator."""
    organ, organ2 = world.obligation_organ, world.obligation_organ2
    with clock.frozen_at(at(8)):
        workflow.transition(organ2, "submit", world.liaison_organ2, text="按时报送的总结")
    with clock.frozen_at(at(12)):
        workflow.transition(organ, "submit", world.liaison_organ, text="迟报的总结")
        workflow.transition(organ, "return", world.group_member, reason="请补充")
    with clock.frozen_at(at(13)):
        before = dashboard.subtree_figures(world.province, world.campaign, use_cache=False).total
        workflow.transition(organ, "exempt", world.office_province, reason="合并报送")
        after = dashboard.subtree_figures(world.province, world.campaign, use_cache=False).total
    # The third unit of batch 1 (the province itself) is overdue throughout.
    assert (before.on_time, before.late, before.overdue, before.exempt, before.on_time_rate) == (1, 1, 2, 0, 25.0)
    assert (after.on_time, after.late, after.overdue, after.exempt, after.on_time_rate) == (1, 0, 1, 1, 50.0)


def test_who_may_exempt_and_in_which_state(world, client):
    organ = world.obligation_organ
    with clock.frozen_at(at(2)):
        assert exempt(client, world, reason=" ").status_code == 400
        for user, status in [(world.liaison_organ, 403), (world.group_member, 403), (world.office_hangzhou, 404),
                             (world.liaison_organ2, 404)]:
            assert exempt(client, world, user=user).status_code == status, user
        assert fresh(organ).status == "pending"
        # A unit's own city office cannot excuse it from what the province requires.
        batch2 = Requirement(directive=world.zj_48, title="第二批单位总结", scope_unit=world.province,
                             submit_to=world.province, target_batch=world.batch2, deadline_text="2014年1月10日前")
        batch2.resolve_deadline()
        batch2.save()
        fan_out(batch2, actor=None)
        xihu = batch2.obligations.get(unit=world.xihu)
        assert exempt(client, world, obligation=xihu, user=world.office_hangzhou).status_code == 403
        assert fresh(xihu).status == "pending"
        submitted = workflow.transition(world.obligation_organ2, "submit", world.liaison_organ2, text="总结")
        response = exempt(client, world, obligation=submitted)
        assert response.status_code == 400 and "只有待报送或已退回" in response.content.decode()
        assert exempt(client, world).status_code == 302
        # Exempt: the unit submits nothing, and nobody reviews.
        with pytest.raises(TransitionRefused, match="本项已免报"):
            workflow.transition(organ, "submit", world.liaison_organ, text="仍然报送")
        client.force_login(world.liaison_organ)
        page = client.get(reverse("campaign:obligation", args=[organ.pk])).content.decode()
        assert 'id="submit-form"' not in page and 'id="extension-form"' not in page and 'id="unexempt-form"' not in page
        client.force_login(world.office_province)
        page = client.get(reverse("campaign:obligation", args=[organ.pk])).content.decode()
        assert 'id="unexempt-form"' in page and 'id="exempt-form"' not in page


def test_withdrawing_an_exemption_restores_the_obligation(people, client):
    organ = people.obligation_organ
    with clock.frozen_at(at(2)):
        exempt(client, people)
        assert exempt(client, people, reason="", url="obligation_unexempt").status_code == 400
        assert exempt(client, people, user=people.liaison_organ, url="obligation_unexempt").status_code == 403
        assert exempt(client, people, reason="该单位仍须单独报送", url="obligation_unexempt").status_code == 302
    obligation = fresh(organ)
    assert (obligation.status, obligation.exempted_by, obligation.exemption_reason) == ("pending", None, "")
    assert list(AuditEntry.objects.filter(object_id=organ.pk, content_type__model="obligation", action__in=["exempt", "unexempt"])
                .order_by("pk").values_list("action", "reason")) == [
        ("exempt", "该单位已并入省委办公厅，由其统一报送"), ("unexempt", "该单位仍须单独报送")]
    with clock.frozen_at(at(15)):
        assert fresh(organ).is_overdue
    run_sweep(at(13), dispatch=False)
    assert ("escalate_group", organ.due_at) in reminded(organ)
    with clock.frozen_at(at(2)):
        assert workflow.transition(organ, "submit", people.liaison_organ, text="总结").status == "submitted"
