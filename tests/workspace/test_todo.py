"""The to-do page and badge of every role (issue 13): each person sees exactly what waits for them,
never another unit's or another group's work; the badge counts what the page lists; the home
page leads with it; the page costs the same number of queries whatever the amount of work."""

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import workflow
from campaign.actions import fan_out
from campaign.models import Meeting, Requirement, Route
from core import clock, personal_cache
from notifications import todo
from notifications.models import Notification
from rectification.models import RectificationItem
from supervision.models import Feedback
from tests.conftest import make_unit, make_user
from tests.workspace.todo_helpers import badge, listed, marked, page_total, plan_with_items, signed_off_feedback, todo_page
from units.models import Level, UnitMembership, UnitType

Status = RectificationItem.Status
TODAY = dt.date(2014, 1, 25)  # after the summaries of the first batch were due (2014-01-10)


def requirement(world, title, deadline_text, route=Route.OFFICE, batch=None, **fields):
    made = Requirement(
        directive=world.zj_48, title=title, phase=world.phase_summary, scope_unit=world.province, submit_to=world.province,
        target_batch=batch or world.batch1, deadline_text=deadline_text, route=route, **fields,
    )
    made.resolve_deadline()
    made.save()
    fan_out(made, actor=None)
    return made


def submit(obligation, liaison):
    return workflow.transition(obligation, "submit", liaison, text="材料")


class Work:
    pass


@pytest.fixture
def frozen():
    with clock.frozen_at(TODAY):
        yield


@pytest.fixture
def work(world, frozen):
    """Work of every kind for every persona, and the same kinds for outsiders (see each test)."""
    w = Work()
    w.r1 = world.requirement  # route: the supervision group first; due 2014-01-10
    w.r2 = requirement(world, "对照检查材料", "2014年3月10日前")
    w.r3 = requirement(world, "催报：整改方案", "2014年1月20日前")
    w.r4 = requirement(world, "第二批单位初步总结", "2014年1月15日前", batch=world.batch2)
    # 004: the organ's Party organisation belongs to 省直机关工委, which reviews its part.
    w.body = make_unit(code="330000-JG", name="中共浙江省直属机关工作委员会", parent=world.province, level=Level.PROVINCE,
                       unit_type=UnitType.WORK_COMMITTEE)
    w.office_body = make_user("szjg_office")
    UnitMembership.objects.create(user=w.office_body, unit=w.body, role=UnitMembership.Role.OFFICE)
    world.organ.party_affiliation = w.body
    world.organ.save()
    w.r5 = requirement(world, "回头看自查报告", "2014年2月28日前", route=Route.OFFICE_AND_AFFILIATION,
                       target_levels=["province"], target_unit_types=["organ"])

    def ob(req, unit):
        return req.obligations.get(unit=unit)

    w.ob = ob
    submit(ob(w.r1, world.organ), world.liaison_organ)  # waits for 省委第一督导组
    submit(ob(w.r2, world.organ2), world.liaison_organ2)  # waits for the provincial office
    submit(ob(w.r5, world.organ), world.liaison_organ)  # waits for the office and 省直机关工委

    today = clock.today()
    w.meeting = Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=today + dt.timedelta(days=7))
    Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.ORGANISATIONAL_LIFE, planned_on=today + dt.timedelta(days=7))
    Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=today - dt.timedelta(days=3))
    Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, status=Meeting.Status.HELD,
                           planned_on=today - dt.timedelta(days=40), held_on=today - dt.timedelta(days=40))
    w.meeting2 = Meeting.objects.create(unit=world.organ2, kind=Meeting.Kind.DEMOCRATIC_LIFE,
                                        planned_on=today + dt.timedelta(days=3))

    w.items = plan_with_items(world, world.organ, [Status.OPEN, Status.IN_PROGRESS, Status.CLOSE_REQUESTED, Status.CLOSED])
    w.items2 = plan_with_items(world, world.organ2, [Status.CLOSE_REQUESTED])

    w.feedback = signed_off_feedback(world, world.organ, "关于对照检查材料的反馈")
    signed_off_feedback(world, world.organ, "草稿", status=Feedback.Status.DRAFT)
    w.pending = signed_off_feedback(world, world.organ, "待签发的反馈", status=Feedback.Status.PENDING)
    w.feedback2 = signed_off_feedback(world, world.organ2, "致省教育厅的反馈", group=world.other_group)
    w.pending2 = signed_off_feedback(world, world.organ2, "第二组待签发", group=world.other_group, status=Feedback.Status.PENDING)
    return w


def urls(*objects):
    return [o.get_absolute_url() for o in objects]


def late(*requirements):
    return [reverse("campaign:requirement", args=[r.pk]) + "?status=overdue" for r in requirements]


