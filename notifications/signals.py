"""What the notifications app does when something happens elsewhere.

- A requirement is saved: record (or clear) the holiday flag on its due date (DESIGN rule 5).
- Everything people around a report must hear of (issue 13) is recorded in the outbox
  (notifications.events, whose docstring says who hears what): state moves arrive through
  access.transitions.transitioned; new obligations, moved deadlines, chases and scheduled
  meetings through campaign.signals.
- A notice is recorded: its reader's kept badge counts are dropped (core.personal_cache).
- A background job ended (core.signals.job_finished): its owner finds a notice with the link to
  its page in the notification centre (a person waits for their own export: no digest, no mail).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from access.transitions import transitioned
from campaign import signals as campaign_signals
from campaign.models import Chase, ExtensionRequest, Obligation, Requirement, Route
from core import clock, personal_cache
from core.people import person_name
from core.signals import job_finished
from notifications import recipients
from notifications.channels import configured_channels
from notifications.events import Kind, moment_param, tell, tell_many
from notifications.models import DueDateFlag, Event, Notification
from rectification.models import LookBackReport, RectificationItem
from supervision.models import Feedback

# Units per query when telling many at once (a fan-out to a province).
CHUNK = 5000


@receiver(post_save, sender=Requirement, dispatch_uid="notifications.flag_holiday_due_date")
def flag_holiday_due_date(sender, instance, raw=False, **kwargs):
    """Flag a due date on a holiday or weekend for the office's reminder log; drop a stale flag."""
    if raw:
        return
    DueDateFlag.record(instance)


def _obligation_params(obligation, **more):
    return {"unit": obligation.unit.name, "title": obligation.requirement.title, **more}


_DECISIONS = {"approve": Kind.APPROVED, "return": Kind.RETURNED, "reopen": Kind.REOPENED}
_EXEMPTIONS = {"exempt": True, "unexempt": False}


def reviewers_of(obligation):
    """Who reviews `obligation`'s material (004): on the group-first route the supervision group over
    the unit; else the staff of the office it is submitted to."""
    if obligation.requirement.route == Route.SUPERVISION_FIRST:
        return recipients.supervisors(obligation.unit)
    return recipients.office_staff(obligation.requirement.submit_to_id)


@receiver(transitioned, sender=Obligation, dispatch_uid="notifications.obligation_moved")
def tell_of_obligation_move(sender, obj, transition, reason, **kwargs):
    if transition.action not in ("submit", *_DECISIONS, *_EXEMPTIONS):
        return
    if transition.action in ("submit", *_DECISIONS) and obj.lookback_reports.exists():
        return  # it follows its look-back report, which tells of the move itself (tell_of_lookback_move)
    version = obj.submissions.count()  # the version a submission or a decision is about (the key's part)
    if transition.action == "submit":
        tell(reviewers_of(obj), Kind.SUBMITTED, f"submitted:{obj.pk}:v{version}",
             _obligation_params(obj, version=version), obj.get_absolute_url())
    elif transition.action in _DECISIONS:
        liaisons = recipients.liaisons([obj.unit_id]).get(obj.unit_id, [])
        tell(liaisons, _DECISIONS[transition.action], f"{transition.action}:{obj.pk}:v{version}",
             _obligation_params(obj, reason=reason or ""), obj.get_absolute_url())
    elif transition.action in _EXEMPTIONS:
        liaisons = recipients.liaisons([obj.unit_id]).get(obj.unit_id, [])
        tell(liaisons, Kind.EXEMPTED, f"{transition.action}:{obj.pk}:{clock.now().isoformat()}",
             _obligation_params(obj, reason=reason or "", exempt=_EXEMPTIONS[transition.action]), obj.get_absolute_url())


@receiver(transitioned, sender=ExtensionRequest, dispatch_uid="notifications.extension_moved")
def tell_of_extension(sender, obj, transition, reason, **kwargs):
    """A request reaches whoever decides on the obligation (its reviewers); the decision its liaisons."""
    obligation = obj.obligation
    params = _obligation_params(obligation, new=moment_param(obj.requested_due_at),
                                reason=obj.reason if transition.action == "request" else (reason or obj.decision_reason))
    if transition.action == "request":
        tell(reviewers_of(obligation), Kind.EXTENSION_REQUESTED, f"ext_requested:{obj.pk}", params,
             obligation.get_absolute_url())
    elif transition.action in ("grant", "refuse"):
        tell(recipients.liaisons([obligation.unit_id]).get(obligation.unit_id, []), Kind.EXTENSION_DECIDED,
             f"ext_decided:{obj.pk}", {**params, "granted": transition.action == "grant"}, obligation.get_absolute_url())


