"""The API's writes: each validates with the page's own form and acts through the page's own
action, so that a directive registered, a requirement added, a version submitted, a review or a
chase made by a system is the same as one made on the pages, audited the same way (with the
token's name, api.auth), refused for the same reasons in the same words.

- POST /directives: register a directive (the number is read by campaign.docnumbers);
- POST /directives/{directive_id}/requirements: add a requirement (fanned out by save_requirement);
- POST /obligations/{obligation_id}/submit: submit a version, multipart with files (the upload
  pipeline: files.screening and files.storage, through campaign.workflow);
- POST /obligations/{obligation_id}/review: approve or return the latest version;
- POST /chases: chase (催办) open obligations.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from access.policy import can
from api.endpoints.campaigns import router as directives_router
from api.types import RowId
from campaign import actions, chases, workflow
from campaign.current import current_campaign
from campaign.forms import DirectiveForm, RequirementForm, office_units
from campaign.forms_work import ReviewForm, SubmitForm
from campaign.models import Campaign, Directive, Obligation
from files.screening import UploadRefused

router = Router(tags=["writes"])


def _valid(form):
    """The form's cleaned data, or the form's own messages as a 400."""
    if not form.is_valid():
        raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
    return form.cleaned_data


class Written(Schema):
    id: int
    label: str


class DirectiveIn(Schema):
    campaign: RowId | None = None
    number: str = ""
    doc_type: str
    issuing_unit: RowId
    issuer_name: str
    title: str
    primary_recipients: str = ""
    copy_recipients: str = ""
    signed_on: dt.date
    printed_on: dt.date | None = None
    urgency: str = ""
    secrecy: str = ""
    body: str = ""
    forwards: RowId | None = None


# On the router that lists directives: one URL pattern answers GET and POST of /directives.
@directives_router.post("/directives", response={201: Written}, summary="登记公文（发文字号经解析校验）")
def register_directive(request, payload: DirectiveIn):
    """The number (发文字号) is read and checked as on the page: a number already registered, or one
    that is not a document number, is refused with the parser's message. `forwards` names a
    directive this one forwards (转发). Only office staff may register directives."""
    if not office_units(request.user).exists():
        raise PermissionDenied(_("只有领导小组办公室工作人员可以登记公文。"))
    if payload.campaign is not None:
        campaign = get_object_or_404(Campaign.objects.restrict(request.user), pk=payload.campaign)
    else:
        campaign = current_campaign(request)
    source = None
    if payload.forwards is not None:
        source = get_object_or_404(Directive.objects.restrict(request.user), pk=payload.forwards)
        if not can(request.user, "forward", source):
            raise PermissionDenied(_("您无权转发该公文。"))
    data = payload.dict(exclude={"campaign", "number", "forwards"})
    data["number_text"] = payload.number
    form = DirectiveForm({key: "" if value is None else value for key, value in data.items()},
                         user=request.user, campaign=campaign)
    _valid(form)
    directive = actions.register_directive(form.instance, actor=request.user, forwards=source)
    return Status(201, {"id": directive.pk, "label": str(directive)})


class RequirementIn(Schema):
    title: str
    deadline: str
    description: str = ""
    phase: RowId | None = None
    target_batch: RowId | None = None
    target_levels: list[str] = []
    target_unit_types: list[str] = []
    unit_codes: list[str] = []
    due_event: str = ""
    deadline_inclusive: bool = True
    deadline_before_signing: bool = False
    route: str
    review_required: bool = True


class RequirementWritten(Written):
    obligations_added: int


@router.post("/directives/{directive_id}/requirements", response={201: RequirementWritten},
             summary="为公文添加报送要求（即为范围内单位生成报送任务）")
def add_requirement(request, directive_id: RowId, payload: RequirementIn):
    """`deadline` is a date (2014-01-10) or the directive's own words (2014年1月10日前, 12月底,
    会后15日内 with `due_event`, 每月5日前); the units are chosen by batch, levels, unit types or
    codes, within the directive's office subtree. The units' obligations are made at once."""
    directive = get_object_or_404(Directive.objects.restrict(request.user).select_related("issuing_unit"), pk=directive_id)
    if not can(request.user, "add_requirement", directive):
        raise PermissionDenied(_("只有发文单位的领导小组办公室可以为该公文添加报送要求。"))
    data = payload.dict(exclude={"unit_codes"})
    data["explicit_codes"] = "\n".join(payload.unit_codes)
    for flag in ("deadline_inclusive", "deadline_before_signing", "review_required"):
        if not data[flag]:
            data.pop(flag)  # an unticked box is an absent field, as a browser sends it
    form = RequirementForm({key: "" if value is None else value for key, value in data.items()},
                           directive=directive, user=request.user)
    cleaned = _valid(form)
    try:
        requirement, added, _removed = actions.save_requirement(form.instance, actor=request.user,
                                                                explicit_units=cleaned["explicit_codes"])
    except actions.RefusedRemoval as refused:
        raise ValidationError(_("以下单位已报送材料，不能从本要求中移除：%(names)s。") % {"names": "、".join(refused.units[:20])}) from None
    return Status(201, {"id": requirement.pk, "label": str(requirement), "obligations_added": added})


class ObligationMoved(Schema):
    id: int
    status: str
    status_label: str


def _moved(obligation):
    return {"id": obligation.pk, "status": obligation.status, "status_label": obligation.get_status_display()}


def _obligation(request, obligation_id):
    return get_object_or_404(Obligation.objects.restrict(request.user), pk=obligation_id)


@router.post("/obligations/{obligation_id}/submit", response={200: ObligationMoved},
             summary="报送材料（说明和文件）")
def submit(request, obligation_id: RowId, text: Form[str] = "", files: File[list[UploadedFile]] = None):
    """multipart/form-data: `text` and any number of `files`, checked by the same rules as on the
    page (allowed types, size cap, content matching the extension). A liaison of the unit may."""
    obligation = _obligation(request, obligation_id)
    workflow.precheck(obligation, "submit", request.user)
    form = SubmitForm({"text": text}, MultiValueDict({"files": list(files or [])}))
    cleaned = _valid(form)
    try:
        moved = workflow.transition(obligation, "submit", request.user, text=cleaned["text"], files=cleaned["files"])
    except UploadRefused as refused:
        raise ValidationError({"files": [str(refused)]}) from None
    return _moved(moved)


class ReviewIn(Schema):
    decision: str
    reason: str = ""
    new_due_on: dt.date | None = None


@router.post("/obligations/{obligation_id}/review", response={200: ObligationMoved},
             summary="审核：通过或退回最新报送的材料")
def review(request, obligation_id: RowId, payload: ReviewIn):
    """`decision` is approve or return; a return needs `reason` and may give `new_due_on`, a later
    day (the unit then reports by 24:00 that day). The reviewer is the supervision group or the
    office the requirement's route names."""
    obligation = _obligation(request, obligation_id)
    if payload.decision not in {"approve", "return"}:
        raise ValidationError({"decision": [_("审核结论只能是 approve（通过）或 return（退回）。")]})
    workflow.precheck(obligation, payload.decision, request.user)
    form = ReviewForm({"decision": payload.decision, "reason": payload.reason,
                       "new_due_on": payload.new_due_on.isoformat() if payload.new_due_on else ""})
    cleaned = _valid(form)
    moved = workflow.transition(obligation, payload.decision, request.user, reason=cleaned["reason"],
                                new_due_at=form.new_due_at)
    return _moved(moved)


class ChaseIn(Schema):
    obligations: list[RowId]
    note: str = ""
    confirm: bool = False


class Chased(Schema):
    chased: list[int]
    already_today: list[int]
    not_open: int


@router.post("/chases", response={200: Chased}, summary="催办")
def chase(request, payload: ChaseIn):
    """Chases the open ones among `obligations` that the token may chase; those chased today
    already are left alone unless `confirm` (and listed in `already_today`)."""
    if not payload.obligations or len(payload.obligations) > 5000:
        raise ValidationError({"obligations": [_("请列出 1 至 5000 项要催办的报送任务。")]})
    targets = Obligation.objects.restrict(request.user, "remind").filter(pk__in=payload.obligations)
    if not targets.exists():
        raise PermissionDenied(_("没有可催办的报送任务：所列任务不存在，或您无权催办。"))
    try:
        result = chases.chase(targets, actor=request.user, note=payload.note, confirm=payload.confirm)
    except ValueError as refused:  # the note too long: the action's own rule and words
        raise ValidationError({"note": [str(refused)]}) from None
    return {"chased": [row.obligation_id for row in result.chased],
            "already_today": [o.pk for o in result.already_today], "not_open": result.not_open}
