"""Who may do what to supervision groups and their records (registered with access.policy).

Groups are seen by the office that dispatched them (and the offices above it) and by their
own members; the dispatching office manages them. Reviews are seen with their obligation.
Visits and evaluations are seen by the offices over the unit or over the dispatching office,
and by the members of the group that made them while it is assigned to the unit; never by
the unit itself (001: 明察暗访) nor by another group. Feedback is seen by the group's members
in every state and by whoever sees the unit once the leader has signed it off (rule 9, 001:
给督导单位反馈的意见，要集体研究，不能个人擅自答复); any member drafts and asks for sign-off, only
the leader signs off. Spot checks (004) belong to the office that made them.
"""

from django.db.models import Q

from supervision.models import Feedback
from units import scope as units


def _member_of(scope, field="group_id"):
    return Q() if scope.everything else Q(**{f"{field}__in": list(scope.groups)})


def _leader_of(scope, field="group_id"):
    return Q() if scope.everything else Q(**{f"{field}__in": [g for g, leader in scope.groups.items() if leader]})


def _group_record_view(user, scope):
    return (
        units.office_over(scope, "unit__")
        | units.office_over(scope, "group__office__")
        | units.supervised_by_own_group(scope, "unit__", "group_id")
    )


GROUP = {
    "view": lambda user, scope: units.office_over(scope, "office__") | _member_of(scope, "pk"),
    "manage": lambda user, scope: units.office_over(scope, "office__"),
    "work": lambda user, scope: _member_of(scope, "pk"),
}
GROUP_PART = {
    "view": lambda user, scope: units.office_over(scope, "group__office__") | _member_of(scope),
    **dict.fromkeys(("edit", "end", "delete", "manage"), lambda user, scope: units.office_over(scope, "group__office__")),
}
GROUP_RECORD = {
    "view": _group_record_view,
    "edit": lambda user, scope: units.supervised_by_own_group(scope, "unit__", "group_id"),
}
ATTENDANCE = {"view": lambda user, scope: units.seen(scope, "meeting__unit__")}
FEEDBACK = {
    "view": lambda user, scope: _member_of(scope) | (Q(status=Feedback.Status.SIGNED_OFF) & units.seen(scope, "unit__")),
    "edit": lambda user, scope: _member_of(scope) & Q(status=Feedback.Status.DRAFT),
    "request_sign_off": lambda user, scope: _member_of(scope),
    "sign_off": lambda user, scope: _leader_of(scope),
    # Receipt (签收) of signed-off feedback: the unit's own liaisons only, never the group or the office.
    "sign_for": lambda user, scope: Q(status=Feedback.Status.SIGNED_OFF, unit_id__in=scope.liaison_unit_ids),
}
SPOT_CHECK = {
    "view": lambda user, scope: units.office_over(scope, "unit__") | units.office_over(scope, "office__"),
    "edit": lambda user, scope: units.office_over(scope, "office__"),
}
