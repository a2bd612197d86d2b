"""can(user, action, obj) for every role and action (access/rules.py docstring)."""

import pytest

from access.policy import can
from audit.services import record_change


def obj(world, things, name):
    return getattr(world, name) if hasattr(world, name) else getattr(things, name)


ALLOWED = [
    # liaison of the organ
    ("liaison_organ", "view", "organ"),
    ("liaison_organ", "act_for", "organ"),
    ("liaison_organ", "view", "zj_48"),
    ("liaison_organ", "view", "requirement"),
    ("liaison_organ", "view", "obligation_organ"),
    ("liaison_organ", "submit", "obligation_organ"),
    ("liaison_organ", "view", "submission"),
    ("liaison_organ", "download", "file"),
    ("liaison_organ", "view", "review"),
    ("liaison_organ", "view", "feedback"),
    ("liaison_organ", "view", "meeting"),
    ("liaison_organ", "record", "meeting"),
    ("liaison_organ", "view", "plan"),
    ("liaison_organ", "edit", "plan"),
    ("liaison_organ", "edit", "item"),
    ("liaison_organ", "request_close", "item"),
    # supervision group assigned to the organ
    ("group_member", "view", "organ"),
    ("group_member", "supervise", "organ"),
    ("group_member", "view", "obligation_organ"),
    ("group_member", "review", "obligation_organ"),
    ("group_member", "view", "submission"),
    ("group_member", "download", "file"),
    ("group_member", "view", "group"),
    ("group_member", "work", "group"),
    ("group_member", "view", "draft_feedback"),
    ("group_member", "edit", "draft_feedback"),
    ("group_member", "request_sign_off", "draft_feedback"),
    ("group_member", "view", "visit"),
    ("group_member", "edit", "visit"),
    ("group_member", "view", "evaluation"),
    ("group_member", "attend", "meeting"),
    ("group_leader", "work", "group"),
    # provincial office over the whole province
    ("office_province", "view", "organ"),
    ("office_province", "edit", "organ"),
    ("office_province", "move", "xihu"),
    ("office_province", "edit", "zj_48"),
    ("office_province", "add_requirement", "zj_48"),
    ("office_province", "forward", "central_29"),
    ("office_province", "edit", "requirement"),
    ("office_province", "view", "obligation_organ"),
    ("office_province", "remind", "obligation_organ"),
    ("office_province", "download", "file"),
    ("office_province", "manage", "group"),
    ("office_province", "view", "visit"),
    ("office_province", "view", "feedback"),
    ("office_province", "view", "hz_directive"),
    # Hangzhou office over Hangzhou only
    ("office_hangzhou", "view", "xihu"),
    ("office_hangzhou", "edit", "hz_directive"),
    ("office_hangzhou", "edit", "hz_requirement"),
    ("office_hangzhou", "view", "zj_48"),
    # superuser
    ("superuser", "edit", "organ"),
    ("superuser", "submit", "obligation_organ"),
    ("superuser", "view", "visit"),
]

