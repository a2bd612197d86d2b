"""The directive registry: list, page, create, edit, forward (DESIGN rule 1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from access.policy import can
from audit.services import snapshot
from campaign import actions, dashboard
from campaign.current import current_campaign
from campaign.forms import DirectiveFilterForm, DirectiveForm, forward_initial, office_units
from campaign.forms_work import DirectiveAttachmentForm
from campaign.models import Directive, RequirementDraft

PAGE_SIZE = 50


def forwarding_chain_down(directive, user):
    """Directives that forward this one, transitively, nearest first, as far as the user can see."""
    visible = Directive.objects.restrict(user)
    seen, frontier, chain = {directive.pk}, [directive.pk], []
    while frontier:
        below = list(visible.filter(forwards__in=frontier).exclude(pk__in=seen).select_related("issuing_unit").distinct())
        chain.extend(below)
        seen.update(d.pk for d in below)
        frontier = [d.pk for d in below]
    return chain


def forwarding_chain_up(directive, user):
    """What this directive forwards, transitively, nearest first, as far as the user can see."""
    chain = directive.forwarding_chain_up()
    visible = set(Directive.objects.restrict(user).filter(pk__in=[d.pk for d in chain]).values_list("pk", flat=True))
    return [d for d in chain if d.pk in visible]


@login_required
def directive_list(request):
    form = DirectiveFilterForm(request.GET or None)
    campaign = current_campaign(request)
    directives = Directive.objects.restrict(request.user).in_campaign(campaign).select_related("campaign", "issuing_unit")
    if request.GET:
        directives = form.apply(directives)
    directives = directives.annotate(requirement_count=Count("requirements", distinct=True))
    page = Paginator(directives.order_by("-signed_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaign/directive_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_create": office_units(request.user).exists(),
         "campaign": campaign},
    )


def directive_context(request, directive, attachment_form=None):
    requirements = list(directive.requirements.select_related("phase", "target_batch", "submit_to"))
    # The counts per requirement over what the reader sees: an office's are the dashboard's kept figures.
    by_req, _exact = dashboard.reader_counts_by_requirement(request.user, [r.pk for r in requirements], directive.campaign)
    can_edit = can(request.user, "edit", directive)
    can_add_requirement = can(request.user, "add_requirement", directive)
    return {
        "directive": directive,
        "attachments": directive.attachments.all(),
        "forwards": forwarding_chain_up(directive, request.user),
        "forwarded_by": forwarding_chain_down(directive, request.user),
        "requirements": [(r, by_req.get(r.pk, dashboard.Counts())) for r in requirements],
        "can_edit": can_edit,
        "can_forward": can(request.user, "forward", directive),
        "can_add_requirement": can_add_requirement,
        # Deadlines found in its file (从文件登记) waiting for the office's decision.
        "pending_drafts": list(directive.requirement_drafts.filter(status=RequirementDraft.Status.PENDING))
        if can_add_requirement else [],
        "attachment_form": attachment_form or (DirectiveAttachmentForm(directive=directive) if can_edit else None),
    }


@login_required
def directive_detail(request, directive_id):
    directives = Directive.objects.restrict(request.user).select_related("campaign", "issuing_unit", "created_by")
    directive = get_object_or_404(directives, pk=directive_id)
    return render(request, "campaign/directive_detail.html", directive_context(request, directive))


def _saved(request, directive):
    messages.success(request, _("公文已保存：%(name)s") % {"name": directive})
    return redirect(directive)


@login_required
def directive_create(request):
    if not office_units(request.user).exists():
        raise PermissionDenied
    campaign = current_campaign(request)
    # A number to start from (从文件登记 offers an unregistered forward's number this way).
    initial = {"number_text": request.GET.get("number", "")[:80]} if request.GET.get("number") else None
    form = DirectiveForm(request.POST or None, user=request.user, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _saved(request, actions.register_directive(form.instance, actor=request.user))
    return render(request, "campaign/directive_form.html", {"form": form, "title": _("登记公文"), "campaign": campaign})


@login_required
def directive_edit(request, directive_id):
    directive = get_object_or_404(Directive.objects.restrict(request.user), pk=directive_id)
    if not can(request.user, "edit", directive):
        raise PermissionDenied
    before = snapshot(directive, actions.DIRECTIVE_FIELDS)
    form = DirectiveForm(request.POST or None, instance=directive, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _saved(request, actions.edit_directive(form.instance, before, actor=request.user))
    return render(request, "campaign/directive_form.html",
                  {"form": form, "directive": directive, "title": _("编辑公文"), "campaign": directive.campaign})


@login_required
def directive_forward(request, directive_id):
    """This office's own directive, prefilled from the upper-level one and linked to it (转发)."""
    source = get_object_or_404(Directive.objects.restrict(request.user), pk=directive_id)
    if not can(request.user, "forward", source) or not office_units(request.user).exists():
        raise PermissionDenied
    form = DirectiveForm(request.POST or None, user=request.user, campaign=source.campaign,
                         initial=forward_initial(source, request.user))
    if request.method == "POST" and form.is_valid():
        return _saved(request, actions.register_directive(form.instance, actor=request.user, forwards=source))
    return render(
        request, "campaign/directive_form.html",
        {"form": form, "source": source, "title": _("转发公文"), "campaign": source.campaign},
    )
