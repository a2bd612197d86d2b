"""The obligation state machine, on the one transition engine (access.transitions).

States (campaign.status.ObligationStatus): pending → submitted → returned / accepted; an
accepted obligation may be reopened (DESIGN: Obligation). An office over the unit may excuse it
from one obligation while it waits for the unit (免报: pending / returned → exempt, with a
reason) and withdraw that (exempt → pending, with a reason). `transition()` is the one way an
obligation changes state, for the pages, the admin, commands and the API alike: it locks
the row, checks the state, the person (access.policy) and the guards, writes the new
version or the review, the timestamps and the audit row, in one transaction.

Seeds: 000 (the preliminary written summary is reported, then reviewed), 003 and 004
(supervision groups review materials first when the route says so; a return carries
reasons and may carry a new due date).
"""

from functools import partial

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import scope_for
from access.transitions import Machine, Transition, TransitionRefused, reason_given  # noqa: F401 (TransitionRefused re-exported)
from audit.services import change
from campaign.models import OFFICE_DECIDES, Obligation, ObligationStatus, Requirement, Review, Route, Submission
from campaign.status import is_late_submission
from campaign.uploads import add_submission_file
from core import clock
from files.storage import store_files

PENDING, SUBMITTED, RETURNED, ACCEPTED, EXEMPT = (
    ObligationStatus.PENDING,
    ObligationStatus.SUBMITTED,
    ObligationStatus.RETURNED,
    ObligationStatus.ACCEPTED,
    ObligationStatus.EXEMPT,
)


def something_submitted(obligation, inputs):
    """A version says or carries something: a text or at least one file."""
    if (inputs.get("text") or "").strip() or inputs.get("files"):
        return []
    return [_("请填写说明或上传至少一个文件。")]


def new_due_moment_is_later(obligation, inputs):
    """A return may give the unit a new due moment, which must lie ahead (rule 3)."""
    new_due_at = inputs.get("new_due_at")
    if new_due_at is not None and new_due_at <= clock.now():
        return [_("新的截止时间必须晚于现在。")]
    return []


def no_new_due_moment(obligation, inputs):
    """Only a return moves the due moment."""
    if inputs.get("new_due_at") is not None:
        return [_("只有退回时可以调整截止时间。")]
    return []


_LIAISON = gettext_lazy("本单位联络员")
_REVIEWER = gettext_lazy("审核方（督导组或领导小组办公室）")
_OFFICE = gettext_lazy("报送至的领导小组办公室（或其上级）")
_REASON = reason_given(gettext_lazy("退回或重新打开时必须说明理由。"))

TRANSITIONS = (
    Transition("submit", (PENDING, RETURNED), SUBMITTED, "submit", _LIAISON, gettext_lazy("报送"),
               guards=(something_submitted, no_new_due_moment)),
    Transition("approve", (SUBMITTED,), ACCEPTED, "review", _REVIEWER, gettext_lazy("通过"), guards=(no_new_due_moment,)),
    Transition("return", (SUBMITTED,), RETURNED, "review", _REVIEWER, gettext_lazy("退回"),
               guards=(_REASON, new_due_moment_is_later)),
    Transition("reopen", (ACCEPTED,), RETURNED, "reopen", _REVIEWER, gettext_lazy("重新打开"), guards=(_REASON, no_new_due_moment)),
    Transition("exempt", (PENDING, RETURNED), EXEMPT, "exempt", _OFFICE, gettext_lazy("免报"),
               guards=(reason_given(gettext_lazy("免报时必须说明理由。")), no_new_due_moment)),
    Transition("unexempt", (EXEMPT,), PENDING, "exempt", _OFFICE, gettext_lazy("撤销免报"),
               guards=(reason_given(gettext_lazy("撤销免报时必须说明理由。")), no_new_due_moment)),
)
_EXEMPT_ALREADY = gettext_lazy("本项已免报，无需报送或审核；如需报送，请领导小组办公室先撤销免报。")
_ONLY_OPEN_EXEMPTED = gettext_lazy("只有待报送或已退回的报送任务才能免报；材料已报送或已通过的，不能免报。")
_NOT_EXEMPT = gettext_lazy("本项未免报，无可撤销。")

