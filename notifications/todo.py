"""The to-do list (待办, issue 13): what waits for the signed-in person, in every role they hold.

Each kind of item is one queryset built from the rule that already says what is open, overdue
or whose decision it is (campaign.status, campaign.workflow's review queues, access.policy's
restrict() with each app's rules): nothing here decides who reviews or what is late. The top
bar's badge counts the same querysets (COUNT only, no rows) and the page and the home panel list
them, so the badge and the page agree by construction.

Each item also says what to do next in one short line (Item.next_step), chosen from the row's
data (its state, the latest return's reason), never from a rendered word.

- **liaison** (单位联络员): obligations to submit or correct, soonest due first (overdue marked);
  the look-back report to submit or to redo after a return (004);
  signed-off feedback the unit has not yet signed for (签收); rectification items to report on.
- **supervision group member**: material waiting for the group's review; look-back reports
  waiting for the group's side (004: 报上级党组织和督查组审核); the democratic life
  meetings of the group's units coming up (to attend); close requests (销号) to decide.
- **group leader**: feedback waiting for sign-off (001).
- **office**: material routed to the office; look-back reports of the units below waiting for the
  superior organisation's side; late units per requirement; reports waiting for the
  affiliation body (004); extension requests (延期申请) to decide.
- the liaison's chases (催办) not yet signed for, and the group's extension requests on the
  group-first route.

The cost is fixed per role whatever the size of the province: one query for the badge (the counts
of every kind at once), and one row query (plus a COUNT when the rows fill the page) per kind
for the page.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from access.scope import scope_for
from campaign import dashboard
from campaign import status as obligation_status
from campaign import workflow as obligation_workflow
from campaign.current import current_campaign, kept_name
from campaign.models import (
    Chase,
    DirectiveIntake,
    ExtensionRequest,
    Meeting,
    Obligation,
    Requirement,
    RequirementDraft,
    Review,
    Route,
)
from campaign.templatetags.campaign_tags import due
from campaign.views.affiliation import awaiting as awaiting_affiliation
from core import clock, paging, personal_cache
from core.people import person_name
from core.templatetags.core_tags import format_day, format_moment
from notifications.models import Notification
from rectification import lookback as rectification_lookback
from rectification import workflow as rectification_workflow
from rectification.models import LookBackReport, RectificationItem
from supervision.models import Feedback
from units.models import Unit

LIAISON, GROUP, LEADER, OFFICE = "liaison", "group", "leader", "office"
ROLE_LABELS = {
    LIAISON: gettext_lazy("单位联络员"),
    GROUP: gettext_lazy("督导组"),
    LEADER: gettext_lazy("督导组组长"),
    OFFICE: gettext_lazy("领导小组办公室"),
}
PAGE_LIMIT = 50  # rows per kind on the page; the heading gives the full count
PANEL_LIMIT = 5  # items on the home page's panel


@dataclass
class Item:
    """One thing to do: where it is done, what it is, when it is due or how long it has waited."""

    title: str
    url: str
    line: str
    when: str = ""
    overdue: bool = False
    new: bool = False
    next_step: str = ""  # what the person does next, in one short line (chosen from the row's data)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    role: str
    applies: object  # scope -> bool: the role holds the kind at all (no query)
    query: object  # (user, scope, now, campaign) -> queryset, or None for nothing
    item: object  # (row, now) -> Item
    prepare: object = None  # (user, now, campaign, rows) -> rows: what the items need besides the rows


@dataclass
class Section:
    kind: Kind
    count: int
    items: list = field(default_factory=list)

    @property
    def truncated(self):
        return self.count > len(self.items)


REASON_EXCERPT = 40  # characters of a reason quoted in a next step


def _excerpt(text):
    return Truncator(" ".join((text or "").split())).chars(REASON_EXCERPT)


def _redo_step(reason, fallback):
    """按退回理由修改 …, quoting the reason when there is one."""
    return _("%(step)s：%(reason)s") % {"step": fallback, "reason": _excerpt(reason)} if reason else fallback


def _waited(moment, now):
    """How long something has waited, in whole days (an age, for queues with no due moment)."""
    days = max((now - moment).days, 0) if moment else 0
    return ngettext("已等待 %(days)d 天", "已等待 %(days)d 天", days) % {"days": days}


# --- liaison ---------------------------------------------------------------------------------------


def obligations_to_submit(user, scope, now, campaign):
    """The unit's open obligations (campaign.status: pending or returned), soonest due first; those
    whose due moment waits for a meeting (待定) last."""
    return (
        Obligation.objects.restrict(user, "submit").in_campaign(campaign).filter(requirement__is_active=True)
        .exclude(_followed_by_lookback())
        .select_related("unit", "requirement").with_status(now)
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def _followed_by_lookback():
    """Obligations that follow a look-back report (rectification.actions.follow_report): the report is
    what is written, submitted and reviewed, so the to-do lists the report instead (lookback kinds)."""
    return Exists(LookBackReport.objects.filter(obligation=OuterRef("pk")))


def _with_return_reasons(user, now, campaign, obligations):
    """The latest return's reason of each returned obligation (its Review), for the next step: one query."""
    returned = [o.pk for o in obligations if o.status == obligation_status.ObligationStatus.RETURNED]
    reasons = {}
    if returned:
        for obligation_id, reason in (Review.objects.filter(obligation_id__in=returned, decision=Review.Decision.RETURN)
                                      .order_by("obligation_id", "-created_at", "-pk").values_list("obligation_id", "reason")):
            reasons.setdefault(obligation_id, reason)
    for obligation in obligations:
        obligation.return_reason = reasons.get(obligation.pk, "")
    return obligations


