"""The changes with a rule behind them in supervision: groups, their members and assignments,
what groups record about their units, feedback and its sign-off. One function each, called
by the pages, the admin, commands and the API alike; each keeps the trail (DESIGN rule 10).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from access import receipts
from access.transitions import TransitionRefused
from audit.services import change, created, record_change
from campaign.models import Meeting
from files.actions import add_attachments
from files.storage import store_files
from supervision.models import GroupMember, MeetingAttendance
from supervision.workflow import transition as move_feedback  # noqa: F401 - feedback's entry point


@transaction.atomic
def create_group(group, *, actor):
    """A new supervision group dispatched by an office (003)."""
    group.save()
    record_change(group, "create", actor=actor, changes=created(group, ["campaign", "office", "name", "kind"]))
    return group


@transaction.atomic
def set_member(group, user, *, is_leader, actor):
    """Add `user` to the group, or change whether they lead it; a group has one leader (001)."""
    if is_leader:
        group.members.filter(is_leader=True).exclude(user=user).update(is_leader=False)
    member, was_created = GroupMember.objects.update_or_create(group=group, user=user, defaults={"is_leader": is_leader})
    record_change(group, "member_added" if was_created else "member_changed", actor=actor,
                  changes={"member": change(None, user), "is_leader": change(None, is_leader)})
    return member


@transaction.atomic
def remove_member(group, member, *, actor):
    record_change(group, "member_removed", actor=actor, changes={"member": change(member.user, None)})
    member.delete()


@transaction.atomic
def assign(assignment, *, actor):
    """Assign the group to a unit (or its whole subtree) for a period (003: 下派到市、督导到县)."""
    assignment.save()
    record_change(assignment.group, "assigned", actor=actor, changes={
        "unit": change(None, assignment.unit), "include_subtree": change(None, assignment.include_subtree),
        "starts_on": change(None, assignment.starts_on), "ends_on": change(None, assignment.ends_on),
    })
    return assignment


RECORD_FIELDS = {
    "Visit": ["kind", "visited_on", "findings"],
    "Evaluation": ["subject", "rating", "text"],
    "Feedback": ["subject", "text", "status"],
}


def record_for_unit(record, *, unit, group, actor, actor_field, files=()):
    """A visit, an evaluation or a feedback draft a group records about a unit it supervises, with
    `files` attached to it (a visit's photos and records; files.storage removes them again if the
    record is not saved)."""
    with store_files() as stored, transaction.atomic():
        record.unit, record.group = unit, group
        setattr(record, actor_field, actor)
        record.save()
        fields = RECORD_FIELDS[type(record).__name__]
        changes = {"unit": change(None, unit), **created(record, fields)}
        names = [a.original_name for a in add_attachments(record, files, actor=actor, stored=stored)]
        if names:
            changes["attachments"] = change(None, names)
        record_change(record, "create", actor=actor, changes=changes)
    return record


def edit_feedback(feedback, before, *, actor, files=()):
    """Save a draft's text and add its documents (drafts only: access.policy's "edit" rule; once
    signed off the feedback stands as sent); `before` is its snapshot."""
    with store_files() as stored, transaction.atomic():
        feedback.save()
        names = [a.original_name for a in add_attachments(feedback, files, actor=actor, stored=stored)]
        record_change(feedback, "edit", actor=actor, before=before,
                      changes={"attachments": change(None, names)} if names else None)
    return feedback


def attendance_refusals(meeting):
    """Why a group may not record its attendance and comments (点评) at `meeting`: 003 (督导组要
    ……全程参与专题民主生活会并进行点评) — the group attends the meeting and comments on what it
    saw, so only a meeting that has been held (campaign.meetings: 已召开) takes them, and only a
    democratic life meeting. Asked by attend_meeting and by the admin's form."""
    missing = []
    if meeting.kind != Meeting.Kind.DEMOCRATIC_LIFE:
        missing.append(_("督导组列席点评只针对专题民主生活会。"))
    if meeting.status != Meeting.Status.HELD:
        missing.append(_("会议尚未召开，召开后才能记录列席和点评。"))
    return missing


@transaction.atomic
def attend_meeting(meeting, *, group, actor, comment):
    """A group member attends a unit's democratic life meeting and comments on it (点评, 003),
    once it has been held (attendance_refusals: TransitionRefused otherwise, nothing saved)."""
    meeting = type(meeting)._default_manager.select_for_update().get(pk=meeting.pk)
    missing = attendance_refusals(meeting)
    if missing:
        raise TransitionRefused(" ".join(str(sentence) for sentence in missing), missing=missing)
    attendance, was_created = MeetingAttendance.objects.update_or_create(
        meeting=meeting, attendee=actor, defaults={"group": group, "comment": comment}
    )
    before = None if was_created else comment
    record_change(attendance, "attend" if was_created else "comment", actor=actor,
                  changes={"meeting": change(None, meeting), "comment": change(before, comment)})
    return attendance


def sign_for_feedback(feedback, user):
    """A liaison of the unit reads the signed-off feedback for the first time: the unit has
    received the group's word (签收, DESIGN rule 9), once (access.receipts; who counts:
    supervision.rules "sign_for"). Returns whether this reading was it."""
    return receipts.sign_for(feedback, user)
