"""Celery tasks of campaign: beat's hourly issue of the periods of recurring requirements."""

from celery import shared_task

from campaign import actions


@shared_task(name="campaign.tasks.issue_recurring_periods", ignore_result=True)
def issue_recurring_periods():
    """Issue the periods now within each recurring requirement's horizon
    (campaign.actions.issue_recurring_periods; idempotent, so a doubled message makes nothing);
    how many obligations were created."""
    return actions.issue_recurring_periods()
