"""The obligation state machine: the one place that moves an obligation between states.

States (ObligationStatus): pending → submitted → returned / accepted (DESIGN: Obligation).
Every allowed move is a row of TRANSITIONS; `transition()` checks the table and
`access.rules.can()`, updates the timestamps, writes the review or submission rows and
the audit row (DESIGN rule 10: 留痕), all inside one transaction with the obligation row
locked. A refused move raises TransitionRefused with a plain Chinese reason.

Seeds: 000 (the preliminary written summary is reported, then reviewed), 003 and 004
(supervision groups review materials first when the route says so; a return carries
reasons and may carry a new due date).
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import scope_for
from access.transitions import StateMachine, Transition, TransitionRefused  # noqa: F401 (re-exported)
from audit.services import record
from campaign.models import Obligation, ObligationStatus, Review, Route, Submission
from campaign.status import is_late_submission
from core import clock

PENDING, SUBMITTED, RETURNED, ACCEPTED = (
    ObligationStatus.PENDING,
    ObligationStatus.SUBMITTED,
    ObligationStatus.RETURNED,
    ObligationStatus.ACCEPTED,
)


_LIAISON = gettext_lazy("本单位联络员")
_REVIEWER = gettext_lazy("审核方（督导组或领导小组办公室）")

TRANSITIONS = (
    Transition("submit", (PENDING, RETURNED), SUBMITTED, "submit", _LIAISON, gettext_lazy("报送"), ObligationStatus),
    Transition("approve", (SUBMITTED,), ACCEPTED, "review", _REVIEWER, gettext_lazy("通过"), ObligationStatus),
    Transition("return", (SUBMITTED,), RETURNED, "review", _REVIEWER, gettext_lazy("退回"), ObligationStatus),
    Transition("reopen", (ACCEPTED,), RETURNED, "reopen", _REVIEWER, gettext_lazy("重新打开"), ObligationStatus),
)

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
}


MACHINE = StateMachine(TRANSITIONS, _STATE_REASONS)
available_actions = MACHINE.available_actions
check = MACHINE.check


def check_input(action, reason, text, files, new_due_at):
    """What each action needs besides the right state and person: reasons, content, a later due date."""
    if action in {"return", "reopen"} and not reason:
        raise TransitionRefused(_("退回或重新打开时必须说明理由。"))
    if new_due_at is not None and action != "return":
        raise TransitionRefused(_("只有退回时可以调整截止时间。"))
    if new_due_at is not None and new_due_at <= clock.now():
        raise TransitionRefused(_("新的截止时间必须晚于现在。"))
    if action == "submit" and not (text or "").strip() and not files:
        raise TransitionRefused(_("请填写说明或上传至少一个文件。"))


def transition(obligation, action, user, reason="", *, text="", files=(), new_due_at=None):
    """Move `obligation` by `action` on behalf of `user`; returns the refreshed obligation.

    - submit: a new Submission version with `text` and `files` (never overwrites an earlier one);
      if the requirement needs no review, the submission is accepted at once.
    - approve / return: a Review of the latest submission; a return needs `reason` and may set
      `new_due_at` (the obligation's due moment moves, the requirement's does not).
    - reopen: an accepted obligation goes back to returned with `reason`, so the unit may submit again.
    """
    from campaign.uploads import store_files

    reason = (reason or "").strip()
    with store_files() as stored, transaction.atomic():
        locked = (
            Obligation.objects.select_for_update(of=("self",))
            .select_related("requirement__submit_to", "unit")
            .get(pk=obligation.pk)
        )
        rule = check(locked, action, user)
        check_input(action, reason, text, files, new_due_at)
        now = clock.now()
        from_state = locked.status
        target = rule.target
        changes = {}
        if action == "submit":
            version = (locked.submissions.aggregate(v=Max("version"))["v"] or 0) + 1
            submission = Submission.objects.create(
                obligation=locked, version=version, text=(text or "").strip(), submitted_by=user, submitted_at=now,
                due_at=locked.due_at,
            )
            for upload in files:
                stored.append(submission, upload)
            locked.submitted_at = now
            locked.first_submitted_at = locked.first_submitted_at or now
            locked.submitted_late = locked.submitted_late or is_late_submission(now, locked.due_at)
            changes = {"version": version, "files": [f.original_name for f in submission.files.all()]}
            if not locked.requirement.review_required:
                target = ACCEPTED
                locked.accepted_at = now
        elif action in {"approve", "return"}:
            _record_review(locked, action, user, reason, new_due_at, now)
            if action == "approve":
                locked.accepted_at = now
            elif new_due_at is not None:
                changes = {"due_at": [locked.due_at.isoformat(), new_due_at.isoformat()]}
                locked.due_at = new_due_at
        elif action == "reopen":
            locked.accepted_at = None
        locked.status = target
        locked.save()
        record(locked, action, actor=user, from_state=from_state, to_state=target, changes=changes, reason=reason)
        if action != "submit":
            notify_liaisons(locked, action, reason)
    return locked


def notify_liaisons(obligation, action, reason):
    """Tell the unit's liaisons what the reviewer decided, and why."""
    from notifications.inbox import notify_unit_liaisons

    titles = {
        "approve": _("“%(title)s”已审核通过"),
        "return": _("“%(title)s”被退回，请修改后重新报送"),
        "reopen": _("“%(title)s”已重新打开，请重新报送"),
    }
    title = titles[action] % {"title": obligation.requirement.title}
    notify_unit_liaisons(obligation.unit, title, reason, obligation.get_absolute_url())


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


def review_queue(user, route):
    """Submitted versions on `route` waiting for `user`'s review: the obligations `user` may review
    (Obligation.objects.restrict(user, "review")) in the state a review starts from."""
    return (
        Obligation.objects.restrict(user, "review")
        .filter(status__in=MACHINE.by_action["approve"].sources, requirement__route=route)
        .select_related("requirement", "unit")
        .order_by("submitted_at", "pk")
    )


def office_review_queue(user):
    """What the user's office reviews (003, 004: route office)."""
    return review_queue(user, Route.OFFICE)


def group_review_queue(user):
    """What the user's supervision groups review first (004: route supervision)."""
    return review_queue(user, Route.SUPERVISION_FIRST)
