"""Celery tasks of campaign: beat's hourly issue of the periods of recurring requirements and its
nightly abandoning of directive intakes left unfinished; the dashboard's figures recomputed after
a change (queued by campaign.dashboard_cache)."""

from celery import shared_task

from campaign import actions, dashboard_cache
from campaign.intake import actions as intake_actions


@shared_task(name="campaign.tasks.issue_recurring_periods", ignore_result=True)
def issue_recurring_periods():
    """Issue the periods now within each recurring requirement's horizon
    (campaign.actions.issue_recurring_periods; idempotent, so a doubled message makes nothing);
    how many obligations were created."""
    return actions.issue_recurring_periods()


@shared_task(name="campaign.tasks.abandon_stale_intakes", ignore_result=True)
def abandon_stale_intakes():
    """Abandon the intakes left open past INTAKE_RETENTION_DAYS, deleting their files
    (campaign.intake.actions.abandon_stale_intakes); how many."""
    return intake_actions.abandon_stale_intakes()


@shared_task(name="campaign.tasks.refresh_dashboards", ignore_result=True)
def refresh_dashboards(entries):
    """Recompute the dashboard figures of `entries` [[unit path, campaign id or "-"]], each unless
    another process is computing it (campaign.dashboard_cache.refresh); how many were computed."""
    return sum(dashboard_cache.refresh(path, campaign_key) for path, campaign_key in entries)
