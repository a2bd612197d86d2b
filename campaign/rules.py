"""Who may do what to directives, requirements and obligations (registered with access.policy).

Office staff, over their office's subtree: directives issued in the subtree (edit, delete,
add requirements) and above it (view, forward); requirements of those directives (edit, fan
out); obligations of units in the subtree (view, remind: 催办); review and reopen when the
requirement is routed to the office and reported to a unit in the subtree.
Supervision group members: obligations of their units (view, remind); review and reopen when the
requirement is routed to the supervision group first (004).
Affiliation bodies (省直机关工委, 省委教育工委, 省国资委党委: office staff at the body unit): the
obligations, versions, files and office reviews of the units affiliated to the body when the
requirement is routed to the office and the affiliation body (004); they review their part
(review_affiliation, AffiliationReview) once something is submitted, never the office's decision.
Liaisons: their unit's obligations; submit, and ask for more time (延期申请), while an obligation
is open (campaign.status); their first opening is the unit's receipt (签收), which nobody else's
opening gives. Extension requests are decided by whoever reviews the report; an exemption (免报)
is granted and withdrawn by the office the report is submitted to, over the unit.
Everybody signed in: the launched campaigns, their batches and phases (reference data). A
campaign being prepared (筹备中) is seen, and every campaign changed, by the offices over the
unit that set it up (Campaign.office); superusers alone for a campaign without one.
"""

from django.db.models import Exists, OuterRef, Q

from campaign.models import OFFICE_DECIDES, AffiliationReview, Campaign, Review, Route, Submission
from campaign.status import open_q
from units import scope as units


def _review(user, scope, prefix=""):
    """004: some reports go through the supervision group first; the rest to the office they are
    submitted to, by its staff, for units in its subtree. `prefix` reaches the obligation from
    another row (an extension request)."""
    office_route = (
        Q(**{f"{prefix}requirement__route__in": OFFICE_DECIDES})
        & units.office_over(scope, f"{prefix}requirement__submit_to__")
        & units.office_over(scope, f"{prefix}unit__")
    )
    group_route = Q(**{f"{prefix}requirement__route": Route.SUPERVISION_FIRST}) & units.supervised(scope, f"{prefix}unit__")
    return office_route | group_route


def _request_extension(user, scope, prefix=""):
    """A liaison of the unit asks for more time (延期申请) while the obligation waits for the unit."""
    return units.liaison_of(scope, f"{prefix}unit__") & open_q(prefix)


def _decide_extension(user, scope, prefix=""):
    """Whoever decides on the report decides on more time for it: the office it is submitted to, for
    units in its subtree; on the supervision-first route (004) the unit's supervision group."""
    return _review(user, scope, prefix)


def _exempt(user, scope, prefix=""):
    """免报: the office the report is submitted to (or one above it), over the unit, excuses the unit
    from it; a unit's own office cannot excuse it from what an office above requires."""
    return units.office_over(scope, f"{prefix}requirement__submit_to__") & units.office_over(scope, f"{prefix}unit__")


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


def routed_to_body(scope, prefix=""):
    """004: obligations (through `prefix`) of units affiliated to a body the user staffs, on the
    route that reaches the affiliation body as well as the office."""
    return Q(**{f"{prefix}requirement__route": Route.OFFICE_AND_AFFILIATION}) & units.affiliated_to_office(
        scope, f"{prefix}unit__"
    )