def _obligation_item(obligation, now):
    if obligation.status == obligation_status.ObligationStatus.RETURNED:
        line = _("%(unit)s · 材料已退回，请修改后重新报送") % {"unit": obligation.unit.name}
        step = _redo_step(getattr(obligation, "return_reason", ""), _("按退回理由修改后重新报送"))
    else:
        line = _("%(unit)s · 请按时报送材料") % {"unit": obligation.unit.name}
        step = _("打开即签收，按要求报送材料") if obligation.received_at is None else _("按要求报送材料")
    countdown = obligation_status.countdown(obligation.due_at, now)
    when = _("截止 %(due)s") % {"due": due(obligation)} + (f" · {countdown}" if countdown else "")
    return Item(obligation.requirement.title, obligation.get_absolute_url(), line, when,
                overdue=obligation.is_overdue, new=obligation.received_at is None, next_step=step)


def feedback_to_read(user, scope, now, campaign):
    """Signed-off feedback to the unit that none of its liaisons has opened yet (签收)."""
    if campaign is None:
        return None
    return (
        Feedback.objects.restrict(user, "sign_for").filter(group__campaign=campaign, received_at__isnull=True)
        .select_related("group", "unit").order_by("signed_off_at", "pk")
    )


def _feedback_to_read_item(feedback, now):
    return Item(feedback.subject, feedback.get_absolute_url(),
                _("%(group)s致%(unit)s的反馈意见，请阅读签收") % {"group": feedback.group.name, "unit": feedback.unit.name},
                _("签发于 %(moment)s") % {"moment": format_moment(feedback.signed_off_at)}, new=True,
                next_step=_("阅读反馈意见（打开即签收），对照整改"))


def rectification_to_report(user, scope, now, campaign):
    """The unit's rectification items still open or in progress: the states from which the unit
    reports progress (rectification.workflow), earliest time limit first."""
    return (
        RectificationItem.objects.restrict(user, "request_close").in_campaign(campaign)
        .filter(status__in=rectification_workflow.MACHINE.by_action["progress"].sources)
        .select_related("plan__unit").with_status(clock.today())
        .order_by("due_on", "pk")
    )


def _with_item_returns(user, now, campaign, items):
    """Why each item's close request was last sent back (rectification.workflow.last_returns): one query."""
    returns = rectification_workflow.last_returns(items)
    for item in items:
        item.last_return = returns.get(item.pk)
    return items


def _rectification_item(item, now):
    last_return = getattr(item, "last_return", None)
    if last_return is not None:
        step = _redo_step(last_return.reason, _("按退回理由继续整改后再申请销号"))
    elif item.status == RectificationItem.Status.OPEN:
        step = _("启动整改并报告进展")
    else:
        step = _("报告整改进展；完成后附佐证材料申请销号")
    return Item(str(item), item.get_absolute_url(),
                _("%(unit)s · %(status)s：请报告整改进展，完成后申请销号") % {
                    "unit": item.plan.unit.name, "status": item.get_status_display()},
                _("完成时限 %(day)s") % {"day": format_day(item.due_on)}, overdue=item.is_overdue, next_step=step)


