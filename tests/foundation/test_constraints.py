import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaign.actions import fan_out
from campaign.models import Directive, Obligation, Review
from supervision.models import GroupMember


def test_document_number_is_unique_per_agency_year_and_serial(world):
    duplicate = Directive(
        campaign=world.campaign, issuing_unit=world.province, issuer_name="x", title="重复", signed_on=dt.date(2013, 12, 25)
    )
    duplicate.set_number("浙群组发[2013]48号")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "该发文字号已被登记" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_same_serial_in_another_year_or_agency_is_a_different_directive(world):
    for number in ["浙群组发〔2014〕48号", "冀群组发〔2013〕48号"]:
        other = Directive(
            campaign=world.campaign, issuing_unit=world.province, issuer_name="x", title=number, signed_on=dt.date(2014, 1, 2)
        )
        other.set_number(number)
        other.full_clean()
        other.save()
    assert Directive.objects.filter(serial=48).count() == 3


def test_directives_without_a_number_do_not_collide(world):
    for title in ["指导意见", "另一份无文号文件"]:
        Directive.objects.create(
            campaign=world.campaign, issuing_unit=world.central, issuer_name="中共中央办公厅", title=title, signed_on=dt.date(2014, 1, 23)
        )
    assert Directive.objects.filter(number="").count() == 2


def test_printed_date_never_before_signed_date(world):
    world.zj_48.printed_on = dt.date(2013, 12, 23)
    with pytest.raises(ValidationError) as excinfo:
        world.zj_48.full_clean()
    assert "印发日期不能早于成文日期" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        world.zj_48.save()


def test_one_obligation_per_unit_per_requirement(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.create(requirement=world.requirement, unit=world.organ, due_at=world.requirement.due_at)
    # Fanning out again creates nothing new.
    assert fan_out(world.requirement, actor=None) == 0


def test_a_group_has_one_leader(world):
    with pytest.raises(ValidationError) as excinfo:
        GroupMember(group=world.group, user=world.other_member, is_leader=True).validate_constraints()
    assert "只能有一名组长" in str(excinfo.value)


def test_a_return_needs_a_reason(world):
    from campaign.models import Submission

    submission = Submission.objects.create(obligation=world.obligation_organ, version=1, submitted_by=world.liaison_organ)
    review = Review(obligation=world.obligation_organ, submission=submission, reviewer=world.group_leader, decision="return", reason="")
    with pytest.raises(ValidationError) as excinfo:
        review.validate_constraints()
    assert "退回时必须说明理由" in str(excinfo.value)


def test_requirement_due_moment_is_resolved_in_shanghai(world):
    assert world.requirement.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat() == "2014-01-10T23:59:59+08:00"
    assert world.requirement.due_precision == "day"