def test_liaison_sees_own_obligations_feedback_and_rectification_only(world, work, client):
    html = todo_page(client, world.liaison_organ)
    # Open obligations, overdue first; the submitted ones wait for others, not for the unit.
    assert listed(html) == {
        "obligations": urls(work.ob(work.r3, world.organ), work.ob(work.r2, world.organ)),
        "feedback_to_read": urls(work.feedback),
        "rectification": urls(*work.items[:2]),
    }
    assert set(marked(html, "overdue")) >= set(urls(work.ob(work.r3, world.organ), *work.items[:2]))
    assert work.ob(work.r2, world.organ).get_absolute_url() not in marked(html, "overdue")
    # Nothing opened yet: every obligation and the feedback are new to the unit.
    assert set(marked(html, "new")) == set(urls(work.ob(work.r3, world.organ), work.ob(work.r2, world.organ), work.feedback))

    html2 = todo_page(client, world.liaison_organ2)
    assert listed(html2) == {
        "obligations": urls(work.ob(work.r1, world.organ2), work.ob(work.r3, world.organ2), work.ob(work.r5, world.organ2)),
        "feedback_to_read": urls(work.feedback2),
    }


def test_opening_signs_for_items_so_they_are_no_longer_new(world, work, client):
    obligation = work.ob(work.r3, world.organ)
    client.force_login(world.liaison_organ)
    assert client.get(obligation.get_absolute_url()).status_code == 200
    assert client.get(work.feedback.get_absolute_url()).status_code == 200
    html = todo_page(client, world.liaison_organ)
    assert obligation.get_absolute_url() in listed(html)["obligations"]  # still to submit
    assert obligation.get_absolute_url() not in marked(html, "new")
    assert "feedback_to_read" not in listed(html)  # read and signed for: done


def test_group_member_sees_the_groups_reviews_meetings_and_close_requests(world, work, client):
    expected = {
        "group_reviews": urls(work.ob(work.r1, world.organ)),
        "meetings": urls(work.meeting),
        "close_requests": urls(work.items[2]),
    }
    assert listed(todo_page(client, world.group_member)) == expected
    # The leader sees the same and the feedback waiting for the leader's sign-off.
    assert listed(todo_page(client, world.group_leader)) == {"sign_off": urls(work.pending), **expected}
    # The other group's leader: the other unit's meeting, close request and pending feedback only.
    assert listed(todo_page(client, world.other_member)) == {
        "sign_off": urls(work.pending2), "meetings": urls(work.meeting2), "close_requests": urls(work.items2[0]),
    }


def test_attended_meeting_leaves_the_list(world, work, client):
    """A planned meeting takes no attendance yet (003: the group comments on a meeting it attended);
    once held it asks for the attendance and comments, and leaves the list when they are recorded."""
    client.force_login(world.group_member)
    assert client.post(reverse("supervision:attend", args=[work.meeting.pk]), {"comment": "准备充分"}).status_code == 400
    assert listed(todo_page(client, world.group_member))["meetings"] == urls(work.meeting)
    Meeting.objects.filter(pk=work.meeting.pk).update(status=Meeting.Status.HELD, held_on=clock.today())
    assert "请记录列席和点评" in todo_page(client, world.group_member)
    client.post(reverse("supervision:attend", args=[work.meeting.pk]), {"comment": "准备充分"})
    assert "meetings" not in listed(todo_page(client, world.group_member))


def test_office_sees_reviews_late_units_per_requirement_and_close_requests(world, work, client):
    html = todo_page(client, world.office_province)
    assert listed(html) == {
        "close_requests": urls(work.items2[0], work.items[2]),
        "office_reviews": urls(work.ob(work.r2, world.organ2), work.ob(work.r5, world.organ)),
        "late_units": late(work.r1, work.r4, work.r3),
    }
    assert "5 个单位逾期未报送" in html and "3 个单位逾期未报送" in html and "2 个单位逾期未报送" in html
    # A city's office: only its own subtree's late units (杭州市, 西湖区, 北山街道), nothing of the province's.
    html = todo_page(client, world.office_hangzhou)
    assert listed(html) == {"late_units": late(work.r4)}
    assert "3 个单位逾期未报送" in html
    # The affiliation body: its part of the organ's report, nothing else.
    assert listed(todo_page(client, work.office_body)) == {"affiliation_reviews": urls(work.ob(work.r5, world.organ))}


def test_late_units_link_lists_the_overdue_obligations(world, work, client):
    client.force_login(world.office_province)
    html = client.get(late(work.r1)[0]).content.decode()
    rows = {ob.pk for ob in work.r1.obligations.all() if f'data-obligation="{ob.pk}"' in html}
    assert rows == {work.ob(work.r1, world.province).pk, work.ob(work.r1, world.organ2).pk}


