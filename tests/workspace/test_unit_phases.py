"""A unit's phases (环节): entered and finished by the unit or its office on the timeline page, guarded
by 003's staggered start (梯次展开、压茬进行) and rule 8, counted per phase on the office's dashboard."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from access.transitions import TransitionRefused
from audit.models import AuditEntry
from campaign import phases
from campaign.models import Meeting, Phase, UnitPhaseProgress
from campaign.views import phases as views
from tests.conftest import login, make_unit
from units.models import Level, UnitType


def phase(code):
    return Phase.objects.get(code=code)


def enter(client, unit, code, day, note=""):
    p = phase(code)
    return client.post(reverse("campaign:phase_enter", kwargs={"unit_id": unit.pk, "phase_id": p.pk}),
                       {f"phase-{p.pk}-on": day, f"phase-{p.pk}-note": note})


def finish(client, unit, code, day):
    progress = UnitPhaseProgress.objects.get(unit=unit, phase__code=code)
    return client.post(reverse("campaign:phase_finish", kwargs={"progress_id": progress.pk}),
                       {f"phase-{progress.phase_id}-on": day})


def test_the_liaison_moves_its_unit_through_the_phases_in_order(world, client):
    client.force_login(world.liaison_organ)
    url = reverse("campaign:unit_phases", kwargs={"unit_id": world.organ.pk})
    page = client.get(url).content.decode()
    assert page.count('data-state="not_started"') == 5 and "记录进入本环节" in page

    # 压茬进行: a phase starts only after the one before it began.
    response = enter(client, world.organ, "examination", "2013-07-01")
    assert response.status_code == 400 and "须先进入上一环节“学习教育、听取意见”" in response.content.decode()
    assert enter(client, world.organ, "study", "2013-07-01", note="召开动员大会").status_code == 302
    response = enter(client, world.organ, "examination", "2013-06-30")
    assert response.status_code == 400 and "不能早于上一环节“学习教育、听取意见”的开始日期" in response.content.decode()
    assert enter(client, world.organ, "examination", "2013-08-20").status_code == 302  # before study ends: 压茬
    assert enter(client, world.organ, "study", "2013-07-02").status_code == 400  # once only

    # 衔接: a phase finishes after the one before it; never before it began.
    response = finish(client, world.organ, "examination", "2013-09-01")
    assert response.status_code == 400 and "须先完成上一环节“学习教育、听取意见”" in response.content.decode()
    assert finish(client, world.organ, "study", "2013-06-30").status_code == 400
    assert finish(client, world.organ, "study", "2013-08-31").status_code == 302
    assert finish(client, world.organ, "study", "2013-09-01").status_code == 400  # finished already
    response = enter(client, world.organ, "rectification", "2099-01-01")
    assert response.status_code == 400 and "日期不能晚于今天" in response.content.decode()

    study = UnitPhaseProgress.objects.get(unit=world.organ, phase__code="study")
    assert (study.status, study.started_on, study.finished_on, study.note) == (
        "finished", dt.date(2013, 7, 1), dt.date(2013, 8, 31), "召开动员大会")
    trail = list(AuditEntry.objects.for_object(study).order_by("at", "pk").values_list("action", "to_state", "actor"))
    assert trail == [("enter_phase", "started", world.liaison_organ.pk), ("finish_phase", "finished", world.liaison_organ.pk)]
    page = client.get(url).content.decode()
    assert 'data-phase="study" data-state="finished"' in page and "2013年8月31日" in page
    assert 'data-phase="examination" data-state="started"' in page


def test_who_may_move_a_unit(world, client):
    """The unit's liaisons and the offices over it; its supervision group and other units only look."""
    client.force_login(world.group_member)
    assert "记录进入本环节" not in client.get(reverse("campaign:unit_phases", kwargs={"unit_id": world.organ.pk})).content.decode()
    assert enter(client, world.organ, "study", "2013-07-01").status_code == 403
    client.force_login(world.liaison_organ2)
    assert enter(client, world.organ, "study", "2013-07-01").status_code == 404
    client.force_login(world.office_province)
    assert enter(client, world.organ, "study", "2013-07-01").status_code == 302
    client.force_login(world.group_member)
    assert finish(client, world.organ, "study", "2013-08-01").status_code == 403
    assert UnitPhaseProgress.objects.get(unit=world.organ).status == "started"


def test_staggered_start_by_batch_and_taking_part(world, client):
    """003 (梯次展开): no phase before the unit's batch began; a unit not in the campaign has none."""
    world.batch2.starts_on = dt.date(2014, 1, 1)
    world.batch2.save()
    client.force_login(world.office_province)
    response = enter(client, world.xihu, "study", "2013-12-31")
    assert response.status_code == 400 and "第二批于2014年1月1日开始" in response.content.decode()
    assert enter(client, world.xihu, "study", "2014-01-02").status_code == 302
    client.force_login(world.superuser)
    response = enter(client, world.central, "study", "2014-01-02")
    assert response.status_code == 400 and "本单位未参加此次活动" in response.content.decode()


