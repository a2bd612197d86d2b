"""Who may do what to which object (DESIGN rules 9 and 11): `can(user, action, obj)`.

Views never decide permissions themselves: lists, details, downloads, exports and htmx
fragments take their rows from `units.scope.visible()` / the models' `visible_to(user)`,
and every action on one object asks `can(user, action, obj)`. Seeing an object is
``can(user, "view", obj)``, which is exactly "the object is in visible_to(user)".

Roles (one person may hold several; they add up):

Leading-group office staff (领导小组办公室), attached to an office unit, over that unit's subtree
    Unit: view, edit, move, deactivate, manage, export, spot_check
    Directive: view (issued in the subtree or above it); edit, delete, add_requirement
    (issued in the subtree); forward (any directive they can see)
    Requirement: view; edit, fan_out (directive issued in the subtree)
    Obligation: view, remind; review (approve / return) and reopen when the requirement
    is routed to the office and reported to a unit in the subtree
    Submission, SubmissionFile, Review: view / download
    SupervisionGroup, GroupAssignment: view, manage (groups dispatched from the subtree)
    Visit, Evaluation, SpotCheck: view; SpotCheck edit when made by the subtree's office
    Feedback: view once signed off (unit in the subtree)
    Meeting: view, record; RectificationPlan / RectificationItem: view, edit, update, evaluate;
    approve_close of an item of a unit strictly below the office
    StudyRecord: view, edit; Opinion: view, edit, claim; LookBackReport: view
Supervision group members (督导组), over the units currently assigned to their group
    (an ended assignment ends the access on its end date)
    Unit: view, supervise (record visits, evaluations, draft feedback)
    Directive / Requirement: view (issued above an assigned unit)
    Obligation: view; review and reopen when routed to the supervision group first (004)
    Submission, SubmissionFile, Review: view / download
    SupervisionGroup: view, work (own groups)
    Feedback: view (own group); edit, request_sign_off (draft); sign_off (leader only,
    pending, 001)
    Visit, Evaluation: view, edit (own group, unit still assigned)
    Meeting: view, attend (003); RectificationItem: view, evaluate, approve_close (004 销号)
Unit liaisons (单位联络员), over their own unit
    Unit: view, act_for
    Directive / Requirement: view (issued above their unit)
    Obligation: view; submit (pending or returned)
    Submission, SubmissionFile, Review: view / download
    Feedback: view once signed off (rule 9)
    Meeting: view, record; StudyRecord: view, edit; Opinion: view, claim
    RectificationPlan / RectificationItem: view, edit, update, request_close, evaluate;
    LookBackReport: view, edit
Superusers
    every action above on every object; state preconditions (e.g. only pending feedback
    can be signed off) still apply.
Nobody
    edits or deletes an AuditEntry (rule 10: 留痕 is append-only).
"""

from units.scope import scope_for, visible


def is_office_over(user, unit):
    """Office staff whose subtree contains `unit`."""
    return scope_for(user).is_office_over(unit)


def is_office_strictly_above(user, unit):
    """Office staff of a unit above `unit` (a reviewer that is not the unit itself)."""
    scope = scope_for(user)
    return scope.everything or any(unit.path.startswith(path) and unit.path != path for path in scope.office_paths)


def is_liaison_of(user, unit):
    return scope_for(user).is_liaison_of(unit)


def supervises(user, unit):
    """A member of a supervision group currently assigned to `unit` (directly or by subtree)."""
    return scope_for(user).supervises(unit)


def supervising_groups(user, unit, on=None):
    """The user's supervision groups assigned to `unit` on `on` (default today), ordered by id."""
    from supervision.models import GroupAssignment, SupervisionGroup

    if on is None:
        ids = scope_for(user).supervising_group_ids(unit)
    else:
        prefixes = [unit.path[:end] for end in range(5, len(unit.path) + 1, 5)]
        ids = {
            group_id
            for group_id, unit_id, subtree in GroupAssignment.objects.current(on)
            .filter(group__members__user=user, unit__path__in=prefixes)
            .values_list("group_id", "unit_id", "include_subtree")
            if unit_id == unit.pk or subtree
        }
    return list(SupervisionGroup.objects.filter(pk__in=ids).order_by("pk")) if ids else []


def group_roles(user):
    """{supervision group id: is_leader} for every group the user belongs to (one query per request)."""
    cached = getattr(user, "_group_roles", None)
    if cached is None:
        from supervision.models import GroupMember

        cached = dict(GroupMember.objects.filter(user=user).values_list("group_id", "is_leader"))
        user._group_roles = cached
    return cached


def is_member(user, group_id):
    return user.is_superuser or group_id in group_roles(user)


def is_leader(user, group_id):
    return user.is_superuser or group_roles(user).get(group_id, False)


def can_see(user, obj):
    """The object is in its model's visible set (the same rule the lists use)."""
    return visible(type(obj)._default_manager.all(), user).filter(pk=obj.pk).exists()


def can_see_unit(user, unit):
    return can_see(user, unit)


def _unit(user, action, unit):
    if action in {"edit", "move", "deactivate", "manage", "export", "spot_check"}:
        return is_office_over(user, unit)
    if action == "act_for":
        return is_liaison_of(user, unit)
    if action == "supervise":
        return supervises(user, unit)
    return False


def _directive(user, action, directive):
    if action in {"edit", "delete", "add_requirement"}:
        return is_office_over(user, directive.issuing_unit)
    if action == "forward":
        scope = scope_for(user)
        return bool(scope.everything or scope.office_paths) and can_see(user, directive)
    return False