def test_extension_requests_and_chases_wait_for_the_right_people(world, frozen, work, client):
    from campaign import chases, extensions
    from campaign.deadlines import SHANGHAI
    from campaign.models import Chase, Obligation

    # Office route: 催报：整改方案 of both organs; group-first route: 省教育厅's summary (省委第二督导组).
    office_route, other = work.ob(work.r3, world.organ2), work.ob(work.r3, world.organ)
    group_route = work.ob(work.r1, world.organ2)
    for obligation, liaison in ((office_route, world.liaison_organ2), (other, world.liaison_organ),
                                (group_route, world.liaison_organ2)):
        extensions.request_extension(obligation, requested_due_at=dt.datetime(2014, 2, 10, 18, tzinfo=SHANGHAI),
                                     reason="主要负责同志出差", actor=liaison)
    office = listed(todo_page(client, world.office_province))
    assert sorted(office["extension_requests"]) == sorted([office_route.get_absolute_url(), other.get_absolute_url()])
    assert listed(todo_page(client, world.other_member))["group_extension_requests"] == [group_route.get_absolute_url()]
    assert "group_extension_requests" not in listed(todo_page(client, world.group_member))
    # A chase waits on the liaison's list until the obligation is opened (签收).
    chases.chase(Obligation.objects.filter(pk=other.pk), actor=world.office_province, note="请尽快")
    assert listed(todo_page(client, world.liaison_organ))["chases"] == [other.get_absolute_url()]
    assert "chases" not in listed(todo_page(client, world.liaison_organ2))
    client.force_login(world.liaison_organ)
    assert client.get(other.get_absolute_url()).status_code == 200
    assert Chase.objects.get(obligation=other).received_at is not None
    assert "chases" not in listed(todo_page(client, world.liaison_organ))


@pytest.mark.parametrize("persona", ["liaison_organ", "liaison_organ2", "group_member", "group_leader", "other_member",
                                     "office_province", "office_hangzhou", "liaison_xihu", "superuser"])
def test_badge_counts_what_the_page_lists(world, work, client, persona):
    user = getattr(world, persona)
    html = todo_page(client, user)
    shown = sum(len(found) for found in listed(html).values())
    assert page_total(html) == shown == badge(html) > 0
    # Any other page's badge counts the same, from COUNT queries alone (not the counts the to-do
    # page kept for the person: core.personal_cache).
    personal_cache.forget(user.pk)
    other = client.get(reverse("notifications:list")).content.decode()
    assert badge(other) == shown


def test_person_without_role_has_no_todo(world, client):
    nobody = make_user("nobody")
    html = todo_page(client, nobody)
    assert page_total(html) == 0 and badge(html) == 0 and listed(html) == {}
    client.force_login(nobody)
    assert 'id="todo-section"' not in client.get(reverse("home")).content.decode()


def test_home_page_leads_with_the_todo(world, work, client):
    client.force_login(world.group_leader)
    html = client.get(reverse("home")).content.decode()
    assert html.index('id="todo-section"') < html.index('id="supervision-section"')
    assert 'data-total="4"' in html and "全部待办 4 项" in html
    # The supervision panel no longer repeats the counts in a bar of its own.
    assert "待我处理" not in html and 'data-testid="supervision-waiting"' not in html
    assert len(listed(html)["sign_off"]) == 1

    client.force_login(world.office_province)
    html = client.get(reverse("home")).content.decode()
    assert html.index('id="todo-section"') < html.index('id="office-section"')
    assert "全部待办 7 项" in html


def test_empty_todo_says_so(world, client):
    # Once the organ's only obligations are submitted, its liaison has nothing left to do.
    for obligation in world.requirement.obligations.filter(unit=world.organ):
        submit(obligation, world.liaison_organ)
    html = todo_page(client, world.liaison_organ)
    assert 'id="todo-empty"' in html and badge(html) == 0


def grow(world, work, n):
    """`n` more provincial organs with a liaison each: each submits one report to the office, asks
    to close one item, and is late with the others."""
    for i in range(n):
        unit = make_unit(batch=world.batch1, code=f"330000-9{i:02d}", name=f"省直单位{i}", parent=world.province,
                         level=Level.PROVINCE, unit_type=UnitType.ORGAN)
        liaison = make_user(f"liaison_{i}")
        UnitMembership.objects.create(user=liaison, unit=unit, role=UnitMembership.Role.LIAISON)
        submit(work.r2.obligations.get(unit=unit), liaison)
        plan_with_items(world, unit, [Status.CLOSE_REQUESTED, Status.OPEN])
        signed_off_feedback(world, unit, f"反馈{i}")