def test_the_closing_phase_waits_for_the_minimum_stay(world):
    """Rule 8, the gate of campaign.gates: 总结 is finished three months after the unit started at the earliest."""
    days = {"study": dt.date(2013, 7, 1), "examination": dt.date(2013, 7, 2), "rectification": dt.date(2013, 7, 3),
            "summary": dt.date(2013, 7, 4)}
    for code, day in days.items():
        phases.enter_phase(world.organ, phase(code), day, actor=world.liaison_organ)
    for code in ("study", "examination", "rectification"):
        phases.finish_phase(UnitPhaseProgress.objects.get(unit=world.organ, phase__code=code), dt.date(2013, 8, 1),
                            actor=world.liaison_organ)
    summary = UnitPhaseProgress.objects.get(unit=world.organ, phase__code="summary")
    with pytest.raises(TransitionRefused, match="最早可于2013年10月1日完成“总结”环节"):
        phases.finish_phase(summary, dt.date(2013, 9, 30), actor=world.liaison_organ)
    assert phases.finish_phase(summary, dt.date(2013, 10, 1), actor=world.liaison_organ).status == "finished"


def progress_for(units, code, status, day=dt.date(2014, 1, 2)):
    UnitPhaseProgress.objects.bulk_create([
        UnitPhaseProgress(unit=unit, phase=phase(code), status=status, started_on=day,
                          finished_on=day if status == "finished" else None) for unit in units])


def test_the_dashboard_counts_units_per_phase_with_links_to_them(world, client, django_assert_max_num_queries, settings):
    """Per phase: not started / in progress / finished among the units taking part under the office,
    each count linking to its paginated list; the counting costs the same queries for any number of units."""
    progress_for([world.organ, world.hangzhou], "study", "finished")
    progress_for([world.xihu], "study", "started")
    progress_for([world.organ], "examination", "started")
    client.force_login(world.office_province)
    page = client.get(reverse("campaign:dashboard")).content.decode()
    panel = page[page.index('id="phase-panel"'):]
    study = panel[panel.index('data-phase="study"'):panel.index('data-phase="examination"')]
    # 浙江省 itself and its 7 units below take part (中央 does not): 8 = 5 not started + 1 + 2.
    assert [int(n) for n in _counts(study)] == [5, 1, 2]
    listing = reverse("campaign:phase_units", kwargs={"phase_id": phase("study").pk})
    assert f'{listing}?unit={world.province.pk}&amp;state=finished' in study

    response = client.get(listing, {"unit": world.province.pk, "state": "finished"})
    names = response.content.decode()
    assert "省发展改革委" in names and "杭州市" in names and "西湖区" not in names and "2014年1月2日" in names
    with django_assert_max_num_queries(14):
        page_one = client.get(listing, {"unit": world.province.pk, "state": "not_started"}).content.decode()
    assert "北仑区" in page_one and "省发展改革委" not in page_one
    assert client.get(listing, {"unit": world.province.pk, "state": "nonsense"}).status_code == 404
    client.force_login(world.liaison_organ)
    assert client.get(listing, {"state": "finished"}).status_code == 403

    # More units: the same number of queries for the counts (aggregates, no loop over units).
    with django_assert_max_num_queries(1) as few:
        phases.phase_counts(world.province, world.campaign)
    more = [make_unit(code=f"330106{n:03d}", name=f"街道{n}", parent=world.xihu, level=Level.TOWNSHIP,
                      unit_type=UnitType.STREET, batch=world.batch2) for n in range(100, 130)]
    progress_for(more[:10], "study", "started")
    with django_assert_max_num_queries(len(few.captured_queries)):
        counts = phases.phase_counts(world.province, world.campaign)
    assert (counts[0].not_started, counts[0].started, counts[0].finished) == (25, 11, 2)


def _counts(row_html):
    return re.findall(r'data-state="[a-z_]+"[^>]*>(\d+)</a>', row_html)


def test_the_list_is_paginated(world, client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(world.office_province)
    listing = reverse("campaign:phase_units", kwargs={"phase_id": phase("study").pk})
    first = client.get(listing, {"unit": world.province.pk}).content.decode()
    assert "共 8 个单位" in first and "1 / 4" in first and "page=2" in first
    assert "4 / 4" in client.get(listing, {"unit": world.province.pk, "page": "999"}).content.decode()


def test_links_from_the_liaison_home_and_workspace(world, client):
    client.force_login(world.liaison_organ)
    url = reverse("campaign:unit_phases", kwargs={"unit_id": world.organ.pk})
    assert url in client.get(reverse("home")).content.decode()
    assert url in client.get(reverse("campaign:workspace")).content.decode()


def test_the_phase_pages_fit_a_phone(browser_page, live_server, world):
    """360 px wide: the timeline with its forms, the list of units and the meeting page scroll only down."""
    world.organ.name = "浙江省发展和改革委员会（省物价局、省能源局）机关党委暨直属单位联合党组织" * 2
    world.organ.save()
    phases.enter_phase(world.organ, phase("study"), dt.date(2013, 7, 1), actor=world.liaison_organ, note="动员" * 80)
    meeting = Meeting.objects.create(unit=world.organ, kind="democratic_life", phase=phase("examination"),
                                     planned_on=dt.date(2014, 6, 20))
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, world.office_province.username)
    for path in (reverse("campaign:unit_phases", kwargs={"unit_id": world.organ.pk}),
                 reverse("campaign:phase_units", kwargs={"phase_id": phase("study").pk}) + "?state=started",
                 meeting.get_absolute_url()):
        page.goto(f"{live_server.url}{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