# Why an action is refused in a given state, in words a liaison understands.
_STATE_REASONS = {
    ("submit", SUBMITTED): gettext_lazy("材料已报送，正在等待审核，审核前不能再次报送。"),
    ("submit", ACCEPTED): gettext_lazy("材料已审核通过，不能再报送；如需修改，请审核方重新打开。"),
    ("approve", PENDING): gettext_lazy("尚未报送材料，不能审核通过。"),
    ("approve", RETURNED): gettext_lazy("材料已退回，须待单位重新报送后才能审核。"),
    ("approve", ACCEPTED): gettext_lazy("材料已审核通过，无需再次通过。"),
    ("return", PENDING): gettext_lazy("尚未报送材料，无可退回。"),
    ("return", RETURNED): gettext_lazy("材料已退回，须待单位重新报送后才能审核。"),
    ("return", ACCEPTED): gettext_lazy("材料已审核通过，不能直接退回；如需修改，请先重新打开。"),
    ("reopen", PENDING): gettext_lazy("只有已通过的材料才能重新打开。"),
    ("reopen", SUBMITTED): gettext_lazy("只有已通过的材料才能重新打开。"),
    ("reopen", RETURNED): gettext_lazy("只有已通过的材料才能重新打开。"),
    ("submit", EXEMPT): _EXEMPT_ALREADY,
    ("approve", EXEMPT): _EXEMPT_ALREADY,
    ("return", EXEMPT): _EXEMPT_ALREADY,
    ("reopen", EXEMPT): _EXEMPT_ALREADY,
    ("exempt", SUBMITTED): _ONLY_OPEN_EXEMPTED,
    ("exempt", ACCEPTED): _ONLY_OPEN_EXEMPTED,
    ("exempt", EXEMPT): gettext_lazy("本项已免报。"),
    ("unexempt", PENDING): _NOT_EXEMPT,
    ("unexempt", SUBMITTED): _NOT_EXEMPT,
    ("unexempt", RETURNED): _NOT_EXEMPT,
    ("unexempt", ACCEPTED): _NOT_EXEMPT,
}

MACHINE = Machine(Obligation, TRANSITIONS, _STATE_REASONS)
available_actions = MACHINE.available_actions
# The state and the person, before a posted form is even read (its guards come with the form's values).
precheck = partial(MACHINE.check, guards=False)


def transition(obligation, action, user, reason="", *, text="", files=(), new_due_at=None):
    """Move `obligation` by `action` on behalf of `user`; returns the updated obligation.

    - submit: a new Submission version with `text` and `files` (never overwrites an earlier one),
      judged late or not against the due moment in force (campaign.status); if the requirement
      needs no review, the version is accepted at once.
    - approve / return: a Review of the latest version; a return needs `reason` and may set
      `new_due_at` (the obligation's due moment moves, the requirement's does not).
    - reopen: an accepted obligation goes back to returned with `reason`, so the unit may submit again.
    - exempt: an office over the unit excuses it (免报) with `reason`: who, when and why are kept on
      the obligation while it is exempt; unexempt withdraws that with `reason` (back to pending).
    """
    inputs = {"text": text, "files": list(files), "new_due_at": new_due_at}

    def effect(locked, rule, inputs):
        now = clock.now()
        if action == "submit":
            return _submit(locked, user, inputs, stored, now)
        if action in {"exempt", "unexempt"}:
            return _exemption(locked, action, user, inputs["reason"], now), None
        if action in {"approve", "return"}:
            _record_review(locked, action, user, inputs["reason"], inputs["new_due_at"], now)
            if action == "approve":
                locked.accepted_at = now
                return {"accepted_at": change(None, now)}, None
            if inputs["new_due_at"] is not None:
                before, locked.due_at = locked.due_at, inputs["new_due_at"]
                return {"due_at": change(before, locked.due_at)}, None
            return {}, None
        before, locked.accepted_at = locked.accepted_at, None  # reopen
        return {"accepted_at": change(before, None)}, None

    with store_files() as stored:
        return MACHINE.run(obligation, action, user, reason=reason, inputs=inputs, effect=effect,
                           lock_related=("requirement__submit_to", "unit"))


