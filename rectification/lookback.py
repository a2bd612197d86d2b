"""A unit's look-back self-inspection report (整改落实自查情况报告, 004) on the one transition
engine (access.transitions).

States: draft (草稿) → submitted (已报送) → accepted (已通过), or returned (退回重报: 回炉, 002)
with the reviewer's reason, after which the unit revises and submits again. The unit (its
liaisons and its office) keeps the report; the reviewer is the supervision group over the unit
or an office above it (004: units self-inspect and report to their superior Party
organisation and supervision group).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.transitions import Machine, Transition, reason_given
from rectification.models import LookBackCheckpoint, LookBackReport

DRAFT, SUBMITTED, RETURNED, ACCEPTED = (
    LookBackReport.Status.DRAFT, LookBackReport.Status.SUBMITTED, LookBackReport.Status.RETURNED, LookBackReport.Status.ACCEPTED,
)


def every_checkpoint_answered(report, inputs):
    """004 三查三看: a report answers every point of the checklist before it is submitted."""
    missing = LookBackCheckpoint.objects.exclude(lookbackfinding__report=report).order_by("ordinal")
    return [_("检查项“%(area)s”尚未填写结论。") % {"area": checkpoint.area} for checkpoint in missing]


_UNIT = gettext_lazy("本单位联络员或上级领导小组办公室")
_REVIEWER = gettext_lazy("督导组或上级领导小组办公室")
TRANSITIONS = (
    Transition("submit", (DRAFT, RETURNED), SUBMITTED, "edit", _UNIT, gettext_lazy("报送"), guards=(every_checkpoint_answered,)),
    Transition("accept", (SUBMITTED,), ACCEPTED, "review", _REVIEWER, gettext_lazy("审核通过")),
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


def transition(report, action, user, reason=""):
    return MACHINE.run(report, action, user, reason=reason, lock_related=("unit",))
