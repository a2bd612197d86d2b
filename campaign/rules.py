"""Who may do what to directives, requirements and obligations (registered with access.policy).

Office staff, over their office's subtree: directives issued in the subtree (edit, delete,
add requirements) and above it (view, forward); requirements of those directives (edit, fan
out); obligations of units in the subtree (view, remind); review and reopen when the
requirement is routed to the office and reported to a unit in the subtree.
Supervision group members: obligations of their units; review and reopen when the
requirement is routed to the supervision group first (004).
Liaisons: their unit's obligations; submit while an obligation is open (campaign.status).
Everybody signed in: the launched campaigns, their batches and phases (reference data). A
campaign being prepared (筹备中) is seen, and every campaign changed, by the offices over the
unit that set it up (Campaign.office); superusers alone for a campaign without one.
"""

from django.db.models import Q

from campaign.models import Campaign, Route
from campaign.status import open_q
from units import scope as units


def _review(user, scope):
    """004: some reports go through the supervision group first; the rest to the office they are
    submitted to, by its staff, for units in its subtree."""
    office_route = Q(requirement__route=Route.OFFICE) & units.office_over(scope, "requirement__submit_to__") & units.office_over(
        scope, "unit__"
    )
    group_route = Q(requirement__route=Route.SUPERVISION_FIRST) & units.supervised(scope, "unit__")
    return office_route | group_route




def _campaign_owned(scope, prefix=""):
    """The offices over the unit that set the campaign up."""
    return units.office_over(scope, f"{prefix}office__")


def _campaign_seen(scope, prefix=""):
    return Q(**{f"{prefix}status": Campaign.Status.LAUNCHED}) | _campaign_owned(scope, prefix)


CAMPAIGN = {
    "view": lambda user, scope: _campaign_seen(scope),
    "edit": lambda user, scope: _campaign_owned(scope),
}
# A campaign's batches and phases: seen with it, changed by whoever may change it.
CAMPAIGN_PART = {
    "view": lambda user, scope: _campaign_seen(scope, "campaign__"),
    "edit": lambda user, scope: _campaign_owned(scope, "campaign__"),
}
DIRECTIVE = {
    "view": lambda user, scope: units.issued_to(scope, "issuing_unit__"),
    **dict.fromkeys(("edit", "delete", "add_requirement"), lambda user, scope: units.office_over(scope, "issuing_unit__")),
    "forward": lambda user, scope: Q() if scope.is_office else units.NOTHING,
}
ATTACHMENT = {"view": lambda user, scope: units.issued_to(scope, "directive__issuing_unit__")}
REQUIREMENT = {
    "view": lambda user, scope: units.issued_to(scope, "directive__issuing_unit__"),
    **dict.fromkeys(("edit", "fan_out"), lambda user, scope: units.office_over(scope, "directive__issuing_unit__")),
}
OBLIGATION = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    "submit": lambda user, scope: units.liaison_of(scope, "unit__") & open_q(),
    "review": _review,
    "reopen": _review,
    "remind": lambda user, scope: units.office_over(scope, "unit__"),
}
SUBMISSION = {"view": lambda user, scope: units.seen(scope, "obligation__unit__")}
SUBMISSION_FILE = {
    "view": lambda user, scope: units.seen(scope, "submission__obligation__unit__"),
    "download": lambda user, scope: Q(),
}
MEETING = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    # The unit records its own meetings; its office may correct them.
    "record": lambda user, scope: units.liaison_of(scope, "unit__") | units.office_over(scope, "unit__"),
    # 003: supervision groups attend the democratic life meetings of their units.
    "attend": lambda user, scope: units.supervised(scope, "unit__"),
}
PHASE_PROGRESS = {"view": lambda user, scope: units.seen(scope, "unit__")}
REVIEW = {"view": lambda user, scope: units.seen(scope, "obligation__unit__")}
# A unit's batch in a campaign: seen with the unit, set by the offices over it (003).
PARTICIPATION = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    # Rule 8: the office over the unit may also let it sum up before its batch's minimum months.
    **dict.fromkeys(("edit", "waive"), lambda user, scope: units.office_over(scope, "unit__")),
}
