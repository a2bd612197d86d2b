"""Opinion pages (002: 在直接听取群众意见上下功夫; “下去一把抓、回来再分家”).

- record an opinion heard about a unit (offices over it, members of a group supervising it);
- a unit's opinions, filtered by channel, four-winds category, claimed, answered;
- the queue of a person's units: opinions waiting to be claimed, claimed ones waiting for an answer;
- one opinion: claim it, answer it (units.rules.OPINION);
- the offices' counts by four-winds category and by unit of their subtree, and their export.
"""

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from access.scope import scope_for
from core import clock
from core.downloads import download
from units import opinions as actions
from units.forms_opinions import AnswerForm, OpinionFilterForm, OpinionForm
from units.models import FourWinds, Opinion, Unit

PAGE_SIZE = 30
RELATED = ["concerned_unit", "claimed_by", "collected_by", "recorded_by", "answered_by"]


def _unit(request, unit_id, action=None):
    unit = get_object_or_404(Unit.objects.restrict(request.user), pk=unit_id)
    if action and not can(request.user, action, unit):
        raise PermissionDenied
    return unit


def _opinion(request, opinion_id):
    return get_object_or_404(Opinion.objects.restrict(request.user).select_related(*RELATED), pk=opinion_id)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def opinion_new(request, unit_id):
    """Record an opinion about `unit` (the collector suggests the unit concerned: this one)."""
    unit = _unit(request, unit_id, "collect_opinions")
    form = OpinionForm(request.POST or None, initial={"collected_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        opinion = actions.record_opinion(form.instance, unit=unit, actor=request.user)
        messages.success(request, _("意见已记录，等待“%(unit)s”认领。") % {"unit": unit.name})
        return redirect(opinion)
    return render(request, "units/opinions/new.html", {"form": form, "unit": unit}, status=400 if form.errors else 200)


@login_required
def unit_opinions(request, unit_id):
    """The opinions about a unit (concerning it, claimed by it, or collected by its office)."""
    unit = _unit(request, unit_id)
    form = OpinionFilterForm(request.GET or None)
    opinions = Opinion.objects.restrict(request.user).filter(
        Q(concerned_unit=unit) | Q(claimed_by=unit) | Q(collected_by=unit)
    ).select_related(*RELATED)
    page = Paginator(form.apply(opinions).order_by("-collected_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/opinions/list.html", {
        "unit": unit, "form": form, "page": page, "query": _query_without_page(request),
        "may_collect": can(request.user, "collect_opinions", unit),
    })


QUEUE_TABS = {"claim": "claim", "answer": "answer"}


@login_required
def opinion_queue(request):
    """A person's units' queue: opinions concerning them to claim; claimed ones to answer."""
    tab = QUEUE_TABS.get(request.GET.get("tab", "claim"), "claim")
    opinions = Opinion.objects.restrict(request.user, tab).select_related(*RELATED)
    if tab == "answer":
        opinions = opinions.filter(answered_at__isnull=True)
    page = Paginator(opinions.order_by("collected_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/opinions/queue.html", {"tab": tab, "page": page, "query": f"tab={tab}"})


@login_required
def opinion_detail(request, opinion_id):
    opinion = _opinion(request, opinion_id)
    return _render_detail(request, opinion)


def _render_detail(request, opinion, answer_form=None, status=200):
    may_answer = can(request.user, "answer", opinion)
    return render(request, "units/opinions/detail.html", {
        "opinion": opinion,
        "may_claim": can(request.user, "claim", opinion),
        "answer_form": answer_form or (AnswerForm(initial={"answer": opinion.answer}) if may_answer else None),
    }, status=status)


@login_required
@require_POST
def opinion_claim(request, opinion_id):
    opinion = _opinion(request, opinion_id)
    if opinion.claimed_by_id is not None:
        messages.error(request, _("这条意见已由“%(unit)s”认领。") % {"unit": opinion.claimed_by.name})
        return redirect(opinion)
    if not can(request.user, "claim", opinion):
        raise PermissionDenied
    if actions.claim_opinion(opinion, actor=request.user):
        messages.success(request, _("已认领，请在办理后填写办理情况。"))
    else:
        messages.error(request, _("这条意见刚刚已被认领。"))
    return redirect(opinion)


@login_required
@require_POST
def opinion_answer(request, opinion_id):
    opinion = _opinion(request, opinion_id)
    if not can(request.user, "answer", opinion):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, opinion, answer_form=form, status=400)
    actions.answer_opinion(opinion, form.cleaned_data["answer"], actor=request.user)
    messages.success(request, _("办理情况已保存。"))
    return redirect(opinion)


# --- the offices' counts --------------------------------------------------------------------

WINDS = [(value, label) for value, label in FourWinds.choices]


def _counted_units(user):
    """The units of the user's office subtrees concerned by an opinion, each with its counts."""
    return (
        Unit.objects.restrict(user, "manage")
        .annotate(**opinion_counters("concerning_opinions__"))
        .filter(total__gt=0)
        .order_by("path")
    )


def opinion_counters(path=""):
    """The counts of the office's statistics (total, per four-winds category, unclassified, claimed,
    answered) over the opinions at `path` ("" for Opinion itself): one definition for the per-unit
    rows and the totals."""
    def counted(**condition):
        return Count(f"{path}pk", filter=Q(**{f"{path}{field}": value for field, value in condition.items()}) or None)

    return {
        "total": counted(),
        "unclassified": counted(four_winds=""),
        "claimed": counted(claimed_by__isnull=False),
        "answered": counted(answered_at__isnull=False),
        **{f"winds_{value}": counted(four_winds=value) for value, _label in WINDS},
    }


def _office_only(request):
    if not scope_for(request.user).is_office:
        raise PermissionDenied


@login_required
def opinion_counts(request):
    _office_only(request)
    units = _counted_units(request.user)
    totals = Opinion.objects.filter(
        concerned_unit__in=Unit.objects.restrict(request.user, "manage")
    ).aggregate(**opinion_counters())
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(unit, [getattr(unit, f"winds_{value}") for value, _label in WINDS]) for unit in page]
    return render(request, "units/opinions/counts.html", {
        "page": page, "rows": rows, "winds": WINDS, "totals": totals,
        "total_winds": [(label, totals[f"winds_{value}"]) for value, label in WINDS],
    })


@login_required
def opinion_counts_export(request):
    _office_only(request)
    headers = [_("单位代码"), _("单位名称"), *[str(label) for _value, label in WINDS], _("未归类"), _("合计"),
               _("已认领"), _("已答复")]
    dataset = tablib.Dataset(headers=headers)
    for unit in _counted_units(request.user).iterator(chunk_size=2000):
        dataset.append([unit.code, unit.name, *[getattr(unit, f"winds_{value}") for value, _label in WINDS],
                        unit.unclassified, unit.total, unit.claimed, unit.answered])
    return download(dataset, request.GET.get("format", "xlsx"), "opinion-counts")