DENIED = [
    # a liaison of another unit
    ("liaison_organ2", "view", "organ"),
    ("liaison_organ2", "view", "obligation_organ"),
    ("liaison_organ2", "submit", "obligation_organ"),
    ("liaison_organ2", "view", "submission"),
    ("liaison_organ2", "download", "file"),
    ("liaison_organ2", "view", "feedback"),
    ("liaison_organ2", "view", "meeting"),
    ("liaison_organ2", "edit", "item"),
    ("liaison_organ2", "view", "hz_directive"),
    # a liaison may not act above their role
    ("liaison_organ", "edit", "organ"),
    ("liaison_organ", "review", "obligation_organ"),
    ("liaison_organ", "view", "draft_feedback"),
    ("liaison_organ", "view", "visit"),
    ("liaison_organ", "approve_close", "item"),
    ("liaison_organ", "edit", "zj_48"),
    ("liaison_organ", "forward", "zj_48"),
    # a member of a group not assigned
    ("other_member", "view", "organ"),
    ("other_member", "view", "obligation_organ"),
    ("other_member", "review", "obligation_organ"),
    ("other_member", "download", "file"),
    ("other_member", "view", "draft_feedback"),
    ("other_member", "view", "visit"),
    ("other_member", "attend", "meeting"),
    ("other_member", "view", "group"),
    # group members: no office work, no signing off as a plain member
    ("group_member", "edit", "organ"),
    ("group_member", "submit", "obligation_organ"),
    ("group_member", "manage", "group"),
    ("group_member", "edit", "plan"),
    # staff of another city's office
    ("office_ningbo", "view", "organ"),
    ("office_ningbo", "view", "xihu"),
    ("office_ningbo", "view", "hz_directive"),
    ("office_ningbo", "edit", "hz_directive"),
    ("office_ningbo", "view", "hz_requirement"),
    ("office_ningbo", "view", "obligation_organ"),
    ("office_ningbo", "download", "file"),
    ("office_ningbo", "view", "group"),
    ("office_ningbo", "view", "feedback"),
    # a city office cannot touch the province
    ("office_hangzhou", "edit", "zj_48"),
    ("office_hangzhou", "edit", "organ"),
    ("office_hangzhou", "move", "ningbo"),
    # offices do not see a group's drafts, and review only what is routed to them
    ("office_province", "view", "draft_feedback"),
    ("office_province", "review", "obligation_organ"),
    ("office_province", "submit", "obligation_organ"),
    # unknown actions are refused
    ("superuser", "teleport", "organ"),
]


@pytest.mark.parametrize(("persona", "action", "target"), ALLOWED)
def test_allowed(world, things, persona, action, target):
    assert can(getattr(world, persona), action, obj(world, things, target))


@pytest.mark.parametrize(("persona", "action", "target"), DENIED)
def test_denied(world, things, persona, action, target):
    assert not can(getattr(world, persona), action, obj(world, things, target))


def test_only_the_leader_signs_off_pending_feedback(world, things):
    from supervision.models import Feedback

    things.draft_feedback.status = Feedback.Status.PENDING
    things.draft_feedback.save()
    assert can(world.group_leader, "sign_off", things.draft_feedback)
    assert not can(world.group_member, "sign_off", things.draft_feedback)
    assert not can(world.other_member, "sign_off", things.draft_feedback)
    # Rule 9: the unit does not see it before sign-off.
    assert not can(world.liaison_organ, "view", things.draft_feedback)


def test_item_close_is_approved_by_the_reviewer_never_by_the_unit(world, things):
    from rectification.models import RectificationItem

    things.item.status = RectificationItem.Status.CLOSE_REQUESTED
    things.item.save()
    assert can(world.group_member, "approve_close", things.item)
    assert can(world.office_province, "approve_close", things.item)
    assert not can(world.liaison_organ, "approve_close", things.item)
    assert not can(world.other_member, "approve_close", things.item)


def test_submit_only_while_open(world):
    from campaign.models import ObligationStatus

    world.obligation_organ.status = ObligationStatus.ACCEPTED
    world.obligation_organ.save()
    assert not can(world.liaison_organ, "submit", world.obligation_organ)


def test_one_person_may_hold_several_roles(world):
    from supervision.models import GroupMember
    from units.models import UnitMembership

    # The organ2 liaison also joins the first group and the Ningbo office.
    GroupMember.objects.create(group=world.group, user=world.liaison_organ2)
    UnitMembership.objects.create(user=world.liaison_organ2, unit=world.ningbo, role=UnitMembership.Role.OFFICE)
    user = type(world.liaison_organ2).objects.get(pk=world.liaison_organ2.pk)
    assert can(user, "submit", world.obligation_organ2)
    assert can(user, "review", world.obligation_organ)
    assert can(user, "edit", world.beilun)
    assert not can(user, "view", world.xihu)


def test_inactive_and_anonymous_users_can_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.liaison_organ.is_active = False
    world.liaison_organ.save()
    assert not can(world.liaison_organ, "view", world.organ)
    assert not can(AnonymousUser(), "view", world.organ)


def test_nobody_edits_or_deletes_audit_entries(world):
    entry = record_change(world.obligation_organ, "submit", actor=world.liaison_organ)
    for persona in ("superuser", "office_province", "liaison_organ"):
        user = getattr(world, persona)
        assert can(user, "view", entry)
        assert not can(user, "edit", entry)
        assert not can(user, "delete", entry)
    assert not can(world.liaison_organ2, "view", entry)
