"""Rule 2: requirements fan out to bound units, later units, targeting edits, refusal to drop work."""

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from campaign.models import Obligation, Requirement, Submission
from tests.conftest import make_unit
from units.models import Level, Unit, UnitType


def requirement_post(world, **overrides):
    data = {
        "title": "初步书面总结", "phase": world.phase_summary.pk, "target_batch": world.batch1.pk,
        "deadline": "2014年1月10日前", "deadline_inclusive": "on", "route": "supervision", "review_required": "on",
        "offsets": "7,3,1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_requirement_fans_out_to_first_batch(office, world):
    response = office.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]), requirement_post(world))
    assert response.status_code == 302
    requirement = Requirement.objects.latest("pk")
    assert set(requirement.obligations.values_list("unit__code", flat=True)) == {"330000", "330000-01", "330000-02"}
    assert timezone.localtime(requirement.due_at).isoformat() == "2014-01-10T23:59:59+08:00"
    # One audit row for the fan-out, on the requirement, with the count; each obligation keeps its
    # batch key, so its own timeline still says who issued it and when.
    issued = AuditEntry.objects.for_object(requirement).get(action="obligations_issued")
    assert issued.count == 3 and issued.actor == world.office_province and issued.batch_key
    assert set(requirement.obligations.values_list("issue_batch", flat=True)) == {issued.batch_key}
    obligation = requirement.obligations.first()
    assert list(AuditEntry.objects.for_object(obligation, obligation.bulk_batch_keys)) == [issued]
    assert not AuditEntry.objects.filter(action="obligation_added").exists()


def test_bad_deadline_is_a_form_error(office, world):
    response = office.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]), requirement_post(world, deadline="下个月吧"))
    assert response.status_code == 200
    assert "无法识别期限" in response.content.decode()


def test_deadline_preview_shows_moment_or_message(office, world):
    url = reverse("campaign:deadline_preview", args=[world.zj_48.pk])
    assert "2014年1月20日" in office.get(url, {"deadline": "1月中旬", "deadline_inclusive": "on"}).content.decode()
    assert "无法识别" in office.get(url, {"deadline": "尽快"}).content.decode()


def test_explicit_unit_outside_subtree_is_refused(client, world):
    client.force_login(world.office_hangzhou)
    directive = world.zj_48
    directive.issuing_unit = world.hangzhou
    directive.save()
    response = client.post(
        reverse("campaign:requirement_create", args=[directive.pk]), requirement_post(world, target_batch="", explicit_codes="330206")
    )
    assert response.status_code == 200
    assert "不在杭州市的范围内" in response.content.decode()


def test_unit_created_later_gets_its_obligation_once_in_the_batch(office, world):
    response = office.post(
        reverse("units:create"),
        {"parent_code": "330000", "code": "330000-03", "name": "省财政厅", "level": Level.PROVINCE,
         "unit_type": UnitType.ORGAN},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="330000-03")
    assert not world.requirement.obligations.filter(unit=unit).exists()  # the requirement targets batch 1
    response = office.post(reverse("campaign:unit_participation", args=[unit.pk]),
                           {"campaign": world.campaign.pk, "batch": world.batch1.pk})
    assert response.status_code == 302
    assert world.requirement.obligations.filter(unit=unit).exists()
    # A unit of the other batch does not match the targeting.
    make_unit(code="330000-04", name="省民政厅", parent=world.province, level=Level.PROVINCE,
                        unit_type=UnitType.ORGAN, batch=world.batch2)
    assert not world.requirement.obligations.filter(unit__code="330000-04").exists()


def test_retargeting_adds_and_removes_without_touching_submissions(office, world):
    Submission.objects.create(obligation=world.obligation_organ, version=1, text="初稿", submitted_by=world.liaison_organ)
    world.obligation_organ.status = "submitted"
    world.obligation_organ.save()
    url = reverse("campaign:requirement_edit", args=[world.requirement.pk])
    # Dropping the organ that already submitted is refused, and nothing changes.
    response = office.post(url, requirement_post(world, target_batch="", explicit_codes="330000-02"))
    assert response.status_code == 200
    assert "省发展改革委" in response.content.decode() and "不能从本要求中移除" in response.content.decode()
    assert world.requirement.obligations.count() == 3
    # Widening to every organ keeps the submitted one and its submission.
    response = office.post(url, requirement_post(world, target_batch="", target_unit_types=["organ"]))
    assert response.status_code == 302
    codes = set(world.requirement.obligations.values_list("unit__code", flat=True))
    assert codes == {"330000-01", "330000-02"}
    assert Obligation.objects.get(pk=world.obligation_organ.pk).submissions.count() == 1
    assert AuditEntry.objects.filter(action="obligation_removed").count() == 1
    # Switching to batch 2 would drop the submitted organ again: refused.
    response = office.post(url, requirement_post(world, target_batch=world.batch2.pk))
    assert response.status_code == 200
    # Adding the Party committees brings in the province, cities and counties.
    response = office.post(url, requirement_post(world, target_batch="", target_unit_types=["organ", "committee"]))
    assert response.status_code == 302
    assert set(world.requirement.obligations.values_list("unit__code", flat=True)) == {
        "330000", "330100", "330200", "330106", "330206", "330000-01", "330000-02"
    }


def test_other_office_cannot_edit(client, world):
    client.force_login(world.office_ningbo)
    assert client.get(reverse("campaign:requirement_edit", args=[world.requirement.pk])).status_code in (403, 404)
    assert client.get(reverse("campaign:requirement_create", args=[world.zj_48.pk])).status_code == 403


def test_a_later_deadline_moves_the_open_obligations_and_is_audited(office, world):
    world.obligation_organ2.status = "accepted"
    world.obligation_organ2.save()
    url = reverse("campaign:requirement_edit", args=[world.requirement.pk])
    response = office.post(url, requirement_post(world, deadline="2014年1月20日前"))
    assert response.status_code == 302
    moved = timezone.localtime(Obligation.objects.get(pk=world.obligation_organ.pk).due_at).isoformat()
    assert moved == "2014-01-20T23:59:59+08:00"
    # An accepted obligation keeps the due moment it was judged against.
    kept = timezone.localtime(Obligation.objects.get(pk=world.obligation_organ2.pk).due_at).isoformat()
    assert kept == "2014-01-10T23:59:59+08:00"
    # One row for the move, with the count; the moved obligation's timeline shows it, the kept one's does not.
    move = AuditEntry.objects.for_object(world.requirement).get(action="obligations_due_moved")
    assert move.count == 2 and move.changes["due_at"]["after"].startswith("2014-01-20")
    organ, organ2 = Obligation.objects.get(pk=world.obligation_organ.pk), Obligation.objects.get(pk=world.obligation_organ2.pk)
    assert AuditEntry.objects.for_object(organ, organ.bulk_batch_keys).filter(action="obligations_due_moved").exists()
    assert not AuditEntry.objects.for_object(organ2, organ2.bulk_batch_keys).filter(action="obligations_due_moved").exists()
