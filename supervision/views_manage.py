"""Office pages for supervision groups: list with load, group page, create, members, assignments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from campaign.current import current_campaign
from campaign.models import Obligation, ObligationStatus
from core import clock, panels
from core.people import person_name
from supervision import actions
from supervision.forms_manage import AssignmentForm, GroupForm, MemberForm
from supervision.models import GroupAssignment, SupervisionGroup
from units.models import Unit


def _count_of(queryset):
    """A correlated COUNT(*) subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def assignments_with_load(groups):
    """Current assignments of `groups`, each with how many units it covers and how many
    submissions in them await review: one query."""
    today = clock.today()
    return (
        GroupAssignment.objects.current(today)
        .filter(group__in=groups)
        .select_related("unit", "group")
        .annotate(
            subtree_units=_count_of(Unit.objects.filter(path__startswith=OuterRef("unit__path"), is_active=True)),
            subtree_waiting=_count_of(
                Obligation.objects.filter(unit__path__startswith=OuterRef("unit__path"), status=ObligationStatus.SUBMITTED)
            ),
            own_waiting=_count_of(Obligation.objects.filter(unit=OuterRef("unit"), status=ObligationStatus.SUBMITTED)),
        )
        .order_by("unit__path")
    )


def group_load(groups):
    """{group pk: {"units": n, "waiting": n, "assignments": [...]}} (the group's load)."""
    load = {group.pk: {"units": 0, "waiting": 0, "assignments": []} for group in groups}
    for assignment in assignments_with_load(groups):
        entry = load[assignment.group_id]
        entry["units"] += assignment.subtree_units if assignment.include_subtree else 1
        entry["waiting"] += assignment.subtree_waiting if assignment.include_subtree else assignment.own_waiting
        entry["assignments"].append(assignment)
    return load


def _groups(user):
    return SupervisionGroup.objects.restrict(user).select_related("office", "campaign")


def _managed_group(request, group_id):
    group = get_object_or_404(_groups(request.user), pk=group_id)
    if not can(request.user, "manage", group.office):
        raise PermissionDenied
    return group


@login_required
def group_list(request):
    groups = list(_groups(request.user).in_campaign(current_campaign(request)).annotate(member_count=Count("members"))
                  .order_by("office__path", "name"))
    load = group_load(groups)
    return render(request, "supervision/manage/group_list.html", {"rows": [(g, load[g.pk]) for g in groups]})


@login_required
def group_detail(request, group_id):
    group = get_object_or_404(_groups(request.user), pk=group_id)
    if not (can(request.user, "manage", group.office) or group.members.filter(user=request.user).exists()):
        raise PermissionDenied
    load = group_load([group])[group.pk]
    return render(
        request,
        "supervision/manage/group_detail.html",
        {
            "group": group,
            "members": group.members.select_related("user").order_by("-is_leader", "user__username"),
            "load": load,
            "past": group.assignments.exclude(pk__in=[a.pk for a in load["assignments"]]).select_related("unit"),
            "can_manage": can(request.user, "manage", group.office),
            "member_form": MemberForm(),
            "assign_form": AssignmentForm(user=request.user, group=group, initial={"starts_on": clock.today()}),
            # What the apps above offer on a group's page (personnel: a new member's account).
            "panels": panels.fill("group_detail", request, group=group),
        },
    )


@login_required
def group_create(request):
    form = GroupForm(request.POST or None, user=request.user, initial={"campaign": current_campaign(request)})
    if not form.fields["office"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        if not can(request.user, "manage", form.cleaned_data["office"]):
            raise PermissionDenied
        return redirect(actions.create_group(form.instance, actor=request.user))
    return render(request, "supervision/manage/form.html", {"form": form, "title": _("新建督导组")})


@login_required
@require_POST
def group_member_add(request, group_id):
    """Add a member (or make an existing member the leader: one leader per group, 001)."""
    group = _managed_group(request, group_id)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(group)
    user = form.cleaned_data["username"]
    actions.set_member(group, user, is_leader=form.cleaned_data["is_leader"], actor=request.user)
    messages.success(request, _("已更新成员：%(name)s") % {"name": person_name(user)})
    return redirect(group)


@login_required
@require_POST
def group_member_remove(request, group_id):
    group = _managed_group(request, group_id)
    member = get_object_or_404(group.members, pk=request.POST.get("member", "0") if request.POST.get("member", "").isdecimal() else 0)
    actions.remove_member(group, member, actor=request.user)
    return redirect(group)


@login_required
def group_assign(request, group_id):
    group = _managed_group(request, group_id)
    form = AssignmentForm(request.POST or None, user=request.user, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = actions.assign(form.instance, actor=request.user)
        except IntegrityError:
            form.add_error(None, _("分工保存失败，请检查日期。"))
        else:
            messages.success(request, _("已分配：%(unit)s") % {"unit": assignment.unit.name})
            return redirect(group)
    return render(request, "supervision/manage/form.html", {"form": form, "group": group, "title": _("分配督导单位")})