def _requirement(user, action, requirement):
    if action in {"edit", "fan_out"}:
        return is_office_over(user, requirement.directive.issuing_unit)
    return False


def _obligation(user, action, obligation):
    from campaign.models import Route

    if action == "submit":
        from campaign.status import OPEN_STATUSES

        return is_liaison_of(user, obligation.unit) and obligation.status in OPEN_STATUSES
    if action in {"review", "reopen"}:
        # 004: some reports go through the supervision group first; the rest to the office.
        if obligation.requirement.route == Route.SUPERVISION_FIRST:
            return supervises(user, obligation.unit)
        return is_office_over(user, obligation.requirement.submit_to) and is_office_over(user, obligation.unit)
    if action == "remind":
        return is_office_over(user, obligation.unit)
    return False


def _group(user, action, group):
    if action == "manage":
        return is_office_over(user, group.office)
    if action == "work":
        return is_member(user, group.pk)
    return False


def _assignment(user, action, assignment):
    if action in {"edit", "end", "delete", "manage"}:
        return is_office_over(user, assignment.group.office)
    return False


def _group_record(user, action, record):
    """Visits and evaluations: written by the group's members while the unit is assigned."""
    if action == "edit":
        return is_member(user, record.group_id) and supervises(user, record.unit)
    return False


def _feedback(user, action, feedback):
    from supervision.models import Feedback

    if action in {"edit", "request_sign_off"}:
        return is_member(user, feedback.group_id) and feedback.status == Feedback.Status.DRAFT
    if action == "sign_off":
        # 001: 给督导单位反馈的意见，要集体研究，不能个人擅自答复 — only the leader signs off.
        return is_leader(user, feedback.group_id) and feedback.status == Feedback.Status.PENDING
    return False


def may_record_meetings(user, unit):
    """The unit records its own meetings; its office may correct them. Also decides who may
    register a new meeting of the unit (units.views_work.meeting_create)."""
    return is_liaison_of(user, unit) or is_office_over(user, unit)


def _meeting(user, action, meeting):
    if action == "record":
        return may_record_meetings(user, meeting.unit)
    if action == "attend":
        # 003: supervision groups attend the democratic life meetings of their units.
        return supervises(user, meeting.unit)
    return False


def _unit_record(user, action, record):
    """Study records and look-back reports: kept by the unit, corrected by its office."""
    if action in {"edit", "delete"}:
        return is_liaison_of(user, record.unit) or is_office_over(user, record.unit)
    return False


def _opinion(user, action, opinion):
    if action == "edit":
        return is_office_over(user, opinion.collected_by)
    if action == "claim":
        # 002: 下去一把抓、回来再分家 — opinions are claimed by the unit concerned.
        scope = scope_for(user)
        return opinion.claimed_by_id is None and bool(scope.everything or scope.liaison_unit_ids or scope.office_paths)
    return False


def _plan(user, action, plan):
    if action in {"edit", "update"}:
        return is_liaison_of(user, plan.unit) or is_office_over(user, plan.unit)
    return False


def _item(user, action, item):
    from rectification.models import RectificationItem

    unit = item.plan.unit
    closed = item.status == RectificationItem.Status.CLOSED
    if action in {"edit", "update"}:
        return not closed and (is_liaison_of(user, unit) or is_office_over(user, unit))
    if action == "request_close":
        return not closed and is_liaison_of(user, unit)
    if action == "evaluate":
        # 003: 请群众评价和监督 — the masses' verdict is usually heard after closing, so any state.
        return is_liaison_of(user, unit) or is_office_over(user, unit) or supervises(user, unit)
    if action in {"approve_close", "reject_close"}:
        # 004 销号: approved by the reviewer, never by the unit itself.
        return item.status == RectificationItem.Status.CLOSE_REQUESTED and (
            supervises(user, unit) or is_office_strictly_above(user, unit)
        )
    return False


def _spot_check(user, action, check):
    if action == "edit":
        return is_office_over(user, check.office)
    return False


def _never(user, action, obj):
    return False


# model label -> function(user, action, obj) for every action except "view".
RULES = {
    "units.Unit": _unit,
    "campaign.Directive": _directive,
    "campaign.Requirement": _requirement,
    "campaign.Obligation": _obligation,
    "supervision.SupervisionGroup": _group,
    "supervision.GroupAssignment": _assignment,
    "supervision.Visit": _group_record,
    "supervision.Evaluation": _group_record,
    "supervision.Feedback": _feedback,
    "supervision.SpotCheck": _spot_check,
    "units.Meeting": _meeting,
    "units.StudyRecord": _unit_record,
    "units.Opinion": _opinion,
    "rectification.RectificationPlan": _plan,
    "rectification.RectificationItem": _item,
    "rectification.LookBackReport": _unit_record,
    "audit.AuditEntry": _never,
}
# Read-only objects whose one action, download, is the same as view.
READ_ONLY = {"campaign.Submission", "campaign.SubmissionFile", "campaign.DirectiveAttachment", "supervision.Review"}


def can(user, action, obj):
    """The single permission check for actions on objects (rules in the module docstring)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    label = obj._meta.label
    if label == "audit.AuditEntry":
        return action == "view" and _can_see_audit_entry(user, obj)
    if action in {"view", "download"}:
        if action == "download" and label not in READ_ONLY:
            return False
        return can_see(user, obj)
    if label in READ_ONLY:
        return False
    rule = RULES.get(label)
    if rule is None or not can_see(user, obj):
        return False
    return bool(rule(user, action, obj))


def _can_see_audit_entry(user, entry):
    """An audit row is readable by whoever may see the object it describes."""
    subject = entry.subject
    return subject is not None and can(user, "view", subject)
