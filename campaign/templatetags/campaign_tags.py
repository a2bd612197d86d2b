"""Template helpers of campaign: ``{% load campaign_tags %}``.

- ``{{ obligation|due }}`` / ``{{ requirement|due }}`` / ``{{ row|due }}`` (a dashboard row, a
  dict of a requirement's values): the due moment as pages show it, or, while it waits for the
  unit's meeting (DESIGN rule 13), 待定（总结会议召开后15日内）. ``{{ obligation|due:"day" }}``
  shows the day only. The one way a due moment is written on a page. A recurring requirement
  (campaign.recurrence) shows its rule instead: 每月5日前（按月，自2014年1月起）; its obligations
  show their own period's moment.
- ``{% phase_panel unit campaign as rows %}``: the dashboard's counts per phase (campaign.phases).
"""

from django import template

from campaign import phases
from campaign.deadlines import pending_due_label
from campaign.recurrence import Rule
from core.templatetags.core_tags import format_day, format_moment

register = template.Library()


def _rule(obj):
    """(event, days, workdays) of the requirement behind `obj`."""
    if isinstance(obj, dict):
        return obj.get("due_event", ""), obj.get("due_days"), obj.get("due_workdays", False)
    requirement = getattr(obj, "requirement", obj)
    return requirement.due_event, requirement.due_days, requirement.due_workdays


@register.filter
def due(obj, precision="moment"):
    if obj in (None, ""):
        return ""
    if isinstance(obj, dict) and obj.get("recurrence_frequency"):
        return Rule(obj["recurrence_frequency"], day=obj.get("recurrence_day"), weekday=obj.get("recurrence_weekday"),
                    month=obj.get("recurrence_month")).describe()
    if getattr(obj, "recurrence_frequency", ""):
        return obj.recurrence_summary()
    due_at = obj.get("due_at") if isinstance(obj, dict) else obj.due_at
    if due_at is not None:
        return format_day(due_at) if precision == "day" else format_moment(due_at)
    event, days, workdays = _rule(obj)
    return pending_due_label(event, days, workdays) if days else ""


@register.simple_tag
def phase_panel(unit, campaign):
    """The rows of the dashboard's phase panel (campaign/_phase_panel.html): per phase, the units
    under `unit` not started, in it and finished (campaign.phases.phase_counts, three queries)."""
    return phases.phase_counts(unit, campaign)
