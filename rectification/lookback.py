"""A unit's look-back self-inspection report (整改落实自查情况报告, 004) on the one transition
engine (access.transitions).

States: draft (草稿) → submitted (已报送) → accepted (已通过), or returned (退回重报: 回炉, 002)
with the reviewer's reason, after which the unit revises and submits again.

004 (二、方法步骤 1): 各单位自查……分析问题，提出深化整改措施，形成整改落实自查情况报告，报上级党组织
和督查组审核. So:

- the unit's liaisons submit it (rules "submit"), once every checkpoint is answered and every
  area that falls short (未达到，需回炉) says why and what deepening measures follow (its own
  `measures`; also a form rule and the DB constraint redo_finding_explained);
- it goes to both reviewers: the superior organisation (an office strictly above the unit,
  rules "review_as_office") and the supervision group over the unit ("review_as_group");
- both must accept it (审核 by each): the report is accepted when the second side accepts.
  Either side may return it with its reason; a return sends it back to the unit at once (the
  unit cannot be half-rectified), and the unit's next submission asks both again.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import can
from access.transitions import Machine, Transition, TransitionRefused, reason_given
from audit.models import AuditEntry
from audit.services import change
from campaign.gates import LOOK_BACK_PHASE_CODE
from campaign.models import Obligation
from core import clock
from rectification.models import LookBackCheckpoint, LookBackReport

DRAFT, SUBMITTED, RETURNED, ACCEPTED = (
    LookBackReport.Status.DRAFT, LookBackReport.Status.SUBMITTED, LookBackReport.Status.RETURNED, LookBackReport.Status.ACCEPTED,
)
OFFICE, GROUP = "office", "group"
SIDE_LABELS = {OFFICE: gettext_lazy("上级党组织"), GROUP: gettext_lazy("督查组")}
_SIDE_FIELDS = {side: (f"{side}_accepted_by", f"{side}_accepted_at") for side in (OFFICE, GROUP)}


def every_checkpoint_answered(report, inputs):
    """004 三查三看: a report answers every point of the checklist before it is submitted."""
    missing = LookBackCheckpoint.objects.exclude(lookbackfinding__report=report).order_by("ordinal")
    return [_("检查项“%(area)s”尚未填写结论。") % {"area": checkpoint.area} for checkpoint in missing]


def unexplained_redo(findings):
    """The sentences for the 回炉 findings among `findings` that lack their explanation or measures."""
    return [
        _("检查项“%(area)s”结论为未达到，须写明说明和深化整改措施。") % {"area": finding.checkpoint.area}
        for finding in findings if finding.is_unexplained_redo
    ]


def redo_explained(report, inputs):
    """004: 分析问题，提出深化整改措施 — an area that falls short says why and what will be done."""
    return unexplained_redo(report.findings.select_related("checkpoint").order_by("checkpoint__ordinal"))


def sides_of(report, user):
    """The reviewing sides `user` holds over the report's unit (rules review_as_office / _group)."""
    return [side for side in (OFFICE, GROUP) if can(user, f"review_as_{side}", report)]


def side_to_decide(report, user):
    """The side in whose name `user` accepts now: the first they hold that has not accepted yet."""
    return next((side for side in sides_of(report, user) if getattr(report, _SIDE_FIELDS[side][0] + "_id") is None), None)


def awaited_sides(report):
    """The sides whose acceptance a submitted report still waits for."""
    return [side for side in (OFFICE, GROUP) if getattr(report, _SIDE_FIELDS[side][0] + "_id") is None]


def side_still_to_decide(report, inputs):
    """One acceptance per side: a reviewer whose side has accepted waits for the other (004: 上级党组织和督查组)."""
    if inputs.get("side"):
        return []
    return [_("您一方已审核通过，正在等待%(others)s审核。") % {
        "others": "、".join(str(SIDE_LABELS[side]) for side in awaited_sides(report))}]


