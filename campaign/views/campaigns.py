"""Setting up a campaign in the browser (offices): create it from a template, edit its dates,
batches and phases, launch it; and the top bar's switcher of the current campaign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.policy import can
from access.scope import scope_for
from audit.services import snapshot
from campaign import actions
from campaign.current import choose, current_campaign, visible_campaigns
from campaign.forms_setup import BatchForm, CampaignCreateForm, CampaignForm, PhaseForm, campaign_offices
from campaign.models import Batch, Campaign, Phase


def _visible(request, campaign_id):
    return get_object_or_404(Campaign.objects.restrict(request.user).select_related("office"), pk=campaign_id)


def _editable(request, campaign_id):
    campaign = _visible(request, campaign_id)
    if not can(request.user, "edit", campaign):
        raise PermissionDenied
    return campaign


@login_required
def campaign_list(request):
    if not scope_for(request.user).is_office:
        raise PermissionDenied
    campaigns = (
        Campaign.objects.restrict(request.user).select_related("office")
        .annotate(batch_count=Count("batches", distinct=True), phase_count=Count("phases", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    editable = set(Campaign.objects.restrict(request.user, "edit").values_list("pk", flat=True))
    return render(request, "campaign/setup/campaign_list.html", {
        "campaigns": campaigns, "editable": editable, "can_create": campaign_offices(request.user).exists(),
        "current": current_campaign(request),
    })


@login_required
def campaign_create(request):
    offices = campaign_offices(request.user)
    if not offices.exists():
        raise PermissionDenied
    form = CampaignCreateForm(request.POST or None, user=request.user, earlier=visible_campaigns(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = actions.create_campaign(
            data["name"], data["short_name"], data["starts_on"], data["ends_on"], data["template"],
            actor=request.user, office=data["office"], description=data["description"],
        )
        choose(request, campaign)
        messages.success(request, _("已新建活动“%(name)s”（筹备中）。请核对批次和环节，然后启动。") % {"name": campaign.name})
        return redirect(campaign)
    return render(request, "campaign/setup/campaign_form.html", {"form": form, "title": _("新建活动")},
                  status=400 if form.is_bound else 200)


@login_required
def campaign_detail(request, campaign_id):
    campaign = _visible(request, campaign_id)
    may_edit = can(request.user, "edit", campaign)
    batches = campaign.batches.annotate(
        units=Count("participations", distinct=True), requirement_count=Count("requirements", distinct=True)
    ).order_by("ordinal")
    phases = campaign.phases.annotate(
        requirement_count=Count("requirement", distinct=True), progress_count=Count("unit_progress", distinct=True)
    ).order_by("ordinal")
    return render(request, "campaign/setup/campaign_detail.html", {
        "campaign": campaign, "batches": batches, "phases": list(phases), "may_edit": may_edit,
        "is_current": current_campaign(request) == campaign,
    })


@login_required
def campaign_edit(request, campaign_id):
    campaign = _editable(request, campaign_id)
    before = snapshot(campaign, actions.CAMPAIGN_FIELDS)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        actions.edit_campaign(form.instance, before, actor=request.user)
        messages.success(request, _("活动已保存。"))
        return redirect(campaign)
    return render(request, "campaign/setup/campaign_form.html", {"form": form, "campaign": campaign, "title": _("编辑活动")},
                  status=400 if form.is_bound else 200)


@login_required
@require_POST
def campaign_launch(request, campaign_id):
    campaign = _editable(request, campaign_id)
    if not campaign.is_draft:
        messages.info(request, _("该活动已在进行中。"))
        return redirect(campaign)
    campaign = actions.launch_campaign(campaign, actor=request.user)
    choose(request, campaign)
    messages.success(request, _("活动“%(name)s”已启动，各单位现在可以看到它。") % {"name": campaign.name})
    return redirect(campaign)


PARTS = {
    "batch": (Batch, BatchForm, gettext_lazy("批次")),
    "phase": (Phase, PhaseForm, gettext_lazy("环节")),
}


def _editable_part(request, kind, part_id):
    """A batch or phase of a campaign the user may change (404 when not seen, 403 when not changeable)."""
    model = PARTS[kind][0]
    part = get_object_or_404(model.objects.restrict(request.user).select_related("campaign"), pk=part_id)
    if not can(request.user, "edit", part.campaign):
        raise PermissionDenied
    return part


def _part_form(request, campaign, kind, part=None):
    model, form_class, noun = PARTS[kind]
    form = form_class(request.POST or None, instance=part, campaign=campaign)
    if kind == "phase" and part is not None and part.in_use():
        # Gates find the self-examination phase by its code (campaign.gates): it stays once used.
        form.fields["code"].disabled = True
        form.fields["code"].help_text = _("已有报送要求或进度使用此环节，代码不能再修改。")
    if request.method == "POST" and form.is_valid():
        actions.save_part(form.instance, actor=request.user)
        messages.success(request, _("%(noun)s已保存：%(name)s") % {"noun": noun, "name": form.instance.name})
        return redirect(campaign)
    title = (_("编辑%(noun)s") if part else _("添加%(noun)s")) % {"noun": noun}
    return render(request, "campaign/setup/part_form.html", {"form": form, "campaign": campaign, "title": title},
                  status=400 if form.is_bound else 200)


def _remove(request, part):
    try:
        actions.remove_part(part, actor=request.user)
    except actions.InUse:
        messages.error(request, _("“%(name)s”已被使用（有参加单位、报送要求或进度记录），不能删除。") % {"name": part.name})
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": part.name})
    return redirect(part.campaign)


@login_required
def part_create(request, campaign_id, kind):
    return _part_form(request, _editable(request, campaign_id), kind)


@login_required
def batch_edit(request, batch_id):
    batch = _editable_part(request, "batch", batch_id)
    return _part_form(request, batch.campaign, "batch", batch)


@login_required
def phase_edit(request, phase_id):
    phase = _editable_part(request, "phase", phase_id)
    return _part_form(request, phase.campaign, "phase", phase)


@login_required
@require_POST
def batch_delete(request, batch_id):
    return _remove(request, _editable_part(request, "batch", batch_id))


@login_required
@require_POST
def phase_delete(request, phase_id):
    return _remove(request, _editable_part(request, "phase", phase_id))


@login_required
@require_POST
def phase_move(request, phase_id):
    phase = _editable_part(request, "phase", phase_id)
    actions.move_phase(phase, -1 if request.POST.get("direction") == "up" else 1, actor=request.user)
    return redirect(phase.campaign)


@login_required
@require_POST
def campaign_switch(request):
    """The top bar's switcher: the chosen campaign becomes the current one; back to the page."""
    wanted = request.POST.get("campaign", "")
    chosen = next((c for c in visible_campaigns(request) if str(c.pk) == wanted), None)
    if chosen is None:
        messages.error(request, _("未找到该活动。"))
    else:
        choose(request, chosen)
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                                          require_https=request.is_secure()):
        target = reverse("home")
    return HttpResponseRedirect(target)
