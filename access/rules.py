"""Who may do what to which object (DESIGN rules 9 and 11): `can(user, action, obj)`.

Views never decide permissions themselves; they ask `can`, and list views use the
models' `visible_to(user)` querysets (units/scope.py).
"""

from units.scope import scope_for


def is_office_over(user, unit):
    """Office staff whose subtree contains `unit`."""
    scope = scope_for(user)
    return scope.everything or any(unit.path.startswith(path) for path in scope.office_paths)


def is_liaison_of(user, unit):
    scope = scope_for(user)
    return unit.pk in scope.liaison_unit_ids


def supervising_groups(user, unit, on=None):
    """The user's groups currently assigned to `unit`, directly or through a subtree assignment."""
    from supervision.models import GroupAssignment

    assignments = (
        GroupAssignment.objects.current(on)
        .filter(group__members__user=user, unit__path__in=[unit.path[:end] for end in range(5, len(unit.path) + 1, 5)])
        .select_related("group", "unit")
    )
    groups = {a.group for a in assignments if a.unit_id == unit.pk or a.include_subtree}
    return sorted(groups, key=lambda group: group.pk)


def can_see_unit(user, unit):
    from units.models import Unit

    return Unit.objects.visible_to(user).filter(pk=unit.pk).exists()


def can(user, action, obj):
    """The single permission check for actions on objects."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from campaign.models import Directive, Obligation, ObligationStatus, Requirement, Route
    from units.models import Unit

    if isinstance(obj, Unit):
        if action == "view":
            return can_see_unit(user, obj)
        if action in {"edit", "move", "deactivate", "manage"}:
            return is_office_over(user, obj)
        if action == "act_for":
            return is_liaison_of(user, obj)
        if action == "supervise":
            # Visits, evaluations, feedback: members of a group currently assigned to the unit.
            return bool(supervising_groups(user, obj))
        return False
    if isinstance(obj, Directive):
        if action == "view":
            return Directive.objects.visible_to(user).filter(pk=obj.pk).exists()
        if action in {"edit", "add_requirement"}:
            return is_office_over(user, obj.issuing_unit)
        if action == "forward":
            return bool(scope_for(user).office_paths or user.is_superuser) and can(user, "view", obj)
        return False
    if isinstance(obj, Requirement):
        if action == "view":
            return Requirement.objects.visible_to(user).filter(pk=obj.pk).exists()
        if action == "edit":
            return is_office_over(user, obj.directive.issuing_unit)
        return False
    if isinstance(obj, Obligation):
        if action == "view":
            return Obligation.objects.visible_to(user).filter(pk=obj.pk).exists()
        if action == "submit":
            return is_liaison_of(user, obj.unit) and obj.status in (ObligationStatus.PENDING, ObligationStatus.RETURNED)
        if action in {"review", "reopen"}:
            if obj.requirement.route == Route.SUPERVISION_FIRST:
                return bool(supervising_groups(user, obj.unit))
            return is_office_over(user, obj.requirement.submit_to)
        return False
    return _can_work(user, action, obj)


def _can_work(user, action, obj):
    """Rules for the unit and supervision workspaces: submissions, files, meetings, supervision records."""
    from campaign.models import Submission, SubmissionFile
    from supervision.models import Feedback, GroupMember, SupervisionGroup
    from units.models import Meeting

    if isinstance(obj, SubmissionFile):
        obj = obj.submission
        action = "view" if action == "download" else action
    if isinstance(obj, Submission):
        # Files and versions follow their obligation: whoever may see it may read them.
        return action == "view" and can(user, "view", obj.obligation)
    if isinstance(obj, Meeting):
        if action == "view":
            return can_see_unit(user, obj.unit)
        if action == "record":
            # The unit records its own meetings; its office may correct them.
            return is_liaison_of(user, obj.unit) or is_office_over(user, obj.unit)
        if action == "attend":
            # 003: supervision groups attend the democratic life meetings of their units.
            return bool(supervising_groups(user, obj.unit))
        return False
    if isinstance(obj, SupervisionGroup):
        if action == "work":
            return GroupMember.objects.filter(group=obj, user=user).exists()
        return False
    if isinstance(obj, Feedback):
        member = GroupMember.objects.filter(group_id=obj.group_id, user=user).first()
        if action == "view":
            # Rule 9 (001): the unit sees feedback only once the group leader has signed it off.
            if member is not None:
                return True
            return obj.status == Feedback.Status.SIGNED_OFF and can_see_unit(user, obj.unit)
        if action in {"edit", "request_sign_off"}:
            return member is not None and obj.status == Feedback.Status.DRAFT
        if action == "sign_off":
            # 001: 给督导单位反馈的意见，要集体研究，不能个人擅自答复 — only the leader signs off.
            return member is not None and member.is_leader and obj.status == Feedback.Status.PENDING
        return False
    return False
