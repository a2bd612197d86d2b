"""从文件登记: register a directive from its file or pasted text (campaign.intake).

1. `intake_start`: upload a file or paste the text; the clerk's open intakes wait here.
2. `intake_review`: the text with every value found highlighted, beside the directive form
   prefilled from it; a number already registered, the forwards, the deadlines found.
3. `intake_drafts`: the directive's draft requirements, each confirmed through the standard
   requirement form (`draft_confirm`) or dropped with a reason (`draft_drop`).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from access.policy import can
from access.transitions import TransitionRefused
from campaign.current import current_campaign
from campaign.docnumbers import DocumentNumberError, parse_document_number
from campaign.forms import DirectiveForm, RequirementForm, office_units
from campaign.forms_intake import DropDraftForm, IntakeForm
from campaign.intake import actions
from campaign.intake.highlight import FIELDS, highlighted
from campaign.models import Directive, DirectiveIntake, DocumentType, RequirementDraft
from campaign.views.requirements import tell_deadline_warnings
from units.models import Unit

# What each found value is called (the marks' titles and the legend).
LABELS = {
    "doc_number": gettext_lazy("发文字号"), "issuer": gettext_lazy("发文机关"), "doc_type": gettext_lazy("文种"),
    "title": gettext_lazy("标题"), "signed_date": gettext_lazy("成文日期"), "printed_date": gettext_lazy("印发日期"),
    "primary_recipients": gettext_lazy("主送"), "cc_recipients": gettext_lazy("抄送/报送"),
    "forwards": gettext_lazy("转发的文件"), "deadlines": gettext_lazy("期限"),
}
# The directive form's fields and the found value that fills each.
FORM_KEYS = {
    "number_text": "doc_number", "doc_type": "doc_type", "issuer_name": "issuer", "title": "title",
    "signed_on": "signed_date", "printed_on": "printed_date", "primary_recipients": "primary_recipients",
    "copy_recipients": "cc_recipients",
}
# Fields a directive may well not have: "not found" is a hint there, not a gap.
OPTIONAL = {"printed_on", "copy_recipients"}


def _office_only(user):
    if not office_units(user).exists():
        raise PermissionDenied


def _intake(request, intake_id):
    return get_object_or_404(
        DirectiveIntake.objects.restrict(request.user, "edit").select_related("campaign"), pk=intake_id
    )


@login_required
def intake_start(request):
    _office_only(request.user)
    campaign = current_campaign(request)
    posted = request.method == "POST"
    asks_number = posted and bool(request.POST.get("without_number"))
    form = IntakeForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            intake = actions.start_intake(campaign, actor=request.user, upload=form.cleaned_data["file"],
                                          text=form.cleaned_data["text"],
                                          without_number=form.cleaned_data["without_number"])
        except actions.IntakeRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
            asks_number = refused.code == "no_number"
        else:
            for note in intake.extraction.get("notes", []):
                messages.info(request, note)
            return redirect(intake)
    open_intakes = (DirectiveIntake.objects.restrict(request.user, "edit")
                    .filter(status=DirectiveIntake.Status.OPEN).select_related("campaign"))
    return render(request, "campaign/intake/start.html", {
        "form": form, "campaign": campaign, "open_intakes": open_intakes, "asks_number": asks_number,
    })


def _initial(intake, user):
    record = intake.record
    office = office_units(user).order_by("-depth").first()
    doc_type = record.get("doc_type")
    return {
        "number_text": record.get("doc_number") or "",
        "doc_type": doc_type if doc_type in DocumentType.values else DocumentType.NOTICE,
        "issuer_name": record.get("issuer") or "",
        "issuing_unit": office.pk if office else None,
        "title": record.get("title") or "",
        "signed_on": record.get("signed_date") or None,
        "printed_on": record.get("printed_date") or None,
        # Items are joined at the top level (，): an item may hold 、 of its own.
        "primary_recipients": "，".join(record.get("primary_recipients") or []),
        "copy_recipients": "，".join(record.get("cc_recipients") or []),
        "body": intake.text,
    }


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def registered_with(number_text, user):
    """(number, directive visible to the user or None, registered at all) for a typed number."""
    try:
        parsed = parse_document_number(number_text or "")
    except DocumentNumberError:
        return None, None, False
    clash = Directive.objects.filter(agency_code=parsed.agency, year=parsed.year, serial=parsed.serial)
    if not clash.exists():
        return str(parsed), None, False
    return str(parsed), clash.restrict(user).first(), True


def _reproduced(intake, user):
    """[(index, number, title, registered directive or None)] of the documents the text reproduces."""
    documents = intake.extraction.get("documents") or []
    registered = dict(actions.registered_forwards([d.get("doc_number") for d in documents if d.get("doc_number")], user))
    return [(index, d.get("doc_number"), d.get("title"), registered.get(d.get("doc_number")))
            for index, d in enumerate(documents)]


@login_required
def intake_review(request, intake_id):
    _office_only(request.user)
    intake = _intake(request, intake_id)
    if intake.status == DirectiveIntake.Status.REGISTERED and intake.directive_id:
        return redirect("campaign:intake_drafts", directive_id=intake.directive_id)
    if intake.status == DirectiveIntake.Status.ABANDONED:
        messages.info(request, _("这份文件已放弃登记。"))
        return redirect("campaign:intake")
    form = DirectiveForm(request.POST or None, user=request.user, campaign=intake.campaign,
                         initial=_initial(intake, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            directive = actions.register_from_intake(intake, form.instance, actor=request.user)
        except actions.IntakeRefused as refused:
            form.add_error(None, str(refused))
        except TransitionRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        else:
            drafts = directive.requirement_drafts.count()
            messages.success(request, _("公文已登记：%(name)s") % {"name": directive})
            if drafts:
                messages.info(request, ngettext(
                    "文中找到 %(count)s 处期限，请逐条确认或舍弃；确认前不会生成报送任务。",
                    "文中找到 %(count)s 处期限，请逐条确认或舍弃；确认前不会生成报送任务。", drafts) % {"count": drafts})
                return redirect("campaign:intake_drafts", directive_id=directive.pk)
            return redirect(directive)
    number_text = form.data.get("number_text") if form.is_bound else form.initial.get("number_text")
    number, duplicate, registered = registered_with(number_text, request.user)
    record = intake.record
    found = {key: bool(record.get(key)) for key in FIELDS}
    rows = []
    # The number first: what the clerk checks first, and what decides whether it is registered already.
    for field in sorted(form, key=lambda bound: bound.name != "number_text"):
        key = FORM_KEYS.get(field.name)
        rows.append({"field": field, "key": key, "missing": bool(key) and not found.get(key),
                     "optional": field.name in OPTIONAL})
    spans = dict(intake.extraction.get("spans", {}))
    deadline_spans = [[d.get("start"), d.get("end")] for d in record.get("deadlines", [])
                      if d.get("start") is not None and d.get("end") is not None]
    if deadline_spans and not spans.get("deadlines"):
        spans["deadlines"] = deadline_spans
    return render(request, "campaign/intake/review.html", {
        "intake": intake, "form": form, "rows": rows, "campaign": intake.campaign,
        "text_html": highlighted(intake.text, spans, LABELS),
        "legend": [(key, LABELS[key]) for key in FIELDS if spans.get(key)],
        "number": number, "duplicate": duplicate, "registered": registered,
        "forwards": actions.registered_forwards(record.get("forwards"), request.user, number),
        "reproduced": _reproduced(intake, request.user),
        "deadlines": [{**d, "due_date": _date(d.get("due_date"))} for d in record.get("deadlines", [])],
        "problems": intake.extraction.get("problems", []),
        "notes": intake.extraction.get("notes", []),
    })


@login_required
@require_POST
def intake_reproduced(request, intake_id):
    """Register a document the text reproduces (a forwarded one, posted as `document`: its place
    among them): a new intake of its part of the text."""
    _office_only(request.user)
    intake = _intake(request, intake_id)
    try:
        index = int(request.POST.get("document", ""))
    except ValueError:
        index = -1
    try:
        reproduced = actions.start_reproduced_intake(intake, index, actor=request.user)
    except actions.IntakeRefused as refused:
        messages.warning(request, str(refused))
        return redirect(intake)
    return redirect(reproduced)


@login_required
@require_POST
def intake_abandon(request, intake_id):
    _office_only(request.user)
    intake = _intake(request, intake_id)
    try:
        actions.abandon_intake(intake, actor=request.user)
    except actions.IntakeRefused as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(request, _("已放弃登记这份文件。"))
    return redirect("campaign:intake")


def _directive_for_drafts(request, directive_id):
    directive = get_object_or_404(Directive.objects.restrict(request.user).select_related("issuing_unit"), pk=directive_id)
    if not can(request.user, "add_requirement", directive):
        raise PermissionDenied
    return directive


@login_required
def intake_drafts(request, directive_id):
    directive = _directive_for_drafts(request, directive_id)
    drafts = (RequirementDraft.objects.restrict(request.user).filter(directive=directive)
              .select_related("requirement", "decided_by"))
    return render(request, "campaign/intake/drafts.html", {
        "directive": directive, "drafts": drafts, "drop_form": DropDraftForm(),
        "pending": sum(1 for d in drafts if d.is_pending),
    })


def _draft(request, draft_id):
    draft = get_object_or_404(
        RequirementDraft.objects.restrict(request.user, "decide").select_related("directive__issuing_unit"), pk=draft_id
    )
    return draft


def submit_to_for(draft, user):
    """The unit the report goes to: the one named in the text when a unit of that name exists among
    those the clerk may see, else the directive's issuing unit (as the requirement form defaults)."""
    name = draft.to_text.strip()
    if name:
        unit = Unit.objects.restrict(user).filter(name=name, is_active=True).first()
        if unit is not None:
            return unit
    return draft.directive.issuing_unit


