"""Rule 8 (003: 具体到每个单位，开展教育实践活动的时间一般不少于3个月): a unit of a batch with a
minimum number of months cannot record the course's closing phase (总结) as finished earlier,
on any path, unless the office over it granted an exception with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from campaign import actions
from campaign.models import Meeting, Participation, Phase, UnitPhaseProgress
from core import clock

STARTED = dt.date(2014, 1, 6)
REFUSAL = "本单位2014年1月6日开展活动，按规定每个单位一般不少于3个月，最早可于2014年4月6日完成“总结”环节"


@pytest.fixture
def xihu(world):
    """西湖区, batch 2 (three months by default), started on 6 January 2014."""
    actions.enrol([world.xihu], campaign=world.campaign, batch=world.batch2, joined_on=STARTED, actor=None)
    return world.xihu


def finish(unit, code, finished_on, started_on=STARTED, actor=None):
    progress = UnitPhaseProgress(unit=unit, phase=Phase.objects.get(code=code), started_on=started_on, finished_on=finished_on)
    return actions.record_phase_progress(progress, actor=actor)


def participation(world, unit):
    return Participation.objects.get(campaign=world.campaign, unit=unit)


def test_the_summary_phase_is_refused_before_the_minimum_with_both_dates(world, xihu):
    with pytest.raises(ValidationError) as refused:
        finish(xihu, "summary", dt.date(2014, 4, 5))
    assert REFUSAL in " ".join(refused.value.message_dict["finished_on"])
    assert not UnitPhaseProgress.objects.filter(unit=xihu).exists()


def test_the_summary_phase_is_recorded_once_the_minimum_is_served_and_audited(world, xihu):
    progress = finish(xihu, "summary", dt.date(2014, 4, 6), actor=world.office_hangzhou)
    assert progress.pk and progress.finished_on == dt.date(2014, 4, 6)
    entry = AuditEntry.objects.for_object(progress).get(action="create")
    assert entry.actor == world.office_hangzhou and entry.changes["finished_on"]["after"] == "2014-04-06"


def test_only_the_closing_phase_is_held_to_the_minimum(world, xihu):
    """The earlier phases may finish within the three months; the look-back (回头看) comes after the
    course (004, January 2015) and is not the phase the minimum closes."""
    assert finish(xihu, "study", dt.date(2014, 2, 1)).pk
    assert finish(xihu, "lookback", dt.date(2014, 2, 1)).pk


def test_without_a_start_day_the_first_phase_start_counts(world):
    actions.enrol([world.beilun], campaign=world.campaign, batch=world.batch2, actor=None)
    finish(world.beilun, "study", None, started_on=dt.date(2014, 2, 10))
    with pytest.raises(ValidationError) as refused:
        finish(world.beilun, "summary", dt.date(2014, 5, 9), started_on=dt.date(2014, 4, 1))
    assert "本单位2014年2月10日开展活动" in str(refused.value) and "最早可于2014年5月10日" in str(refused.value)
    assert finish(world.beilun, "summary", dt.date(2014, 5, 10), started_on=dt.date(2014, 4, 1)).pk


def test_a_batch_without_a_minimum_is_not_held_to_one(world, xihu):
    world.batch2.min_months = 0
    world.batch2.save()
    assert finish(xihu, "summary", dt.date(2014, 2, 1)).pk


def test_an_office_exception_lets_it_through_and_is_kept(world, xihu, client):
    page = reverse("campaign:unit_participation", kwargs={"unit_id": xihu.pk})
    waive = reverse("campaign:unit_minimum_stay_waiver", kwargs={"unit_id": xihu.pk})
    client.force_login(world.office_hangzhou)
    shown = client.get(page, {"campaign": world.campaign.pk}).content.decode()
    assert "2014年1月6日开展活动" in shown and "最早可于2014年4月6日" in shown and waive in shown

    response = client.post(waive, {"campaign": world.campaign.pk, "reason": "  "})
    assert response.status_code == 400 and "请说明例外理由" in response.content.decode()
    assert participation(world, xihu).min_months_waived_at is None

    reason = "区委统一部署提前转入总结，经市委办公室同意"
    response = client.post(waive, {"campaign": world.campaign.pk, "reason": reason})
    assert response.status_code == 302
    granted = participation(world, xihu)
    assert granted.min_months_waived_by == world.office_hangzhou and granted.min_months_waiver_reason == reason
    entry = AuditEntry.objects.for_object(granted).get(action="waive_minimum_stay")
    assert entry.actor == world.office_hangzhou and entry.reason == reason

    assert finish(xihu, "summary", dt.date(2014, 3, 1)).pk
    shown = client.get(page, {"campaign": world.campaign.pk}).content.decode()
    assert reason in shown and 'data-testid="minimum-stay-waiver"' in shown and waive not in shown
    unit_page = client.get(xihu.get_absolute_url()).content.decode()
    assert 'data-testid="minimum-stay-waived"' in unit_page


def test_only_the_office_over_the_unit_may_grant_it(world, xihu, client):
    waive = reverse("campaign:unit_minimum_stay_waiver", kwargs={"unit_id": xihu.pk})
    data = {"campaign": world.campaign.pk, "reason": "理由"}
    client.force_login(world.liaison_xihu)
    assert client.post(waive, data).status_code == 403
    client.force_login(world.office_ningbo)
    assert client.post(waive, data).status_code == 404
    assert participation(world, xihu).min_months_waived_at is None


def test_the_admin_goes_through_the_same_rule(world, xihu, client):
    client.force_login(world.superuser)
    url = reverse("admin:campaign_unitphaseprogress_add")
    data = {"unit": xihu.pk, "phase": Phase.objects.get(code="summary").pk, "started_on": "2014-03-01",
            "finished_on": "2014-03-20", "note": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and "最早可于2014年4月6日" in response.content.decode()
    assert not UnitPhaseProgress.objects.filter(unit=xihu).exists()

    response = client.post(url, {**data, "finished_on": "2014-04-08"})
    assert response.status_code == 302
    progress = UnitPhaseProgress.objects.get(unit=xihu)
    assert AuditEntry.objects.for_object(progress).filter(action="create", actor=world.superuser).exists()

    change = reverse("admin:campaign_unitphaseprogress_change", args=[progress.pk])
    response = client.post(change, {**data, "finished_on": "2014-04-01"})
    assert response.status_code == 200 and "最早可于2014年4月6日" in response.content.decode()
    progress.refresh_from_db()
    assert progress.finished_on == dt.date(2014, 4, 8)


def test_the_exception_also_opens_the_summary_meeting(world, xihu):
    """Rule 8 is one rule: the summary meeting's gate reads the same minimum and the same exception."""
    for unit, day in ((world.central, dt.date(2014, 1, 20)), (world.province, dt.date(2014, 1, 26))):
        Meeting.objects.create(planned_on=day, unit=unit, kind=Meeting.Kind.SUMMARY, held_on=day, status=Meeting.Status.HELD)
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=xihu, kind=Meeting.Kind.SUMMARY)
    from campaign.gates import missing_conditions

    with clock.frozen_at(dt.date(2014, 5, 1)):
        assert any("最早可于2014年4月6日召开总结会议" in s for s in missing_conditions(meeting, dt.date(2014, 3, 1)))
        actions.waive_minimum_stay(participation(world, xihu), reason="经批准", actor=world.office_hangzhou)
        assert missing_conditions(meeting, dt.date(2014, 3, 1)) == []