def lookback_to_submit(user, scope, now, campaign):
    """The unit's look-back report still to be submitted: a draft, or returned (回炉) by a reviewer (004)."""
    return (
        LookBackReport.objects.restrict(user, "submit").filter(campaign=campaign)
        .filter(status__in=rectification_lookback.MACHINE.sources("submit"))
        .select_related("unit").order_by("created_at", "pk")
    )


def _with_report_returns(user, now, campaign, reports):
    """Why each returned report came back (rectification.lookback.last_returns): one query."""
    returns = rectification_lookback.last_returns(reports)
    for report in reports:
        report.last_return = returns.get(report.pk)
    return reports


def _lookback_to_submit_item(report, now):
    last_return = getattr(report, "last_return", None)
    if report.status == LookBackReport.Status.RETURNED:
        line = _("%(unit)s · 回头看自查报告已退回重报") % {"unit": report.unit.name}
        step = _redo_step(last_return.reason if last_return else "", _("按退回理由修改后重新报送"))
    else:
        line = _("%(unit)s · 回头看自查报告尚未报送") % {"unit": report.unit.name}
        step = _("逐项填写结论，回炉项写明说明和深化整改措施后报送")
    return Item(_("回头看自查报告"), report.get_absolute_url(), line, next_step=step)


# --- supervision group -----------------------------------------------------------------------------


def group_reviews(user, scope, now, campaign):
    return obligation_workflow.group_review_queue(user).in_campaign(campaign).exclude(_followed_by_lookback())


def _review_item(obligation, now):
    return Item(obligation.requirement.title, obligation.get_absolute_url(),
                _("%(unit)s已报送，请审核") % {"unit": obligation.unit.name},
                _("报送于 %(moment)s · %(waited)s") % {
                    "moment": format_moment(obligation.submitted_at), "waited": _waited(obligation.submitted_at, now)},
                next_step=_("审核材料：通过，或说明理由后退回"))


def _lookback_reviews(user, campaign, side):
    """Submitted look-back reports waiting for the person's side (004: 报上级党组织和督查组审核): the
    reports the side reviews (rectification.rules review_as_<side>) that it has not accepted yet."""
    if campaign is None:
        return None
    return (
        LookBackReport.objects.restrict(user, f"review_as_{side}").filter(campaign=campaign)
        .filter(status__in=rectification_lookback.MACHINE.sources("accept"), **{f"{side}_accepted_by__isnull": True})
        .select_related("unit").order_by("created_at", "pk")
    )


def group_lookback_reviews(user, scope, now, campaign):
    return _lookback_reviews(user, campaign, rectification_lookback.GROUP)


def office_lookback_reviews(user, scope, now, campaign):
    return _lookback_reviews(user, campaign, rectification_lookback.OFFICE)


def _lookback_review_item(report, now):
    return Item(_("回头看自查报告"), report.get_absolute_url(),
                _("%(unit)s已报送回头看自查报告，请审核") % {"unit": report.unit.name},
                next_step=_("对照“三查三看”审核：通过，或说明须回炉的方面后退回重报"))


# How long after a democratic life meeting was held the group is asked to record its attendance and comments.
RECORD_ATTENDANCE_DAYS = 30


def meetings_to_attend(user, scope, now, campaign):
    """The democratic life meetings of the group's units (003: 督导组……全程参与专题民主生活会并进行
    点评) that the person has not recorded attending: planned from today on (to arrange to attend),
    or held in the last RECORD_ATTENDANCE_DAYS days (to record the attendance and comments, which
    only a held meeting takes: supervision.actions.attendance_refusals)."""
    today = clock.today()
    planned = Q(status=Meeting.Status.PLANNED, planned_on__gte=today)
    held = Q(status=Meeting.Status.HELD, held_on__gte=today - dt.timedelta(days=RECORD_ATTENDANCE_DAYS))
    return (
        Meeting.objects.restrict(user, "attend")
        .filter(planned | held, kind=Meeting.Kind.DEMOCRATIC_LIFE)
        .exclude(attendances__attendee=user)
        .select_related("unit").order_by("planned_on", "pk")
    )