def look_back_obligation(report):
    """The unit's obligation under the campaign's look-back requirement (004: 整改落实自查情况报告, the
    requirements of the campaign's look-back phase that bind the unit), if one was issued."""
    return (
        Obligation.objects.in_campaign(report.campaign)
        .filter(unit_id=report.unit_id, requirement__phase__code=LOOK_BACK_PHASE_CODE, requirement__is_active=True,
                period_start__isnull=True)
        .order_by("pk").first()
    )


def last_returns(reports):
    """{report id: the trail's entry of the latest 退回重报} for those of `reports` now returned (the
    report page's reason box, the to-do's next step)."""
    return AuditEntry.objects.latest_for(LookBackReport, [r.pk for r in reports if r.status == RETURNED], "return")


_UNIT = gettext_lazy("本单位联络员")
_REVIEWER = gettext_lazy("上级党组织（上级领导小组办公室）或督查组")
TRANSITIONS = (
    Transition("submit", (DRAFT, RETURNED), SUBMITTED, "submit", _UNIT, gettext_lazy("报送"),
               guards=(every_checkpoint_answered, redo_explained)),
    Transition("accept", (SUBMITTED,), ACCEPTED, "review", _REVIEWER, gettext_lazy("审核通过"),
               guards=(side_still_to_decide,)),
    Transition("return", (SUBMITTED,), RETURNED, "review", _REVIEWER, gettext_lazy("退回重报"),
               guards=(reason_given(gettext_lazy("退回重报时必须说明理由（哪些方面须回炉）。")),)),
)
_WAITING = gettext_lazy("报告已报送，正在等待审核。")
_DONE = gettext_lazy("报告已审核通过。")
_NOT_SUBMITTED = gettext_lazy("报告尚未报送，无可审核。")
REFUSALS = {
    ("submit", SUBMITTED): _WAITING,
    ("submit", ACCEPTED): _DONE,
    ("accept", DRAFT): _NOT_SUBMITTED,
    ("accept", RETURNED): _NOT_SUBMITTED,
    ("accept", ACCEPTED): _DONE,
    ("return", DRAFT): _NOT_SUBMITTED,
    ("return", RETURNED): _NOT_SUBMITTED,
    ("return", ACCEPTED): _DONE,
}
MACHINE = Machine(LookBackReport, TRANSITIONS, REFUSALS)
EDITABLE = (DRAFT, RETURNED)


def _clear_acceptances(report):
    changes = {}
    for by, at in _SIDE_FIELDS.values():
        if getattr(report, by + "_id") is not None:
            changes[by] = change(getattr(report, by), None)
            setattr(report, by, None)
            setattr(report, at, None)
    return changes


def transition(report, action, user, reason=""):
    """Move `report` by `action` for `user`; returns the updated report.

    - submit: both sides are asked afresh (earlier acceptances cleared); the report is linked to
      its obligation (look_back_obligation) the first time.
    - accept: in the name of the side `user` holds that has not accepted yet; the report is
      accepted when both sides have.
    - return: by either side, with `reason`; the acceptances are cleared.
    """
    side = side_to_decide(report, user) if action == "accept" else None

    def effect(locked, rule, inputs):
        if action == "submit":
            changes = _clear_acceptances(locked)
            if locked.obligation_id is None:
                locked.obligation = look_back_obligation(locked)
                if locked.obligation is not None:
                    changes["obligation"] = change(None, locked.obligation)
            return changes, None
        if action == "return":
            return _clear_acceptances(locked), None
        side_now = side_to_decide(locked, user)  # as the locked row stands (two of one side at once)
        if side_now is None:
            raise TransitionRefused(" ".join(side_still_to_decide(locked, {})))
        by, at = _SIDE_FIELDS[side_now]
        setattr(locked, by, user)
        setattr(locked, at, clock.now())
        changes = {by: change(None, user)}
        return changes, (ACCEPTED if not awaited_sides(locked) else SUBMITTED)

    return MACHINE.run(report, action, user, reason=reason, inputs={"side": side}, effect=effect,
                       lock_related=("unit", "campaign"))
