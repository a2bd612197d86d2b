"""Bulk writes that stay flat (issue "province scale"): a one-off requirement's fan-out and its
deadline moves are set-based statements in batches (campaign.bulk), with one audit row per bulk
action carrying the count and a batch key that each obligation keeps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from campaign import actions, bulk
from campaign.models import Obligation, Requirement, Route
from units.models import Level, Unit, UnitType


def organs(world, count):
    """`count` provincial organs more under the province (the fixture has two)."""
    for n in range(count):
        Unit.objects.create(code=f"330000-9{n:03d}", name=f"省直单位{n}", parent=world.province, level=Level.PROVINCE,
                            unit_type=UnitType.ORGAN)


def organ_requirement(world, deadline="2014年1月20日前"):
    return Requirement(directive=world.zj_48, title="整改方案", scope_unit=world.province, submit_to=world.province,
                       target_unit_types=[UnitType.ORGAN], deadline_text=deadline, route=Route.OFFICE)


def bound_ids(requirement):
    return set(requirement.bound_units().values_list("pk", flat=True))


def test_fan_out_in_batches_writes_every_obligation_and_one_audit_row(world):
    organs(world, 7)
    requirement, added, _removed = actions.save_requirement(organ_requirement(world), actor=world.office_province)
    assert added == 9
    assert set(requirement.obligations.values_list("unit_id", flat=True)) == bound_ids(requirement)
    issued = AuditEntry.objects.for_object(requirement).get(action="obligations_issued")
    assert (issued.count, issued.actor, issued.changes["obligations_added"]["after"]) == (9, world.office_province, 9)
    # Each obligation keeps the key: its timeline says who issued it and when, through that one row.
    obligation = requirement.obligations.first()
    assert obligation.issue_batch == issued.batch_key
    assert list(AuditEntry.objects.for_object(obligation, obligation.bulk_batch_keys)) == [issued]
    # Batches of two rows make five statements and the same result.
    other = organ_requirement(world)
    other.resolve_deadline()
    other.save()
    assert actions.fan_out(other, actor=None, bulk_options={"size": 2}) == 9
    assert other.obligations.count() == 9
    assert AuditEntry.objects.for_object(other).get(action="obligations_issued").count == 9


def test_an_interrupted_fan_out_is_completed_by_running_it_again(world):
    organs(world, 10)
    requirement = organ_requirement(world)
    requirement.resolve_deadline()
    requirement.save()
    key = "resumed-fan-out"

    def interrupted(done):
        if done >= 4:
            raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError):
        actions.fan_out(requirement, actor=world.office_province, bulk_options={"size": 4, "batch_key": key,
                                                                              "progress": interrupted})
    assert requirement.obligations.count() == 4  # the first batch was written (a job commits per batch)
    assert not AuditEntry.objects.filter(batch_key=key).exists()
    # Some of it lost as well: a re-run with the same key completes it, without duplicates.
    requirement.obligations.filter(pk__in=requirement.obligations.order_by("pk").values("pk")[:2]).delete()
    assert actions.fan_out(requirement, actor=world.office_province, bulk_options={"size": 4, "batch_key": key}) == 12
    assert requirement.obligations.count() == 12 == len(bound_ids(requirement))
    assert set(requirement.obligations.values_list("issue_batch", flat=True)) == {key}
    assert AuditEntry.objects.get(batch_key=key).count == 12
    # Once complete, another run makes nothing and writes no row.
    assert actions.fan_out(requirement, actor=world.office_province) == 0
    assert AuditEntry.objects.filter(action="obligations_issued", object_id=requirement.pk).count() == 1


def test_deadline_move_updates_every_open_obligation_with_one_audit_row(world):
    organs(world, 6)
    requirement, _added, _removed = actions.save_requirement(organ_requirement(world), actor=world.office_province)
    kept = requirement.obligations.get(unit=world.organ)
    kept.status = "accepted"
    kept.save()
    old_due = requirement.due_at
    requirement.deadline_text = "2014年1月25日前"
    actions.save_requirement(requirement, actor=world.office_province)
    moved = AuditEntry.objects.for_object(requirement).get(action="obligations_due_moved")
    assert moved.count == 7 and moved.actor == world.office_province
    assert set(requirement.obligations.exclude(pk=kept.pk).values_list("due_at", flat=True)) == {requirement.due_at}
    assert Obligation.objects.get(pk=kept.pk).due_at == old_due
    assert set(requirement.obligations.exclude(pk=kept.pk).values_list("due_batch", flat=True)) == {moved.batch_key}
    assert not AuditEntry.objects.filter(action="due_moved").exists()


def test_retargeting_removes_only_unbound_pending_obligations_through_not_exists(world):
    organs(world, 3)
    requirement, _added, _removed = actions.save_requirement(organ_requirement(world), actor=world.office_province)
    requirement.target_unit_types = [UnitType.ORGAN]
    requirement.explicit_units.set([world.organ])
    with CaptureQueriesContext(connection) as queries:
        _requirement, added, removed = actions.save_requirement(requirement, actor=world.office_province,
                                                                explicit_units=[world.organ])
    assert (added, removed) == (0, 4)
    assert list(requirement.obligations.values_list("unit_id", flat=True)) == [world.organ.pk]
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "NOT EXISTS" in sql and "NOT IN" not in sql
    # World's own requirement (batch 1) is untouched.
    assert world.requirement.obligations.count() == 3


@pytest.mark.parametrize("extra", [5, 60])
def test_fan_out_and_deadline_move_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries, extra):
    organs(world, extra)
    requirement = organ_requirement(world)
    with django_assert_max_num_queries(19):
        requirement, added, _removed = actions.save_requirement(requirement, actor=world.office_province)
    assert added == extra + 2
    requirement.deadline_text = "2014年1月25日前"
    with django_assert_max_num_queries(30):
        actions.save_requirement(requirement, actor=world.office_province)
    assert requirement.obligations.filter(due_at=requirement.due_at).count() == extra + 2


def test_batches_walk_by_id_and_cover_every_row(world):
    organs(world, 9)
    units = Unit.objects.filter(unit_type=UnitType.ORGAN)
    ends = list(bulk._batch_ends(units, 4))
    assert len(ends) == 3  # 11 organs in batches of 4
    covered = set()
    for after, last in ends:
        covered |= set(units.filter(pk__gt=after, pk__lte=last).values_list("pk", flat=True))
    assert covered == set(units.values_list("pk", flat=True))


def test_over_the_inline_limit_the_page_answers_at_once_and_the_job_writes(office, world, settings):
    from core import jobs
    from core.models import BackgroundJob
    from tests.office.test_fan_out import requirement_post

    settings.BULK_INLINE_LIMIT = 3
    organs(world, 5)
    response = office.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]),
                           requirement_post(world, target_batch="", target_unit_types=["organ"]), follow=True)
    job = BackgroundJob.objects.get(kind=bulk.FAN_OUT_JOB)
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert "正在生成 7 项报送任务" in response.content.decode()
    requirement = Requirement.objects.get(pk=job.params["requirement"])
    assert requirement.issuing and not requirement.obligations.exists()
    assert "生成中" in office.get(requirement.get_absolute_url()).content.decode()
    assert jobs.run(job.pk) is True
    job.refresh_from_db()
    assert (job.state, job.message) == ("done", "已生成 7 项报送任务")
    requirement.refresh_from_db()
    assert not requirement.issuing and requirement.obligations.count() == 7
    issued = AuditEntry.objects.for_object(requirement).get(action="obligations_issued")
    assert issued.count == 7 and issued.actor == world.office_province
    # A deadline move over the limit is a job too.
    response = office.post(reverse("campaign:requirement_edit", args=[requirement.pk]),
                           requirement_post(world, target_batch="", target_unit_types=["organ"], deadline="2014年1月20日前"))
    move = BackgroundJob.objects.get(kind=bulk.MOVE_JOB)
    assert response.status_code == 302 and response["Location"] == move.get_absolute_url()
    assert requirement.obligations.exclude(due_at=requirement.due_at).count() == 0  # nothing moved yet
    jobs.run(move.pk)
    requirement.refresh_from_db()
    assert requirement.obligations.filter(due_at=requirement.due_at).count() == 7
    assert AuditEntry.objects.for_object(requirement).get(action="obligations_due_moved").count == 7