def _meeting_item(meeting, now):
    title = _("%(unit)s%(kind)s") % {"unit": meeting.unit.name, "kind": meeting.get_kind_display()}
    if meeting.status == Meeting.Status.HELD:
        return Item(title, meeting.get_absolute_url(), _("请记录列席和点评"),
                    _("已于 %(day)s 召开") % {"day": format_day(meeting.held_on)}, next_step=_("记录列席情况和点评意见"))
    return Item(title, meeting.get_absolute_url(), _("请安排列席并点评"),
                _("计划 %(day)s 召开") % {"day": format_day(meeting.planned_on)}, next_step=_("按时列席，会后记录点评意见"))


def close_requests(user, scope, now, campaign):
    """Rectification items whose unit asked to close them (申请销号), for the reviewer who decides
    (rectification.rules: the group over the unit or an office strictly above it)."""
    return (
        RectificationItem.objects.restrict(user, "approve_close").in_campaign(campaign)
        .filter(status=RectificationItem.Status.CLOSE_REQUESTED)
        .select_related("plan__unit").with_status(clock.today()).order_by("due_on", "pk")
    )


def _close_request_item(item, now):
    return Item(str(item), item.get_absolute_url(),
                _("%(unit)s申请销号，请审核佐证材料") % {"unit": item.plan.unit.name},
                _("完成时限 %(day)s") % {"day": format_day(item.due_on)}, overdue=item.is_overdue,
                next_step=_("审核佐证材料：同意销号，或说明理由后退回整改"))


def feedback_to_sign_off(user, scope, now, campaign):
    """Feedback the person's groups asked their leader to sign off (001)."""
    if campaign is None:
        return None
    return (
        Feedback.objects.restrict(user, "sign_off").filter(status=Feedback.Status.PENDING, group__campaign=campaign)
        .select_related("group", "unit").order_by("created_at", "pk")
    )


def _sign_off_item(feedback, now):
    return Item(feedback.subject, feedback.get_absolute_url(),
                _("%(group)s致%(unit)s，待组长签发") % {"group": feedback.group.name, "unit": feedback.unit.name},
                _waited(feedback.created_at, now), next_step=_("审阅后签发，或说明理由不予签发"))


# --- office ----------------------------------------------------------------------------------------


def office_reviews(user, scope, now, campaign):
    return obligation_workflow.office_review_queue(user).in_campaign(campaign).exclude(_followed_by_lookback())


