"""Which units take part in a campaign, in which batch (003): the office's page for it, and the
part of a unit's page that shows it (core.panels)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from access.scope import scope_for
from campaign import actions
from campaign.current import current_campaign
from campaign.forms_participation import EnrolForm, MinimumStayWaiverForm, UnitBatchForm
from campaign.gates import minimum_stay
from campaign.models import Obligation, Participation
from units.models import Unit

PAGE_SIZE = 100


def _campaign(request):
    """The current campaign (campaign.current); 404 when the user can see none."""
    campaign = current_campaign(request)
    if campaign is None:
        raise Http404
    return campaign


@login_required
def participants(request):
    """Counts per batch over the office's units, the units taking part, and putting units into a batch."""
    if not scope_for(request.user).is_office:
        raise PermissionDenied
    campaign = _campaign(request)
    form = EnrolForm(request.POST or None, campaign=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = actions.enrol(form.units(), campaign=campaign, batch=form.cleaned_data["batch"],
                                joined_on=form.cleaned_data["joined_on"], actor=request.user)
        messages.success(request, _("已调整 %(count)s 个单位的批次。") % {"count": changed})
        return redirect(request.path)
    taking_part = Participation.objects.restrict(request.user, "edit").in_campaign(campaign)
    by_batch = list(taking_part.order_by().values("batch__ordinal", "batch__name").annotate(units=Count("id"))
                    .order_by("batch__ordinal"))
    batch = request.GET.get("batch", "")
    batches = {str(pk) for pk in campaign.batches.values_list("pk", flat=True)}
    listed = taking_part.filter(batch_id=int(batch)) if batch in batches else taking_part
    page = Paginator(listed.select_related("unit", "batch").order_by("unit__path"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaign/participants.html", {
        "campaign": campaign, "form": form,
        "by_batch": by_batch, "page": page, "batch": batch, "query": query.urlencode(),
    }, status=400 if form.is_bound else 200)


def unit_panel(request, unit):
    """A unit's page: the campaigns it takes part in, with its batch, and its obligations."""
    participations = list(
        Participation.objects.restrict(request.user).filter(unit=unit).select_related("campaign", "batch")
        .order_by("-campaign__starts_on")
    )
    return {
        "participations": participations,
        "obligation_count": Obligation.objects.restrict(request.user).in_campaign(current_campaign(request)).filter(unit=unit).count(),
        "may_manage": can(request.user, "manage", unit),
        "unit": unit,
    }


@login_required
def unit_participation(request, unit_id):
    """Put one unit into a batch of a campaign (from the unit's page)."""
    unit = get_object_or_404(Unit.objects.restrict(request.user), pk=unit_id)
    if not can(request.user, "manage", unit):
        raise PermissionDenied
    campaign = _campaign(request)
    current = Participation.objects.in_campaign(campaign).filter(unit=unit).first()
    form = UnitBatchForm(request.POST or None, campaign=campaign, user=request.user, initial={
        "batch": current.batch_id if current else "", "joined_on": current.joined_on if current else None,
    })
    if request.method == "POST" and form.is_valid():
        actions.enrol([unit], campaign=campaign, batch=form.cleaned_data["batch"],
                      joined_on=form.cleaned_data["joined_on"], actor=request.user)
        messages.success(request, _("已调整批次。"))
        return redirect(unit)
    return _participation_page(request, unit, campaign, current, form=form)


def _participation_page(request, unit, campaign, current, *, form=None, waiver_form=None):
    """A unit's batch in a campaign, its minimum stay (rule 8) and any exception granted to it."""
    if form is None:
        form = UnitBatchForm(campaign=campaign, user=request.user, initial={
            "batch": current.batch_id if current else "", "joined_on": current.joined_on if current else None,
        })
    stay = minimum_stay(unit, campaign) if current else None
    may_waive = stay is not None and not stay.waived and can(request.user, "waive", current)
    bound = form.is_bound or (waiver_form is not None and waiver_form.is_bound)
    return render(request, "campaign/unit_participation.html", {
        "unit": unit, "campaign": campaign, "form": form, "participation": current, "stay": stay,
        "waiver_form": (waiver_form or MinimumStayWaiverForm()) if may_waive else None,
    }, status=400 if bound else 200)


@login_required
@require_POST
def unit_minimum_stay_waiver(request, unit_id):
    """The office over a unit lets it sum up before its batch's minimum months, with a reason (rule 8)."""
    unit = get_object_or_404(Unit.objects.restrict(request.user), pk=unit_id)
    campaign = _campaign(request)
    current = get_object_or_404(Participation.objects.restrict(request.user), campaign=campaign, unit=unit)
    if not can(request.user, "waive", current):
        raise PermissionDenied
    waiver_form = MinimumStayWaiverForm(request.POST)
    if waiver_form.is_valid():
        actions.waive_minimum_stay(current, reason=waiver_form.cleaned_data["reason"], actor=request.user)
        messages.success(request, _("已准予本单位不足最少月数的例外。"))
        return redirect(reverse("campaign:unit_participation", kwargs={"unit_id": unit.pk}))
    return _participation_page(request, unit, campaign, current, waiver_form=waiver_form)