@login_required
def draft_confirm(request, draft_id):
    draft = _draft(request, draft_id)
    directive = draft.directive
    drafts_url = reverse("campaign:intake_drafts", kwargs={"directive_id": directive.pk})
    if not draft.is_pending:
        messages.info(request, _("这条期限已经处理（%(status)s）。") % {"status": draft.get_status_display()})
        return redirect(drafts_url)
    initial = {"title": draft.what or draft.deadline_text, "deadline": draft.deadline_text, "description": draft.excerpt}
    form = RequirementForm(request.POST or None, directive=directive, user=request.user, initial=initial)
    form.instance.submit_to = submit_to_for(draft, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            requirement, added, _removed = actions.confirm_draft(
                draft, form.instance, actor=request.user, explicit_units=form.cleaned_data["explicit_codes"])
        except actions.IntakeRefused as refused:
            messages.warning(request, str(refused))
            return redirect(drafts_url)
        messages.success(request, _("报送要求已保存：新增 %(added)s 项报送任务。") % {"added": added})
        tell_deadline_warnings(request, requirement, form)
        return redirect(drafts_url)
    return render(request, "campaign/requirement_form.html", {
        "form": form, "directive": directive, "draft": draft, "submit_to": form.instance.submit_to,
        "cancel_url": drafts_url,
    })


@login_required
@require_POST
def draft_drop(request, draft_id):
    draft = _draft(request, draft_id)
    form = DropDraftForm(request.POST)
    drafts_url = reverse("campaign:intake_drafts", kwargs={"directive_id": draft.directive_id})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.warning(request, error)
        return redirect(f"{drafts_url}#draft-{draft.pk}")
    try:
        actions.drop_draft(draft, actor=request.user, reason=form.cleaned_data["reason"])
    except actions.IntakeRefused as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(request, _("已舍弃：%(draft)s") % {"draft": draft})
    return redirect(drafts_url)
