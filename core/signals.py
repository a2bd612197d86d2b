"""Signals of core, for the apps above it (core knows none of them).

- `job_finished(sender=BackgroundJob, job=job)`: a background job is done or failed (core.jobs);
  notifications tells its owner.
"""

from django.dispatch import Signal

job_finished = Signal()