@receiver(transitioned, sender=RectificationItem, dispatch_uid="notifications.item_moved")
def tell_of_item_move(sender, obj, transition, reason, **kwargs):
    unit = obj.plan.unit
    params = {"unit": unit.name, "problem": str(obj), "reason": reason or ""}
    stamp = clock.now().isoformat()
    if transition.action == "request_close":
        tell(recipients.supervisors(unit), Kind.CLOSE_REQUESTED, f"close_requested:{obj.pk}:{stamp}", params,
             obj.get_absolute_url())
    elif transition.action == "approve_close":
        tell(recipients.liaisons([unit.pk]).get(unit.pk, []), Kind.CLOSED, f"closed:{obj.pk}", params,
             obj.get_absolute_url())
    elif transition.action == "reject_close":
        tell(recipients.liaisons([unit.pk]).get(unit.pk, []), Kind.CLOSE_REJECTED, f"close_rejected:{obj.pk}:{stamp}",
             params, obj.get_absolute_url())


@receiver(transitioned, sender=LookBackReport, dispatch_uid="notifications.lookback_moved")
def tell_of_lookback_move(sender, obj, transition, reason, actor=None, **kwargs):
    """004: the report goes to the superior organisation (the office of the unit's parent) and the
    supervision group over the unit; the unit hears of a return, and of the acceptance by both."""
    unit = obj.unit
    stamp = clock.now().isoformat()
    params = {"unit": unit.name}
    if transition.action == "submit":
        reviewers = recipients.supervisors(unit) + (recipients.office_staff(unit.parent_id) if unit.parent_id else [])
        tell(reviewers, Kind.LOOKBACK_SUBMITTED, f"lookback_submitted:{obj.pk}:{stamp}", params, obj.get_absolute_url())
    elif transition.action == "return":
        tell(recipients.liaisons([unit.pk]).get(unit.pk, []), Kind.LOOKBACK_RETURNED, f"lookback_returned:{obj.pk}:{stamp}",
             {**params, "reason": reason or "", "by": person_name(actor) if actor else ""}, obj.get_absolute_url())
    elif transition.action == "accept" and obj.status == LookBackReport.Status.ACCEPTED:
        tell(recipients.liaisons([unit.pk]).get(unit.pk, []), Kind.LOOKBACK_ACCEPTED, f"lookback_accepted:{obj.pk}:{stamp}",
             params, obj.get_absolute_url())


@receiver(transitioned, sender=Feedback, dispatch_uid="notifications.feedback_moved")
def tell_of_feedback_move(sender, obj, transition, reason, **kwargs):
    params = {"unit": obj.unit.name, "subject": obj.subject}
    if transition.action == "request_sign_off":
        tell(recipients.group_members(obj.group, leaders_only=True), Kind.FEEDBACK_PENDING,
             f"feedback_pending:{obj.pk}:{clock.now().isoformat()}", params, obj.get_absolute_url())
    elif transition.action == "sign_off":
        told = recipients.liaisons([obj.unit_id]).get(obj.unit_id, []) + recipients.group_members(obj.group)
        tell(told, Kind.FEEDBACK_SIGNED, f"feedback_signed:{obj.pk}", params, obj.get_absolute_url())


@receiver(campaign_signals.obligations_issued, dispatch_uid="notifications.obligations_issued")
def tell_of_new_obligations(sender, requirement, obligation_ids, **kwargs):
    """Each new obligation reaches its unit's liaisons: bulk, a fan-out may reach a province."""
    for start in range(0, len(obligation_ids), CHUNK):
        rows = list(Obligation.objects.filter(pk__in=obligation_ids[start:start + CHUNK])
                    .values_list("pk", "unit_id", "unit__name", "due_at"))
        by_unit = recipients.liaisons({unit_id for _pk, unit_id, _name, _due in rows})
        now = clock.now()
        tell_many([
            Event(recipient_id=user_id, kind=Kind.ISSUED, key=f"issued:{pk}", created_at=now,
                  params={"unit": name, "title": requirement.title, "due": moment_param(due),
                          "rule": requirement.deadline_text},
                  path=Obligation(pk=pk).get_absolute_url())
            for pk, unit_id, name, due in rows for user_id in by_unit.get(unit_id, [])
        ])