def late_units(user, scope, now, campaign):
    """The requirements with overdue obligations (campaign.status) among the units the office chases
    (rule "remind": its subtree), earliest due first: per requirement, the first overdue obligation
    on the (requirement, status) index, no aggregation over the obligations on every page.

    A correlated LIMIT 1 rather than EXISTS: PostgreSQL turns an EXISTS into a semi-join and, for a
    province (11,000 open obligations per requirement, every unit in the subtree), hashes them all
    for each requirement: 119 ms on every page of the province office at 50,000 units. The LIMIT 1
    subquery is planned to stop at its first row: 0.8 ms. In id order, so that it walks the
    requirement's own rows on the (requirement, id) index: unordered, PostgreSQL expects the first
    overdue row early in a scan of the whole table and reads 1.8 million rows per requirement at
    500,000 units (2.6 s; 0.6 ms in id order)."""
    overdue = Obligation.objects.restrict(user, "remind").filter(obligation_status.overdue_q(now), requirement=OuterRef("pk"))
    return (
        Requirement.objects.restrict(user).in_campaign(campaign).filter(is_active=True)
        .alias(first_overdue=Subquery(overdue.order_by("pk").values("pk")[:1])).filter(first_overdue__isnull=False)
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def _with_late_counts(user, now, campaign, requirements):
    """How many units are late under each requirement, from the dashboard's cached figures over the
    office's subtrees (campaign.dashboard: the numbers the dashboard and the office's home show;
    no aggregation while they are warm)."""
    # The kept figures carry their own versions per subtree (campaign.dashboard_cache): the units alone.
    totals = dashboard.counts_by_requirement(list(Unit.objects.office_roots(user)), campaign, now=now)
    for requirement in requirements:
        requirement.late_units = getattr(totals.get(requirement.pk), "overdue", 0)
    return requirements


def _late_units_item(requirement, now):
    count = requirement.late_units
    line = (ngettext("%(count)d 个单位逾期未报送", "%(count)d 个单位逾期未报送", count) % {"count": count} if count
            else _("有单位逾期未报送"))  # figures a minute old may not count a unit that just became late
    # No countdown: the requirement's own deadline may be days ahead while a unit given an earlier
    # one by its reviewer is already late; the list behind the link says by how much.
    return Item(requirement.title, requirement.get_absolute_url() + "?status=overdue", line + _("，可逐一催办"),
                _("截止 %(due)s") % {"due": due(requirement)}, overdue=True, next_step=_("催办逾期单位"))


def affiliation_reviews(user, scope, now, campaign):
    """Reports whose latest version waits for the affiliation body the person staffs (004)."""
    return awaiting_affiliation(user).in_campaign(campaign)


def _affiliation_item(obligation, now):
    return Item(obligation.requirement.title, obligation.get_absolute_url(),
                _("%(unit)s已报送，请归口党（工）委审阅") % {"unit": obligation.unit.name},
                _("报送于 %(moment)s · %(waited)s") % {
                    "moment": format_moment(obligation.submitted_at), "waited": _waited(obligation.submitted_at, now)},
                next_step=_("审阅本委归口部分并填写意见"))


def _pending_extensions(user, campaign):
    if campaign is None:
        return ExtensionRequest.objects.none()
    return (
        ExtensionRequest.objects.restrict(user, "decide").filter(status=ExtensionRequest.Status.PENDING)
        .filter(Obligation.objects.all().campaign_q(campaign, "obligation__"))
        .select_related("obligation__unit", "obligation__requirement").order_by("requested_at", "pk")
    )


def extension_requests(user, scope, now, campaign):
    """Extension requests (延期申请) waiting for the office's decision: on the routes the office
    decides (campaign.rules "decide_extension")."""
    return _pending_extensions(user, campaign).exclude(obligation__requirement__route=Route.SUPERVISION_FIRST)


def group_extension_requests(user, scope, now, campaign):
    """Extension requests waiting for the group's decision: on the group-first route (004)."""
    return _pending_extensions(user, campaign).filter(obligation__requirement__route=Route.SUPERVISION_FIRST)


def _extension_item(request, now):
    return Item(request.obligation.requirement.title, request.obligation.get_absolute_url(),
                _("%(unit)s申请延期至 %(moment)s：%(reason)s") % {
                    "unit": request.obligation.unit.name, "moment": format_moment(request.requested_due_at),
                    "reason": request.reason},
                _("申请于 %(moment)s · %(waited)s") % {
                    "moment": format_moment(request.requested_at), "waited": _waited(request.requested_at, now)},
                next_step=_("审批延期申请：批准，或说明理由不予批准"))


def draft_requirements(user, scope, now, campaign):
    """Deadlines found in the text of a directive registered from its file (从文件登记) that wait for
    the office to confirm or drop them: no unit has an obligation before (campaign.intake.actions)."""
    if campaign is None:
        return RequirementDraft.objects.none()
    return (RequirementDraft.objects.restrict(user, "decide")
            .filter(status=RequirementDraft.Status.PENDING, directive__campaign=campaign)
            .select_related("directive").order_by("intake__created_at", "ordinal", "pk"))


def _draft_item(draft, now):
    due_text = format_day(draft.due_date) if draft.due_date else draft.deadline_text
    return Item(draft.what or draft.deadline_text, reverse("campaign:intake_drafts", args=[draft.directive_id]),
                _("%(directive)s · 期限“%(deadline)s”") % {"directive": draft.directive, "deadline": draft.deadline_text},
                due_text, next_step=_("确认为报送要求，或说明理由舍弃"))


def intakes_to_finish(user, scope, now, campaign):
    """Files the person began registering (从文件登记) and has neither saved nor abandoned."""
    return (DirectiveIntake.objects.restrict(user, "edit").filter(status=DirectiveIntake.Status.OPEN)
            .order_by("created_at", "pk"))


def _intake_item(intake, now):
    return Item(str(intake), intake.get_absolute_url(), intake.record.get("title") or _("粘贴的文本"),
                _("上传于 %(moment)s · %(waited)s") % {"moment": format_moment(intake.created_at),
                                                     "waited": _waited(intake.created_at, now)},
                next_step=_("核对识别结果后保存为公文，或放弃"))


def chases_to_sign_for(user, scope, now, campaign):
    """Chases (催办) of the unit's open obligations that none of its liaisons has opened since:
    opening the obligation signs for them (campaign.chases.sign_for_chases)."""
    return (
        Chase.objects.filter(received_at__isnull=True)
        .filter(obligation__in=Obligation.objects.restrict(user, "sign_for").in_campaign(campaign)
                .filter(obligation_status.open_q()))
        .select_related("obligation__unit", "obligation__requirement", "chased_by").order_by("-chased_at", "pk")
    )


def _chase_item(chase, now):
    line = _("%(unit)s · %(person)s催办") % {"unit": chase.obligation.unit.name, "person": person_name(chase.chased_by)}
    if chase.note:
        line += f"：{chase.note}"
    return Item(chase.obligation.requirement.title, chase.obligation.get_absolute_url(), line,
                _("催办于 %(moment)s") % {"moment": format_moment(chase.chased_at)}, new=True,
                next_step=_("打开报送任务即签收催办，尽快报送"))


KINDS = (
    Kind("chases", gettext_lazy("催办"), LIAISON, lambda scope: scope.is_liaison, chases_to_sign_for, _chase_item),
    Kind("obligations", gettext_lazy("待报送或补正的材料"), LIAISON, lambda scope: scope.is_liaison,
         obligations_to_submit, _obligation_item, _with_return_reasons),
    Kind("lookback_to_submit", gettext_lazy("待报送的回头看自查报告"), LIAISON, lambda scope: scope.is_liaison,
         lookback_to_submit, _lookback_to_submit_item, _with_report_returns),
    Kind("feedback_to_read", gettext_lazy("待签收的反馈意见"), LIAISON, lambda scope: scope.is_liaison,
         feedback_to_read, _feedback_to_read_item),
    Kind("rectification", gettext_lazy("待报告进展的整改事项"), LIAISON, lambda scope: scope.is_liaison,
         rectification_to_report, _rectification_item, _with_item_returns),
    Kind("sign_off", gettext_lazy("待我签发的反馈意见"), LEADER, lambda scope: any(scope.groups.values()),
         feedback_to_sign_off, _sign_off_item),
    Kind("group_reviews", gettext_lazy("待督导组审核的材料"), GROUP, lambda scope: scope.is_supervisor,
         group_reviews, _review_item),
    Kind("group_lookback_reviews", gettext_lazy("待督查组审核的回头看自查报告"), GROUP, lambda scope: scope.is_supervisor,
         group_lookback_reviews, _lookback_review_item),
    Kind("group_extension_requests", gettext_lazy("待督导组审批的延期申请"), GROUP, lambda scope: scope.is_supervisor,
         group_extension_requests, _extension_item),
    Kind("meetings", gettext_lazy("待列席的专题民主生活会"), GROUP, lambda scope: scope.is_supervisor,
         meetings_to_attend, _meeting_item),
    Kind("close_requests", gettext_lazy("待审核的销号申请"), GROUP, lambda scope: scope.is_supervisor or scope.is_office,
         close_requests, _close_request_item),
    Kind("office_reviews", gettext_lazy("待办公室审核的材料"), OFFICE, lambda scope: scope.is_office,
         office_reviews, _review_item),
    Kind("office_lookback_reviews", gettext_lazy("待上级党组织审核的回头看自查报告"), OFFICE, lambda scope: scope.is_office,
         office_lookback_reviews, _lookback_review_item),
    Kind("extension_requests", gettext_lazy("待审批的延期申请"), OFFICE, lambda scope: scope.is_office,
         extension_requests, _extension_item),
    Kind("late_units", gettext_lazy("逾期未报送的单位"), OFFICE, lambda scope: scope.is_office,
         late_units, _late_units_item, _with_late_counts),
    Kind("affiliation_reviews", gettext_lazy("待归口党（工）委审阅的材料"), OFFICE, lambda scope: scope.is_office,
         affiliation_reviews, _affiliation_item),
    Kind("draft_requirements", gettext_lazy("待确认的报送期限（从文件登记）"), OFFICE, lambda scope: scope.is_office,
         draft_requirements, _draft_item),
    Kind("intakes", gettext_lazy("尚未登记完的文件"), OFFICE, lambda scope: scope.is_office,
         intakes_to_finish, _intake_item),
)


def kinds_for(user):
    """The kinds of item the person's roles hold (no query beyond the scope)."""
    scope = scope_for(user)
    return [kind for kind in KINDS if kind.applies(scope)]


def _query(kind, user, now, campaign):
    return kind.query(user, scope_for(user), now, campaign)


def counts(user, now, campaign, extra=None):
    """{kind name: how many, at most BADGE_CAP + 1 ("999+")} for the badge, no rows: the COUNT of every kind of the person's roles
    in ONE query (a SELECT of one scalar subquery per kind), since the badge is on every page and
    an office holds several kinds. Each subquery is the kind's own queryset, compiled as Django
    would run it, so the badge counts exactly what the page lists. `extra` ({name: queryset}) rides
    along: the top bar's unread notifications, so the shell costs no more queries than before."""
    found, parts = {}, []
    querysets = [(kind.name, _query(kind, user, now, campaign)) for kind in kinds_for(user)]
    for name, queryset in querysets + list((extra or {}).items()):
        found[name] = 0
        if queryset is None:
            continue
        # Plain rows are counted by key (a grouped queryset keeps its own columns); order is irrelevant.
        # Counted no further than the badge shows (core.paging.BADGE_CAP: "999+").
        queryset = (queryset if queryset._fields else queryset.values("pk")).order_by()[: paging.BADGE_CAP + 1]
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # the rules grant nothing here: zero without asking
            continue
        parts.append((name, sql, params))
    if parts:
        select = ", ".join(f"(SELECT COUNT(*) FROM ({sql}) todo_{n})" for n, (_, sql, _) in enumerate(parts))
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"SELECT {select}", [value for _, _, params in parts for value in params])
            row = cursor.fetchone()
        found.update({name: count for (name, _, _), count in zip(parts, row, strict=True)})
    return found