@pytest.mark.parametrize("size", [2, todo.PAGE_LIMIT + 10])
def test_page_queries_do_not_grow_with_the_work(world, work, client, django_assert_max_num_queries, size):
    grow(world, work, size)
    for user in (world.office_province, world.group_leader, world.liaison_organ):
        client.force_login(user)
        client.get(reverse("notifications:todo"))  # the session and the campaign settled
        # One row query per kind of the role (the office's kinds include the look-back reviews, 004,
        # and the directive intake's drafts and unfinished files).
        with django_assert_max_num_queries(18):
            response = client.get(reverse("notifications:todo"))
        html = response.content.decode()
        # Past the page's rows (60 reports waiting for the office) the count still agrees with the badge.
        assert response.status_code == 200 and page_total(html) == badge(html) > 0
        with django_assert_max_num_queries(22):
            assert client.get(reverse("home")).status_code == 200


def test_todo_fits_a_phone(browser_page, live_server, world, work):
    """360 px wide: long titles wrap, nothing scrolls sideways (the page and the home panel)."""
    requirement(world, "关于认真做好第一批党的群众路线教育实践活动总结工作并同时报送整改落实情况和建章立制情况的专题报告" * 2,
                "2014年1月12日前")
    from tests.conftest import login

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, world.office_province.username)
    for path in (reverse("notifications:todo"), reverse("home")):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector("[data-todo-kind]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_badge_and_totals_count_no_further_than_they_show(world, work, client, monkeypatch):
    """A badge is read at a glance: past core.paging.BADGE_CAP it says "999+" and its count stops
    there (the province office's 65,000 waiting reports were counted on every page)."""
    from core import paging

    client.force_login(world.office_province)
    assert "全部待办 7 项" in client.get(reverse("home")).content.decode()
    monkeypatch.setattr(paging, "BADGE_CAP", 2)
    home = client.get(reverse("home")).content.decode()
    assert "全部待办 2+ 项" in home and ">2+<span" in home
    assert all(int(value) <= 3 for value in re.findall(r'data-value="(\d+)"', home))
    # The to-do page itself lists its items, and reads its total the same way.
    assert 'data-total="' in todo_page(client, world.office_province)
    assert "共 2+ 项" in todo_page(client, world.office_province)


def _badge_counted(queries):
    """Whether a page counted the to-do (the badge's one query of scalar COUNT subqueries)."""
    return any(query["sql"].startswith("SELECT (SELECT COUNT(*)") for query in queries)


def _page(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("notifications:list")).content.decode()
    return html, _badge_counted(queries.captured_queries)


def test_badge_is_counted_once_then_kept_until_it_is_old(world, work, client, settings):
    """The badge on every page is counted once and kept a short while (PERSONAL_FIGURES_SECONDS):
    another person's change shows once it is that old; the to-do page always counts afresh."""
    settings.PERSONAL_FIGURES_SECONDS = 1
    client.force_login(world.office_province)
    first, counted = _page(client)
    assert counted and badge(first) > 0
    again, counted = _page(client)
    assert not counted and badge(again) == badge(first)
    # Another person's change: a report reaches the province office's review.
    submit(work.ob(work.r3, world.organ), world.liaison_organ)
    kept, counted = _page(client)
    assert not counted and badge(kept) == badge(first)
    time.sleep(1.1)
    later, counted = _page(client)
    assert counted and badge(later) == badge(first) + 1 == badge(todo_page(client, world.office_province))


def test_own_change_and_a_notice_show_at_once(world, work, client):
    """What the person does (any POST), and any notice to them, count the badge and bell again."""
    client.force_login(world.office_province)
    assert _page(client)[1] and not _page(client)[1]
    client.post(reverse("notifications:mark_all_read"))
    assert _page(client)[1] and not _page(client)[1]
    Notification.objects.create(user=world.office_province, title="新通知")
    html, counted = _page(client)
    assert counted and 'data-unread="1"' in html
    # Opening the notice (a GET that reads it) empties the bell at once.
    client.get(reverse("notifications:detail", args=[Notification.objects.get(user=world.office_province).pk]))
    assert 'data-unread="' not in _page(client)[0]


def test_another_clock_counts_again(world, work, client):
    """Counts kept on one clock are not served on another (a superuser's pinned moment)."""
    client.force_login(world.office_province)
    assert _page(client)[1] and not _page(client)[1]
    with clock.frozen_at(TODAY + dt.timedelta(days=30)):
        assert _page(client)[1]
    assert _page(client)[1]


def test_kept_for_nobody_when_switched_off(world, work, client, settings):
    settings.PERSONAL_FIGURES_SECONDS = 0
    client.force_login(world.office_province)
    assert _page(client)[1] and _page(client)[1]
