"""The reminder sweep's readiness check (core.health), registered in NotificationsConfig.ready().

Beat runs the sweep every REMINDER_SWEEP_SECONDS; a sweep that last ended more than
MISSED_INTERVALS intervals ago means beat or the `sweep` queue's worker is down (or stuck), and
reminders are not going out. A sweep that never ran fails too: on a new installation /readyz turns
ok once beat's first sweep has run (within one interval of the worker's start).
"""

import datetime as dt

from django.conf import settings

from core import clock
from notifications.models import SweepHeartbeat

# Three intervals: one late sweep (a long run, a worker restart) is not an outage; three missed are.
MISSED_INTERVALS = 3


def reminder_sweep():
    finished_at = SweepHeartbeat.objects.filter(pk=1).values_list("finished_at", flat=True).first()
    if finished_at is None:
        return "never ran"
    # Real time, as the heartbeat is (notifications.models.SweepHeartbeat).
    if clock.wall_now() - finished_at > dt.timedelta(seconds=MISSED_INTERVALS * settings.REMINDER_SWEEP_SECONDS):
        return "last run too long ago"
    return None
