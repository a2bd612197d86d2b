"""Office pages for supervision groups: list with load, group page, create, members, assignments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from audit.models import AuditEntry
from audit.templatetags.audit_tags import TIMELINE_LIMIT
from campaign.current import current_campaign
from campaign.models import Obligation, ObligationStatus
from core import clock, paging, panels, personal_cache
from core.people import person_name
from supervision import actions
from supervision.forms_manage import AssignmentForm, GroupForm, MemberForm
from supervision.models import GroupAssignment, SupervisionGroup
from units.models import Unit, in_subtree

# Other periods' assignments shown on a group's page (the latest; the rest are in the admin).
PAST_PREVIEW = 20


def _count_of(queryset):
    """A correlated COUNT(*) subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _load():
    """Per current assignment: the units it covers and the submissions in them awaiting review. A
    subtree is counted only for an assignment that includes it, as an indexed range on the path
    (units.models.in_subtree), never a scan of every unit per assignment."""
    root = OuterRef("unit__path")
    waiting = Obligation.objects.filter(status=ObligationStatus.SUBMITTED)
    return {
        "covered_units": Case(
            When(include_subtree=True, then=_count_of(Unit.objects.subtree(root).filter(is_active=True))),
            default=Value(1),
        ),
        "waiting": Case(
            When(include_subtree=True, then=_count_of(waiting.filter(in_subtree(root, "unit__")))),
            default=_count_of(waiting.filter(unit=OuterRef("unit"))),
        ),
    }


def assignments_with_load(assignments):
    """`assignments` (one page of them, chosen without the counts), each with the units it covers
    and the submissions waiting."""
    return assignments.select_related("unit", "group").annotate(**_load())


def group_load(groups):
    """{group pk: {"units": n, "waiting": n, "assignments": n}} over the groups' current
    assignments, whatever their number, in two grouped queries: the assignments of a unit alone
    as one join with the units' obligations; those with a subtree (few) with their subtree counts.
    (One query with both would make PostgreSQL cost the subtree counts for every assignment and
    compile it to machine code: a second of JIT for a group assigned unit by unit.)"""
    load = {group.pk: {"units": 0, "waiting": 0, "assignments": 0} for group in groups}
    current = GroupAssignment.objects.current(clock.today()).filter(group__in=groups)
    alone = current.filter(include_subtree=False).values("group").annotate(
        assignments=Count("pk", distinct=True), units=Count("pk", distinct=True),
        waiting_total=Count("unit__obligations", filter=Q(unit__obligations__status=ObligationStatus.SUBMITTED)),
    )
    with_subtree = current.filter(include_subtree=True).annotate(**_load()).values("group").annotate(
        assignments=Count("pk"), units=Sum("covered_units"), waiting_total=Sum("waiting"),
    )
    for rows in (alone.order_by(), with_subtree.order_by()):
        for row in rows:
            entry = load[row["group"]]
            entry["units"] += row["units"]
            entry["waiting"] += row["waiting_total"]
            entry["assignments"] += row["assignments"]
    return load


def kept_group_load(user, groups):
    """group_load for a page, kept for the person a short while (core.personal_cache): counting the
    reports waiting in a group's units joins every assignment with its units' obligations (2,875
    units one by one: 35 ms on each view of the group list and of the group's page)."""
    ids = sorted(group.pk for group in groups)
    return personal_cache.remember(user, f"group-load:{','.join(map(str, ids))}", lambda: group_load(groups))


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
    load = kept_group_load(request.user, groups)
    return render(request, "supervision/manage/group_list.html", {"rows": [(g, load[g.pk]) for g in groups]})


@login_required
def group_detail(request, group_id):
    group = get_object_or_404(_groups(request.user), pk=group_id)
    if not (can(request.user, "manage", group.office) or group.members.filter(user=request.user).exists()):
        raise PermissionDenied
    current = GroupAssignment.objects.current(clock.today()).filter(group=group)
    # A group assigned unit by unit may hold thousands: one page of them, with their load.
    assignments = Paginator(current.order_by("unit__path", "pk").values_list("pk", flat=True), paging.PER_PAGE).get_page(
        request.GET.get("page"))
    loaded = {a.pk: a for a in assignments_with_load(GroupAssignment.objects.filter(pk__in=list(assignments)))}
    assignments.object_list = [loaded[pk] for pk in assignments]
    past = group.assignments.exclude(pk__in=current.values("pk")).select_related("unit").order_by("-starts_on", "pk")
    timeline = paging.window(AuditEntry.objects.for_object(group), expanded=request.GET.get("timeline") == "all",
                             page=request.GET.get("timeline_page"), size=TIMELINE_LIMIT)
    return render(
        request,
        "supervision/manage/group_detail.html",
        {
            "group": group,
            "members": group.members.select_related("user").order_by("-is_leader", "user__username"),
            "load": kept_group_load(request.user, [group])[group.pk],
            "assignments": assignments,
            "past": paging.window(past, size=PAST_PREVIEW),
            "timeline": timeline,
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