def _exemption(obligation, action, user, reason, now):
    """Who excused the unit, when and why, set by exempt and cleared by unexempt (the audit row keeps both)."""
    fields = ("exempted_by", "exempted_at", "exemption_reason")
    before = {name: getattr(obligation, name) for name in fields}
    after = dict(zip(fields, (user, now, reason) if action == "exempt" else (None, None, ""), strict=True))
    for name, value in after.items():
        setattr(obligation, name, value)
    return {name: change(before[name], after[name]) for name in fields if before[name] != after[name]}


def _submit(obligation, user, inputs, stored, now):
    version = (obligation.submissions.aggregate(v=Max("version"))["v"] or 0) + 1
    submission = Submission.objects.create(
        obligation=obligation, version=version, text=(inputs["text"] or "").strip(), submitted_by=user, submitted_at=now,
        due_at=obligation.due_at,
    )
    names = [add_submission_file(stored, submission, upload).original_name for upload in inputs["files"]]
    late = is_late_submission(now, obligation.due_at)
    changes = {"version": change(version - 1 or None, version)}
    if names:
        changes["files"] = change(None, names)
    if late and not obligation.submitted_late:
        changes["submitted_late"] = change(False, True)
    obligation.submitted_at = now
    obligation.first_submitted_at = obligation.first_submitted_at or now
    obligation.submitted_late = obligation.submitted_late or late
    if obligation.received_at is None:  # a unit that reports has received its task (签收), opened or not
        obligation.received_at, obligation.received_by = now, user
        changes["received_at"] = change(None, now)
    if not obligation.requirement.review_required:
        obligation.accepted_at = now
        return changes, ACCEPTED
    return changes, None


def reviewed_for(obligation, user):
    """In whose name `user` reviews: the supervision group assigned to the unit on the
    supervision-first route (004), else the office the report is submitted to."""
    if obligation.requirement.route == Route.SUPERVISION_FIRST:
        assignments = scope_for(user).assignments_for(obligation.unit)
        if assignments:
            return assignments[0].group_name
    return _("%(unit)s领导小组办公室") % {"unit": obligation.requirement.submit_to.name}


def _record_review(obligation, action, user, reason, new_due_at, now):
    submission = obligation.submissions.order_by("-version").first()
    return Review.objects.create(
        obligation=obligation,
        submission=submission,
        reviewed_for=reviewed_for(obligation, user),
        reviewer=user,
        decision=Review.Decision.APPROVE if action == "approve" else Review.Decision.RETURN,
        reason=reason,
        new_due_at=new_due_at,
        created_at=now,
    )


def review_queue(user, routes):
    """Submitted versions on `routes` waiting for `user`'s review: the obligations `user` may review
    (Obligation.objects.restrict(user, "review")) in the state a review starts from.

    The requirements on `routes` are read first (a few rows) and named by id: joined instead,
    PostgreSQL expects a tenth of all waiting reports on any route and walks them in queue order
    looking for a page of them; with none on the route (no requirement goes through the supervision
    groups first) that was all 650,000 waiting reports of 500,000 units on every group page (1.2 s)."""
    routed = list(Requirement.objects.filter(route__in=routes).order_by().values_list("pk", flat=True))
    return (
        Obligation.objects.restrict(user, "review")
        .filter(status__in=MACHINE.by_action["approve"].sources, requirement_id__in=routed)
        .select_related("requirement", "unit")
        .order_by("submitted_at", "pk")
    )


def office_review_queue(user):
    """What the user's office reviews (003, 004: route office, and the office's decision on the route
    that also reaches the affiliation body)."""
    return review_queue(user, OFFICE_DECIDES)


def group_review_queue(user):
    """What the user's supervision groups review first (004: route supervision)."""
    return review_queue(user, (Route.SUPERVISION_FIRST,))