def _items(kind, user, now, campaign, rows):
    if kind.prepare is not None and rows:
        rows = kind.prepare(user, now, campaign, rows)
    return [kind.item(row, now) for row in rows]


def sections(user, now, campaign, limit=PAGE_LIMIT):
    """The page: every kind of the person's roles with its count and its first `limit` items. A kind
    whose rows do not fill the page is counted from them (no COUNT query)."""
    found = []
    for kind in kinds_for(user):
        queryset = _query(kind, user, now, campaign)
        if queryset is None:
            found.append(Section(kind, 0))
            continue
        rows = list(queryset[:limit])
        count = len(rows) if len(rows) < limit else paging.capped_count(queryset, paging.BADGE_CAP)
        found.append(Section(kind, count, _items(kind, user, now, campaign, rows)))
    return found


_UNREAD = "_unread"


def _kept_name(request):
    return kept_name("todo", current_campaign(request))


def request_counts(request):
    """The counts of the request's person, worked out once per request with the unread notifications
    of the top bar (the badge, the page and the home panel share them), and kept for the person a
    short while (core.personal_cache: their own changes and notices to them show at once)."""
    if not hasattr(request, "_todo_counts"):
        def count():
            found = counts(request.user, clock.now(), current_campaign(request),
                           extra={_UNREAD: Notification.objects.restrict(request.user).unread()})
            return {"unread": found.pop(_UNREAD), "counts": found}

        kept = personal_cache.remember(request.user, _kept_name(request), count)
        request._unread_count = kept["unread"]
        request._todo_counts = dict(kept["counts"])
    return request._todo_counts


