"""The changes with a rule behind them in rectification: plans, items, the masses' evaluation
and the look-back report. One function each, called by the pages, the admin, commands and the
API alike; each keeps the trail (DESIGN rule 10). Item moves (progress, 销号) and report moves
(报送, 审核) go through their state machines.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from access.policy import can
from access.transitions import TransitionRefused
from audit.services import change, created, record_change, snapshot
from campaign.actions import move_obligation
from campaign.workflow import MACHINE as OBLIGATION_MACHINE
from rectification import lookback
from rectification.models import LookBackFinding, LookBackReport
from rectification.workflow import transition as move_item  # noqa: F401 - the item's entry point

PLAN_FIELDS = ["title", "responsible_person", "published_on"]
ITEM_FIELDS = [
    "problem", "four_winds", "special_rectification", "is_institution_building", "measures", "owner", "due_on",
    "public_commitment", "needs_upper_level",
]


@transaction.atomic
def create_plan(plan, *, unit, campaign, kind, actor):
    """A unit's rectification plan, or a village's problem list (003)."""
    plan.unit, plan.campaign, plan.kind = unit, campaign, kind
    plan.save()
    record_change(plan, "create", actor=actor, changes=created(plan, ["kind", *PLAN_FIELDS]))
    return plan


@transaction.atomic
def edit_plan(plan, before, *, actor):
    plan.save()
    record_change(plan, "edit", actor=actor, before=before)
    return plan


@transaction.atomic
def add_item(item, *, plan, actor):
    item.plan = plan
    item.save()
    record_change(item, "create", actor=actor, changes=created(item, ["status", *ITEM_FIELDS]))
    return item


@transaction.atomic
def edit_item(item, before, *, actor):
    item.save()
    record_change(item, "edit", actor=actor, before=before)
    return item


@transaction.atomic
def record_mass_evaluation(item, evaluation, *, actor):
    """The masses' verdict on an item (满意/基本满意/不满意/不了解, 003: 请群众评价和监督), in any state."""
    before = snapshot(item, ["mass_evaluation"])
    item.mass_evaluation = evaluation
    item.save(update_fields=["mass_evaluation", "updated_at"])
    record_change(item, "evaluate", actor=actor, before=before)
    return item


@transaction.atomic
def move_lookback(report, action, user, reason=""):
    """The report's one entry point: its move (rectification.lookback) and, in the same
    transaction, its obligation following it (follow_report)."""
    report = lookback.transition(report, action, user, reason=reason)
    follow_report(report, action, user, reason)
    return report


def follow_report(report, action, actor, reason=""):
    """The look-back requirement's obligation of the unit follows its report (004), through the
    obligation's own machine (campaign.workflow: status, lateness, the dashboards and the reminders
    all read it from there; nothing here writes a status of its own):

    - submitted: the obligation is submitted (a version pointing at the report), if it is open;
    - returned: the obligation is returned with the same reason, when the person who returned the
      report reviews the obligation on its route (campaign.rules "review"); a return by the other
      side leaves the obligation submitted until the unit submits the report again;
    - accepted (both sides): the obligation is approved by whichever of the accepting reviewers
      reviews it on its route.
    """
    obligation = report.obligation
    if obligation is None:
        return None
    if action == "submit" and obligation.status in OBLIGATION_MACHINE.sources("submit"):
        with translation.override(settings.LANGUAGE_CODE):  # stored, and read by everybody
            text = _("回头看自查报告已报送：%(url)s\n\n%(summary)s") % {
                "url": report.get_absolute_url(), "summary": report.summary}
        return move_obligation(obligation, "submit", actor, text=text)
    if obligation.status not in OBLIGATION_MACHINE.sources("approve"):
        return obligation
    if action == "return" and can(actor, "review", obligation):
        return move_obligation(obligation, "return", actor, reason=reason)
    if action == "accept" and report.status == lookback.ACCEPTED:
        for person in (actor, report.office_accepted_by, report.group_accepted_by):
            if person is not None and can(person, "review", obligation):
                return move_obligation(obligation, "approve", person)
    return obligation


@transaction.atomic
def save_lookback(report, *, unit, campaign, summary, further_measures, findings, actor):
    """Create or revise the unit's look-back report with a result per checkpoint (004: 三查三看).

    A report is revised only as a draft or after it was returned (回炉); `findings` maps a
    checkpoint to (result, notes, measures).
    """
    summary, further_measures = summary.strip(), further_measures.strip()
    if report is None:
        report = LookBackReport.objects.create(
            unit=unit, campaign=campaign, summary=summary, further_measures=further_measures, created_by=actor
        )
        existing, action, changes = {}, "create", created(report, ["status", "summary", "further_measures"])
    else:
        report = LookBackReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in lookback.EDITABLE:
            raise TransitionRefused(lookback.REFUSALS[("submit", report.status)])
        existing = {finding.checkpoint_id: finding for finding in report.findings.select_related("checkpoint")}
        before = snapshot(report, ["summary", "further_measures"])
        report.summary, report.further_measures = summary, further_measures
        report.save(update_fields=["summary", "further_measures"])
        action = "edit"
        changes = {name: change(before[name], value) for name, value in
                   (("summary", summary), ("further_measures", further_measures)) if before[name] != value}
    new_rows = []
    labels = dict(LookBackFinding.Result.choices)
    for checkpoint, (result, notes, measures) in findings.items():
        finding = existing.get(checkpoint.pk)
        key = f"{checkpoint.ordinal}. {checkpoint.area}"
        if finding is None:
            new_rows.append(LookBackFinding(report=report, checkpoint=checkpoint, result=result, notes=notes,
                                            measures=measures))
            changes[key] = change(None, str(labels[result]))
        elif (finding.result, finding.notes, finding.measures) != (result, notes, measures):
            changes[key] = change(str(labels[finding.result]), str(labels[result]))
            finding.result, finding.notes, finding.measures = result, notes, measures
            finding.save(update_fields=["result", "notes", "measures"])
    LookBackFinding.objects.bulk_create(new_rows)
    record_change(report, action, actor=actor, changes=changes)
    return report
