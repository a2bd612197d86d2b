"""Late units and 催办 (issue 13): the overdue list, the rows' liaisons and chase counts, and the
chase itself (campaign.chases). The requirement page shows the same rows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaign import chases
from campaign.current import current_campaign
from campaign.forms_chase import ChaseForm
from campaign.models import Chase, Obligation, Requirement
from campaign.status import overdue_q
from core import clock
from core.redirects import redirect_back, safe_next
from units.models import Unit, UnitMembership


def decorate(obligations):
    """Give each obligation of a page `liaisons` (their users: name and mobile beside a late unit),
    `chase_count` / `last_chased_at` and whether the unit signed for the chases (签收): two queries
    for the page."""
    obligations = list(obligations)
    unit_ids = {o.unit_id for o in obligations}
    liaisons = {}
    for membership in (UnitMembership.objects.filter(unit_id__in=unit_ids, role=UnitMembership.Role.LIAISON,
                                                     user__is_active=True)
                       .select_related("user").order_by("user__full_name", "user_id")):
        liaisons.setdefault(membership.unit_id, []).append(membership.user)
    counts = {row["obligation_id"]: row for row in Chase.objects.filter(obligation_id__in=[o.pk for o in obligations])
              .values("obligation_id").annotate(n=Count("pk"), last=Max("chased_at"), received=Max("received_at"),
                                                unsigned=Count("pk", filter=Q(received_at__isnull=True))).order_by()}
    for obligation in obligations:
        obligation.liaisons = liaisons.get(obligation.unit_id, [])
        row = counts.get(obligation.pk)
        obligation.chase_count = row["n"] if row else 0
        obligation.last_chased_at = row["last"] if row else None
        # 签收: the unit has opened its obligation since the last chase, or not yet.
        obligation.chase_unsigned = bool(row and row["unsigned"])
        obligation.chase_received_at = row["received"] if row else None
    return obligations


def remindable_among(user, obligations):
    """The ids among a page's `obligations` the person may chase (campaign.rules "remind"): one query."""
    return set(Obligation.objects.restrict(user, "remind").filter(pk__in=[o.pk for o in obligations])
               .values_list("pk", flat=True))


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@login_required
def overdue_list(request):
    """Every overdue obligation the person may see in the current campaign, most overdue first,
    narrowed to a unit's subtree (the dashboard's rows link here) or a requirement."""
    now = clock.now()
    campaign = current_campaign(request)
    obligations = Obligation.objects.restrict(request.user).filter(overdue_q(now))
    if campaign is not None:
        obligations = obligations.in_campaign(campaign)
    unit = requirement = None
    unit_id, requirement_id = _positive_int(request.GET.get("unit")), _positive_int(request.GET.get("requirement"))
    if request.GET.get("unit") and unit_id is None or request.GET.get("requirement") and requirement_id is None:
        messages.warning(request, _("筛选条件无效，已显示全部逾期单位。"))
    if unit_id:
        unit = Unit.objects.restrict(request.user).filter(pk=unit_id).first()
        if unit is None:
            messages.warning(request, _("找不到该单位，已显示全部逾期单位。"))
        else:
            obligations = obligations.filter(unit__path__startswith=unit.path)
    if requirement_id:
        requirement = Requirement.objects.restrict(request.user).filter(pk=requirement_id).first()
        if requirement is None:
            messages.warning(request, _("找不到该报送要求，已显示全部逾期单位。"))
        else:
            obligations = obligations.filter(requirement=requirement)
    listed = obligations.with_status(now).select_related("unit", "requirement").order_by("due_at", "unit__path", "pk")
    page = Paginator(listed, 100).get_page(request.GET.get("page"))
    page.object_list = decorate(page.object_list)
    remindable = remindable_among(request.user, page.object_list)
    query = "&".join(f"{name}={value.pk}" for name, value in (("unit", unit), ("requirement", requirement)) if value)
    return render(request, "campaign/overdue_list.html", {
        "page": page, "unit": unit, "requirement": requirement, "remindable": remindable,
        "total": page.paginator.count, "query": query, "campaign": campaign, "form": ChaseForm(),
    })


@login_required
@require_POST
def chase(request):
    """催办 one unit (obligation ids) or every late unit of a requirement or a subtree (all_overdue)
    with an optional note; a unit chased today already asks for a confirmation first."""
    form = ChaseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect_back(request, "campaign:overdue")
    data = form.cleaned_data
    now = clock.now()
    targets = Obligation.objects.restrict(request.user, "remind")
    if data["obligation"]:
        targets = targets.filter(pk__in=data["obligation"])
    else:
        targets = targets.filter(overdue_q(now))
        campaign = current_campaign(request)
        if campaign is not None:
            targets = targets.in_campaign(campaign)
        if data["requirement"]:
            targets = targets.filter(requirement_id=data["requirement"])
        if data["unit"]:
            unit = Unit.objects.restrict(request.user).filter(pk=data["unit"]).first()
            targets = targets.filter(unit__path__startswith=unit.path) if unit else targets.none()
    if not targets.exists():
        messages.warning(request, _("没有可催办的单位：所选单位已报送，或您无权催办。"))
        return redirect_back(request, "campaign:overdue")
    try:
        result = chases.chase(targets, actor=request.user, note=data["note"], confirm=data["confirm"])
    except ValueError as refused:
        messages.error(request, str(refused))
        return redirect_back(request, "campaign:overdue")
    if result.chased:
        messages.success(request, ngettext("已催办 %(count)s 个单位。", "已催办 %(count)s 个单位。", len(result.chased))
                         % {"count": len(result.chased)})
    if result.already_today:
        return render(request, "campaign/chase_confirm.html", {
            "again": decorate(Obligation.objects.filter(pk__in=[o.pk for o in result.already_today])
                              .select_related("unit", "requirement").order_by("unit__path")[:200]),
            "count": len(result.already_today), "note": data["note"], "next": safe_next(request),
        })
    if result.not_open and not result.chased:
        messages.info(request, _("所选单位已报送，无需催办。"))
    return redirect_back(request, "campaign:overdue")