def unread_count(request):
    """The person's unread notifications (the bell), counted with the to-do unless the to-do page
    already counted its kinds from its rows."""
    if not hasattr(request, "_unread_count"):
        if hasattr(request, "_todo_counts"):
            request._unread_count = Notification.objects.restrict(request.user).unread().count()
        else:
            request_counts(request)
    return request._unread_count


def remember_counts(request, found_sections):
    """The page worked the counts out already, afresh: the badge reads them instead of counting
    again, and they are kept for the person's next pages."""
    request._todo_counts = {section.kind.name: section.count for section in found_sections}
    personal_cache.store(request.user, _kept_name(request),
                         {"unread": unread_count(request), "counts": dict(request._todo_counts)})


def total(request):
    return sum(request_counts(request).values())


def panel_items(user, now, campaign, known_counts, limit=PANEL_LIMIT):
    """The first `limit` items in the order of the page, querying only kinds that have some, and
    only until they are found."""
    items = []
    for kind in kinds_for(user):
        if len(items) >= limit:
            break
        if not known_counts.get(kind.name):
            continue
        queryset = _query(kind, user, now, campaign)
        if queryset is None:
            continue
        items += [(kind, item) for item in _items(kind, user, now, campaign, list(queryset[: limit - len(items)]))]
    return items
