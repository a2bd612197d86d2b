"""Visibility follows the role tables, the tree and the assignment dates at once, whatever
wrote the rows (a page, the admin, bulk_create, raw SQL)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import get_perms

from access.scope import forget_scope, scope_for
from campaign.models import Obligation
from units.models import Unit, UnitMembership, UnitPermission


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_guardian_reads_the_memberships_themselves(world):
    """django-guardian's rows for units are a view of UnitMembership: one per membership, the
    role as the permission, on the anchor unit only (none per obligation or descendant)."""
    assert "manage_subtree" in get_perms(world.office_province, world.province)
    assert "act_for_unit" in get_perms(world.liaison_organ, world.organ)
    assert get_perms(world.office_province, world.hangzhou) == []
    assert get_perms(world.other_member, world.organ) == []
    assert UnitPermission.objects.count() == UnitMembership.objects.count() == 6


def test_bulk_created_memberships_grant_access_at_once(world):
    """No signal, no sync: a bulk_create (or loaddata, raw SQL, an import) is the access."""
    newcomer = type(world.liaison_organ).objects.create_user("liaison_new")
    office = type(world.liaison_organ).objects.create_user("office_new")
    UnitMembership.objects.bulk_create([
        UnitMembership(user=newcomer, unit=world.organ2, role=UnitMembership.Role.LIAISON),
        UnitMembership(user=office, unit=world.ningbo, role=UnitMembership.Role.OFFICE),
    ])
    assert list(Obligation.objects.restrict(newcomer).values_list("pk", flat=True)) == [world.obligation_organ2.pk]
    assert Unit.objects.restrict(office, "edit").filter(pk=world.beilun.pk).exists()
    assert "act_for_unit" in get_perms(newcomer, world.organ2)
    assert "manage_subtree" in get_perms(office, world.ningbo)
    # And a bulk delete takes it away just as fast, for the scope and for guardian alike.
    UnitMembership.objects.filter(user__in=[newcomer, office]).delete()
    assert not Obligation.objects.restrict(fresh(newcomer)).exists()
    assert get_perms(fresh(newcomer), world.organ2) == []


def test_bulk_created_group_members_and_assignments_count_at_once(world):
    from supervision.models import GroupAssignment, GroupMember

    newcomer = type(world.liaison_organ).objects.create_user("sup_new")
    GroupMember.objects.bulk_create([GroupMember(group=world.other_group, user=newcomer)])
    GroupAssignment.objects.bulk_create([GroupAssignment(group=world.other_group, unit=world.organ, starts_on=dt.date(2013, 6, 1))])
    assert Obligation.objects.restrict(newcomer, "review").filter(pk=world.obligation_organ.pk).exists()


def test_removing_a_membership_removes_the_visibility(world):
    assert Obligation.objects.restrict(fresh(world.liaison_organ)).filter(pk=world.obligation_organ.pk).exists()
    UnitMembership.objects.filter(user=world.liaison_organ).delete()
    assert not UnitPermission.objects.filter(user=world.liaison_organ).exists()
    assert not Obligation.objects.restrict(fresh(world.liaison_organ)).exists()


def test_moving_a_unit_moves_who_sees_it_at_once(world):
    hangzhou, ningbo = fresh(world.office_hangzhou), fresh(world.office_ningbo)
    assert Unit.objects.restrict(hangzhou).filter(pk=world.street.pk).exists()
    assert not Unit.objects.restrict(ningbo).filter(pk=world.street.pk).exists()

    world.xihu.move_to(world.ningbo)

    hangzhou, ningbo = fresh(world.office_hangzhou), fresh(world.office_ningbo)
    assert not Unit.objects.restrict(hangzhou).filter(pk__in=[world.xihu.pk, world.street.pk]).exists()
    assert set(Unit.objects.restrict(ningbo).values_list("pk", flat=True)) >= {world.xihu.pk, world.street.pk}
    # The liaison of the moved unit keeps it, and now reads Ningbo's directives instead of Hangzhou's.
    assert Unit.objects.restrict(fresh(world.liaison_xihu)).filter(pk=world.xihu.pk).exists()


def test_moving_an_office_unit_moves_its_reach(world):
    # A city stands under a province (units.models.place_in_tree_error): another province here.
    other_province = Unit.objects.create(code="340000", name="安徽省", parent=world.central, level="province", unit_type="committee")
    world.hangzhou.move_to(other_province)
    assert Unit.objects.restrict(fresh(world.office_hangzhou)).filter(pk=world.xihu.pk).exists()
    assert not Unit.objects.restrict(fresh(world.office_province)).filter(pk=world.xihu.pk).exists()


def test_ending_an_assignment_ends_the_access_at_once(world):
    member = fresh(world.group_member)
    assert Obligation.objects.restrict(member).filter(pk=world.obligation_organ.pk).exists()
    world.assignment.ends_on = timezone.localdate() - dt.timedelta(days=1)
    world.assignment.save()
    assert not Obligation.objects.restrict(fresh(world.group_member)).exists()


def test_an_assignment_that_ends_without_any_signal_stops_counting_on_its_end_date(world):
    from supervision.models import GroupAssignment

    # A bulk update fires no signal: the dates are read with the assignment, every time.
    GroupAssignment.objects.filter(pk=world.assignment.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert not Unit.objects.restrict(fresh(world.group_member)).exists()


def test_a_future_assignment_counts_from_its_start(world):
    from supervision.models import GroupAssignment

    GroupAssignment.objects.create(
        group=world.other_group, unit=world.hangzhou, starts_on=timezone.localdate() + dt.timedelta(days=3)
    )
    assert not Unit.objects.restrict(fresh(world.other_member)).filter(pk=world.hangzhou.pk).exists()


def test_subtree_assignment_reaches_the_subtree(world):
    from supervision.models import GroupAssignment

    GroupAssignment.objects.create(group=world.other_group, unit=world.hangzhou, include_subtree=True, starts_on=dt.date(2014, 1, 1))
    visible = set(Unit.objects.restrict(fresh(world.other_member)).values_list("pk", flat=True))
    assert {world.hangzhou.pk, world.xihu.pk, world.street.pk} <= visible
    assert world.ningbo.pk not in visible


def test_leaving_a_group_ends_the_access(world):
    from supervision.models import GroupMember

    GroupMember.objects.filter(user=world.group_member).delete()
    assert not Unit.objects.restrict(fresh(world.group_member)).exists()
    assert Unit.objects.restrict(fresh(world.group_leader)).filter(pk=world.organ.pk).exists()


def test_deactivating_a_group_ends_the_access(world):
    world.group.is_active = False
    world.group.save()
    assert not Unit.objects.restrict(fresh(world.group_member)).exists()


def test_scope_costs_three_queries_once_per_request(world):
    """Memberships, group memberships, current assignments; then cached on the user object."""
    user = fresh(world.group_member)
    with CaptureQueriesContext(connection) as queries:
        scope_for(user)
        scope_for(user)
        list(Obligation.objects.restrict(user))
    assert len(queries) == 4
    forget_scope(user)
    assert not hasattr(user, "_access_scope")
