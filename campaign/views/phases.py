"""A unit's phases (环节) as a timeline, entered and finished by the unit or its office
(campaign.phases: the guards of 003's staggered start and rule 8), and the office's list of the
units in one state of one phase (from the dashboard's phase panel), paginated."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.transitions import TransitionRefused
from access.views import refused
from campaign import actions, phases
from campaign.current import current_campaign
from campaign.forms_phases import PhaseMoveForm
from campaign.models import Phase, UnitPhaseProgress
from campaign.views.dashboard import _unit_and_neighbours
from units.models import Unit

PAGE_SIZE = 50


def render_timeline(request, unit, status=200, form_for=None, form=None):
    """The unit's timeline; `form` (a bound form with errors) is shown on the step of `form_for`."""
    campaign = current_campaign(request)
    steps = phases.timeline(unit, campaign, request.user)
    for step in steps:
        step.form = form if form_for == step.phase.pk else PhaseMoveForm(prefix=f"phase-{step.phase.pk}")
    return render(request, "campaign/work/unit_phases.html",
                  {"unit": unit, "campaign": campaign, "steps": steps}, status=status)


def visible_unit(user, unit_id):
    return get_object_or_404(Unit.objects.restrict(user), pk=unit_id)


@login_required
@require_GET
def unit_phases(request, unit_id):
    return render_timeline(request, visible_unit(request.user, unit_id))


@login_required
@require_POST
def phase_enter(request, unit_id, phase_id):
    unit = visible_unit(request.user, unit_id)
    phase = get_object_or_404(Phase.objects.restrict(request.user), pk=phase_id, campaign=current_campaign(request))
    try:
        phases.MACHINE.check_start(unit, "enter_phase", request.user)
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_timeline(request, unit))
    form = PhaseMoveForm(request.POST, prefix=f"phase-{phase.pk}")
    if not form.is_valid():
        return render_timeline(request, unit, status=400, form_for=phase.pk, form=form)
    try:
        actions.enter_phase(unit, phase, form.cleaned_data["on"], actor=request.user, note=form.cleaned_data["note"])
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_timeline(request, unit, form_for=phase.pk, form=form))
    messages.success(request, _("已记录进入“%(phase)s”环节。") % {"phase": phase.name})
    return redirect("campaign:unit_phases", unit_id=unit.pk)


@login_required
@require_POST
def phase_finish(request, progress_id):
    progress = get_object_or_404(
        UnitPhaseProgress.objects.restrict(request.user).select_related("unit", "phase__campaign"), pk=progress_id)
    unit = progress.unit
    try:
        phases.MACHINE.check(progress, "finish_phase", request.user, guards=False)
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_timeline(request, unit))
    form = PhaseMoveForm(request.POST, prefix=f"phase-{progress.phase_id}")
    if not form.is_valid():
        return render_timeline(request, unit, status=400, form_for=progress.phase_id, form=form)
    try:
        actions.finish_phase(progress, form.cleaned_data["on"], actor=request.user, note=form.cleaned_data["note"])
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_timeline(request, unit, form_for=progress.phase_id, form=form))
    messages.success(request, _("已记录完成“%(phase)s”环节。") % {"phase": progress.phase.name})
    return redirect("campaign:unit_phases", unit_id=unit.pk)


@login_required
@require_GET
def phase_units(request, phase_id):
    """The units under the dashboard's unit (?unit=, default the user's office) in one state
    (?state=not_started|started|finished) of one phase, 50 a page."""
    unit, _children, breadcrumb = _unit_and_neighbours(request)
    phase = get_object_or_404(Phase.objects.restrict(request.user).select_related("campaign"), pk=phase_id)
    state = request.GET.get("state", phases.NOT_STARTED)
    if state not in phases.STATES:
        raise Http404
    listed = phases.units_in_state(unit, phase, state)
    if state != phases.NOT_STARTED:
        listed = listed.annotate(started_on=F("phase_progress__started_on"), finished_on=F("phase_progress__finished_on"))
    page = Paginator(listed.only("pk", "name", "path"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaign/phase_units.html", {
        "unit": unit, "breadcrumb": breadcrumb, "phase": phase, "state": state, "state_label": phases.STATES[state],
        "states": phases.STATES.items(), "page": page, "query": query.urlencode(),
    })
