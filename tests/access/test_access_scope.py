"""Visibility follows guardian's rows, the tree and the assignment dates at once."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import get_perms

from access.grants import sync_everything
from access.models import UnitGroupObjectPermission, UnitUserObjectPermission
from campaign.models import Obligation
from units.models import Unit, UnitMembership
from units.scope import forget_scope, scope_for


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_roles_are_stored_as_guardian_rows_on_anchor_units(world):
    assert "manage_subtree" in get_perms(world.office_province, world.province)
    assert "act_for_unit" in get_perms(world.liaison_organ, world.organ)
    assert "supervise_unit" in get_perms(world.group_member, world.organ)
    assert get_perms(world.other_member, world.organ) == []
    # One row per role, none per obligation or descendant unit.
    assert UnitUserObjectPermission.objects.count() == 6
    assert UnitGroupObjectPermission.objects.count() == 2


def test_removing_a_membership_removes_the_grant_and_the_visibility(world):
    assert Obligation.objects.visible_to(fresh(world.liaison_organ)).filter(pk=world.obligation_organ.pk).exists()
    UnitMembership.objects.filter(user=world.liaison_organ).delete()
    assert not UnitUserObjectPermission.objects.filter(user=world.liaison_organ).exists()
    assert not Obligation.objects.visible_to(fresh(world.liaison_organ)).exists()


def test_moving_a_unit_moves_who_sees_it_at_once(world):
    hangzhou, ningbo = fresh(world.office_hangzhou), fresh(world.office_ningbo)
    assert Unit.objects.visible_to(hangzhou).filter(pk=world.street.pk).exists()
    assert not Unit.objects.visible_to(ningbo).filter(pk=world.street.pk).exists()

    world.xihu.move_to(world.ningbo)

    hangzhou, ningbo = fresh(world.office_hangzhou), fresh(world.office_ningbo)
    assert not Unit.objects.visible_to(hangzhou).filter(pk__in=[world.xihu.pk, world.street.pk]).exists()
    assert set(Unit.objects.visible_to(ningbo).values_list("pk", flat=True)) >= {world.xihu.pk, world.street.pk}
    # The liaison of the moved unit keeps it, and now reads Ningbo's directives instead of Hangzhou's.
    assert Unit.objects.visible_to(fresh(world.liaison_xihu)).filter(pk=world.xihu.pk).exists()


def test_moving_an_office_unit_moves_its_reach(world):
    world.hangzhou.move_to(world.central)
    assert Unit.objects.visible_to(fresh(world.office_hangzhou)).filter(pk=world.xihu.pk).exists()
    assert not Unit.objects.visible_to(fresh(world.office_province)).filter(pk=world.xihu.pk).exists()


def test_ending_an_assignment_ends_the_access_at_once(world):
    member = fresh(world.group_member)
    assert Obligation.objects.visible_to(member).filter(pk=world.obligation_organ.pk).exists()
    world.assignment.ends_on = timezone.localdate() - dt.timedelta(days=1)
    world.assignment.save()
    assert not UnitGroupObjectPermission.objects.filter(content_object=world.organ).exists()
    assert not Obligation.objects.visible_to(fresh(world.group_member)).exists()


def test_an_assignment_that_ends_without_any_signal_stops_counting_on_its_end_date(world):
    from supervision.models import GroupAssignment

    # A bulk update fires no signal: the guardian row stays, the date check still applies.
    GroupAssignment.objects.filter(pk=world.assignment.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert UnitGroupObjectPermission.objects.filter(content_object=world.organ).exists()
    assert not Unit.objects.visible_to(fresh(world.group_member)).exists()


def test_a_future_assignment_counts_from_its_start(world):
    from supervision.models import GroupAssignment

    GroupAssignment.objects.create(
        group=world.other_group, unit=world.hangzhou, starts_on=timezone.localdate() + dt.timedelta(days=3)
    )
    assert not Unit.objects.visible_to(fresh(world.other_member)).filter(pk=world.hangzhou.pk).exists()


def test_subtree_assignment_reaches_the_subtree(world):
    from supervision.models import GroupAssignment

    GroupAssignment.objects.create(group=world.other_group, unit=world.hangzhou, include_subtree=True, starts_on=dt.date(2014, 1, 1))
    visible = set(Unit.objects.visible_to(fresh(world.other_member)).values_list("pk", flat=True))
    assert {world.hangzhou.pk, world.xihu.pk, world.street.pk} <= visible
    assert world.ningbo.pk not in visible


def test_leaving_a_group_ends_the_access(world):
    from supervision.models import GroupMember

    GroupMember.objects.filter(user=world.group_member).delete()
    assert not Unit.objects.visible_to(fresh(world.group_member)).exists()
    assert Unit.objects.visible_to(fresh(world.group_leader)).filter(pk=world.organ.pk).exists()


def test_deactivating_a_group_ends_the_access(world):
    world.group.is_active = False
    world.group.save()
    assert not Unit.objects.visible_to(fresh(world.group_member)).exists()


def test_sync_everything_rebuilds_rows_after_bulk_loads(world):
    UnitUserObjectPermission.objects.all().delete()
    UnitGroupObjectPermission.objects.all().delete()
    sync_everything()
    assert "manage_subtree" in get_perms(world.office_ningbo, world.ningbo)
    assert Unit.objects.visible_to(fresh(world.group_member)).filter(pk=world.organ.pk).exists()


def test_scope_costs_two_queries_once_per_request(world):
    user = fresh(world.group_member)
    with CaptureQueriesContext(connection) as queries:
        scope_for(user)
        scope_for(user)
        list(Obligation.objects.visible_to(user))
    assert len(queries) == 3
    forget_scope(user)
    assert not hasattr(user, "_unit_scope")