def _seen_or_routed(prefix, *more):
    """Whoever sees the unit (units.seen), and its affiliation body on the 004 route; `more`:
    further rules(scope) joined with OR. Everything for a superuser (an empty Q joined with OR
    would otherwise stand for nothing but the other side)."""

    def rule(user, scope):
        if scope.everything:
            return Q()
        condition = units.seen(scope, f"{prefix}unit__") | routed_to_body(scope, prefix)
        for other in more:
            condition |= other(scope)
        return condition

    return rule


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
    "view": _seen_or_routed(""),
    # The affiliation body's list (its part) and its review of a submitted version.
    "affiliation": lambda user, scope: routed_to_body(scope) & Q(unit__party_affiliation__isnull=False),
    "review_affiliation": lambda user, scope: (
        routed_to_body(scope) & Q(unit__party_affiliation__isnull=False, submitted_at__isnull=False)
    ),
    "submit": lambda user, scope: units.liaison_of(scope, "unit__") & open_q(),
    "review": _review,
    "reopen": _review,
    # 催办 (issue 13): the offices over the unit, and the supervision groups over it.
    "remind": lambda user, scope: units.office_over(scope, "unit__") | units.supervised(scope, "unit__"),
    "request_extension": _request_extension,
    "decide_extension": _decide_extension,
    "exempt": _exempt,
    # Receipt (签收): the unit's own liaisons only, never its office, its group or a superuser.
    "sign_for": lambda user, scope: Q(unit_id__in=scope.liaison_unit_ids),
}
# A unit's requests for more time: seen with the obligation; decided (and, in the admin, edited
# while pending) by whoever decides on the obligation ("decide_extension").
EXTENSION_REQUEST = {
    "view": _seen_or_routed("obligation__"),
    **dict.fromkeys(("decide", "edit"), lambda user, scope: _decide_extension(user, scope, "obligation__")),
}
# A chase is seen by whoever sees the obligation.
CHASE = {"view": _seen_or_routed("obligation__")}
SUBMISSION = {"view": _seen_or_routed("obligation__")}


def withdrawable(user, scope):
    """The rule 撤回文件 (SUBMISSION_FILE "withdraw"): a liaison of the unit may withdraw a file of the
    unit's latest version while nobody has reviewed that version yet, neither the reviewer (Review:
    the office or the supervision group, 003/004) nor the affiliation body (AffiliationReview, 004),
    and the obligation has not been accepted. Once reviewed, the version stands as judged
    (Submission.is_decided): a correction is the next version."""
    newer = Submission.objects.filter(obligation=OuterRef("submission__obligation"), version__gt=OuterRef("submission__version"))
    reviewed = Review.objects.filter(submission=OuterRef("submission"))
    body_reviewed = AffiliationReview.objects.filter(submission=OuterRef("submission"))
    return (
        units.liaison_of(scope, "submission__obligation__unit__")
        & Q(withdrawn_at__isnull=True, submission__obligation__accepted_at__isnull=True)
        & ~Q(Exists(newer)) & ~Q(Exists(reviewed)) & ~Q(Exists(body_reviewed))
    )


SUBMISSION_FILE = {
    "view": _seen_or_routed("submission__obligation__"),
    "download": lambda user, scope: Q(),
    "withdraw": withdrawable,
}
MEETING = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    # The unit records its own meetings; its office may correct them.
    "record": lambda user, scope: units.liaison_of(scope, "unit__") | units.office_over(scope, "unit__"),
    # 003: supervision groups attend the democratic life meetings of their units.
    "attend": lambda user, scope: units.supervised(scope, "unit__"),
}
PHASE_PROGRESS = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    # The unit moves through its phases (campaign.phases): its liaisons, or an office over it.
    "move": lambda user, scope: units.liaison_of(scope, "unit__") | units.office_over(scope, "unit__"),
}
REVIEW = {"view": _seen_or_routed("obligation__")}
# A body's reviews of its part: seen with the report, and by the body's staff whatever happened since.
AFFILIATION_REVIEW = {"view": _seen_or_routed("obligation__", lambda scope: units.office_at(scope, "body__"))}
# A unit's batch in a campaign: seen with the unit, set by the offices over it (003).
PARTICIPATION = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    # Rule 8: the office over the unit may also let it sum up before its batch's minimum months.
    **dict.fromkeys(("edit", "waive"), lambda user, scope: units.office_over(scope, "unit__")),
}


def _own_intake(user, scope):
    """An intake (从文件登记) is the clerk's own work until it is registered: its maker, while on an
    office (office staff who left their office no longer register anything)."""
    if scope.everything:
        return Q()
    return Q(created_by=user) if scope.is_office else units.NOTHING


INTAKE = {"view": _own_intake, "edit": _own_intake}
# A deadline found in a registered directive's text waits for the offices that may add its requirements.
REQUIREMENT_DRAFT = {
    "view": lambda user, scope: units.office_over(scope, "directive__issuing_unit__"),
    "decide": lambda user, scope: units.office_over(scope, "directive__issuing_unit__"),
}