@receiver(campaign_signals.due_moved, dispatch_uid="notifications.due_moved")
def tell_of_moved_deadlines(sender, moves, action="", **kwargs):
    """A deadline moved (the requirement's, a meeting's): the units' liaisons, old → new. A granted
    extension says so itself (tell_of_extension), once."""
    if action == "extension_granted":
        return
    for start in range(0, len(moves), CHUNK):
        chunk = moves[start:start + CHUNK]
        facts = {pk: (unit_id, name, title) for pk, unit_id, name, title in Obligation.objects.filter(
            pk__in=[pk for pk, _old, _new in chunk]).values_list("pk", "unit_id", "unit__name", "requirement__title")}
        by_unit = recipients.liaisons({unit_id for unit_id, _name, _title in facts.values()})
        now = clock.now()
        tell_many([
            Event(recipient_id=user_id, kind=Kind.DUE_MOVED, key=f"due_moved:{pk}:{moment_param(new)}", created_at=now,
                  params={"unit": facts[pk][1], "title": facts[pk][2], "old": moment_param(old), "new": moment_param(new)},
                  path=Obligation(pk=pk).get_absolute_url())
            for pk, old, new in chunk if pk in facts for user_id in by_unit.get(facts[pk][0], [])
        ])


@receiver(campaign_signals.chased, dispatch_uid="notifications.chased")
def tell_of_chases(sender, chases, actor, **kwargs):
    """A chase reaches the unit's liaisons on every channel; the chase records which."""
    facts = {pk: (unit_id, name, title) for pk, unit_id, name, title in Obligation.objects.filter(
        pk__in=[chase.obligation_id for chase in chases]).values_list("pk", "unit_id", "unit__name", "requirement__title")}
    by_unit = recipients.liaisons({unit_id for unit_id, _name, _title in facts.values()})
    by = person_name(actor)
    now = clock.now()
    tell_many([
        Event(recipient_id=user_id, kind=Kind.CHASED, key=f"chased:{chase.pk}", created_at=now,
              params={"unit": facts[chase.obligation_id][1], "title": facts[chase.obligation_id][2], "by": by,
                      "note": chase.note},
              path=Obligation(pk=chase.obligation_id).get_absolute_url())
        for chase in chases for user_id in by_unit.get(facts[chase.obligation_id][0], [])
    ])
    Chase.objects.filter(pk__in=[chase.pk for chase in chases]).update(
        channels=[channel.name for channel in configured_channels()])


@receiver(campaign_signals.meeting_scheduled, dispatch_uid="notifications.meeting_scheduled")
def tell_of_scheduled_meeting(sender, meeting, **kwargs):
    """003: the supervision group over the unit attends its democratic life meeting."""
    tell(recipients.supervisors(meeting.unit), Kind.MEETING, f"meeting:{meeting.pk}:{meeting.planned_on.isoformat()}",
         {"unit": meeting.unit.name, "meeting": meeting.kind,
          "day": meeting.planned_on.isoformat()}, meeting.get_absolute_url())


@receiver(post_save, sender=Notification, dispatch_uid="notifications.forget_personal_figures")
def forget_figures_of_recipient(sender, instance, created=False, raw=False, **kwargs):
    """A notice arrived: its reader's bell and to-do badge count again on their next page
    (core.personal_cache keeps them a short while otherwise)."""
    if created and not raw:
        personal_cache.forget(instance.user_id)


@receiver(job_finished, dispatch_uid="notifications.job_finished")
def tell_of_finished_job(sender, job, **kwargs):
    """The owner of a background job hears it ended, in the language it ran in (core.jobs.run)."""
    if job.owner_id is None:
        return
    if job.state == job.State.DONE:
        title, body = _("后台任务已完成：%(title)s") % {"title": job.title}, job.message
    else:
        title, body = _("后台任务未能完成：%(title)s") % {"title": job.title}, job.error
    Notification.objects.create(user_id=job.owner_id, title=title[:200], body=body, url=job.get_absolute_url())
