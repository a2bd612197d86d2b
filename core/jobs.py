"""Background jobs: work too long for a request, run by the worker while its owner watches a
progress bar (/jobs/<id>/) and is notified when it ends (core.signals.job_finished).

An app registers a runner for each kind of job in its AppConfig.ready():

    jobs.register("units.export", export_units)

and a view starts one, then sends the person to its page:

    job = jobs.start("units.export", owner=request.user, title=_("导出单位名册（.xlsx）"),
                     params={"format": "xlsx", ...}, total=None)
    return redirect(job)

A runner is `runner(job, progress)`:
- `job` is the BackgroundJob row (its `params` say what to do, `owner` for whom: a user read
  from `owner_id`, which is not a foreign key because core sits below the user model's app);
- `progress(done, total=None)` reports how far it is; call it as often as you like (every row
  is fine): it writes at most every PROGRESS_SECONDS, one guarded UPDATE (nothing when the claim
  was lost), and the cache: inside a runner's transaction the row's update stays invisible until
  the end, and the page reads the cache too (shared by the web and the worker under Redis): `done_of(job)`.
- it returns None or a dict with any of `message` (Chinese, shown on the page and in the
  notification, e.g. "已生成 50,000 项报送任务"), `result_file` and `result_name`;
- a file to download is written through `result_writer(job, filename)`, a context manager that
  gives a binary file object and, when the block ends without error, stores it in the default
  storage under jobs/ and records it on the job (`filename` is what the browser saves it as);
- `raise JobFailed(_("……"))` fails the job with that message; any other exception is logged and
  fails it with a general message. Nothing else of the runner's is undone by the job machinery:
  a runner that writes does so in its own transaction(s).

The runner runs in the language of the person who started it and at the moment of the
campaign's clock when it was started (clock.frozen_at(job.as_of)): an export shows what the page
showed, whenever the worker gets to it.

Lifecycle: queued → running → done | failed. `run(job_id)` (the Celery task core.tasks.run_job)
claims the row with a guarded UPDATE (queued → running, attempt + 1) and does nothing unless
that UPDATE changed one row: a message delivered twice runs the job once. Beat runs `resume()`:
a job still queued RESUME_AFTER after it was queued (its message lost, or never sent while the
broker was down) is queued again; a running job whose heartbeat (each progress write) is older
than LEASE lost its worker and goes back to the queue, up to MAX_ATTEMPTS runs, then fails.
Result files are deleted JOB_RESULT_RETENTION_DAYS after the job ended (`purge_results`).
"""

import contextlib
import datetime as dt
import logging
import tempfile
import time
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.models import BackgroundJob
from core.signals import job_finished

logger = logging.getLogger(__name__)

State = BackgroundJob.State

# Progress is written at most this often (one UPDATE), however often a runner reports it.
PROGRESS_SECONDS = 0.5
# A running job that has not reported progress for this long lost its worker. A runner inside one
# long transaction cannot beat (its updates are invisible), so this is far above the longest step.
LEASE = dt.timedelta(minutes=30)
# A job not claimed this long after it was queued is queued again (beat: core.tasks.resume_jobs).
RESUME_AFTER = dt.timedelta(minutes=5)
# A job whose worker died this many times fails instead of killing another.
MAX_ATTEMPTS = 3
# Result files live in the default storage under this folder.
RESULT_FOLDER = "jobs"

_runners = {}


class JobFailed(Exception):
    """Raised by a runner to fail its job with a message for the person (Chinese, translated)."""


def register(kind, runner):
    """Make `runner(job, progress)` the runner of jobs of `kind` (from an AppConfig.ready())."""
    _runners[kind] = runner


def runner_for(kind):
    return _runners.get(kind)


def start(kind, *, owner, title, params=None, total=None):
    """Write the job and queue it once the current transaction commits; returns the row. A broker
    that cannot take the message does not fail the caller: beat queues the job again (resume)."""
    job = BackgroundJob.objects.create(
        kind=kind, owner_id=owner.pk if owner is not None else None, title=str(title)[:200], params=params or {},
        total=total, as_of=clock.now(),
        language=translation.get_language() or settings.LANGUAGE_CODE, queued_at=clock.wall_now(),
    )
    transaction.on_commit(lambda: queue(job.pk))
    return job


def queue(job_id):
    """Hand the job to the worker (core.tasks.run_job); False when the broker could not take it."""
    # Imported here: core.tasks imports this module.
    from core.queueing import publish
    from core.tasks import run_job

    return publish(run_job, (job_id,))


def _claim(job_id):
    """The job for this process (its attempt now current) or None when another has it or it ended."""
    now = clock.wall_now()
    claimed = BackgroundJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, attempt=F("attempt") + 1, started_at=now, heartbeat_at=now,
    )
    if claimed != 1:
        return None
    return BackgroundJob.objects.get(pk=job_id)


def _current(job):
    """The row of `job` while this process's claim holds."""
    return BackgroundJob.objects.filter(pk=job.pk, state=State.RUNNING, attempt=job.attempt)


def progress_key(job_id):
    return f"core:job-progress:{job_id}"


class Progress:
    """`progress(done, total=None)` for a runner: throttled, guarded writes (module docstring)."""

    def __init__(self, job):
        self.job = job
        self.last_write = 0.0
        self.last_done = None

    def __call__(self, done, total=None):
        if total is not None:
            self.job.total = total
        self.job.done = done
        moment = time.monotonic()
        if moment - self.last_write < PROGRESS_SECONDS and total is None:
            return
        self.last_write = moment
        self.write()

    def write(self):
        job = self.job
        # Both: inside the runner's transaction the row's update is seen by nobody else until it ends.
        cache.set(progress_key(job.pk), (job.attempt, job.done, job.total), timeout=int(LEASE.total_seconds()))
        _current(job).update(done=job.done, total=job.total, heartbeat_at=clock.wall_now())


def done_of(job):
    """(done, total) of `job` as far as anyone can see: the row, or the cache while its runner
    works inside a transaction."""
    done, total = job.done, job.total
    if job.state == State.RUNNING:
        cached = cache.get(progress_key(job.pk))
        if cached and cached[0] == job.attempt and cached[1] > done:
            done, total = cached[1], cached[2] if cached[2] is not None else total
    return done, total


def percent(job):
    """How far `job` is, 0–100, for the progress bar (None when the total is not known yet)."""
    if job.state == State.DONE:
        return 100
    done, total = done_of(job)
    if not total:
        return None
    return min(100, done * 100 // total)


def run(job_id):
    """Run the job `job_id` if this call claims it (module docstring); True if it ran here."""
    job = _claim(job_id)
    if job is None:
        return False
    runner = _runners.get(job.kind)
    progress = Progress(job)
    outcome, error = None, ""
    with translation.override(job.language or settings.LANGUAGE_CODE), clock.frozen_at(job.as_of or clock.now()):
        try:
            if runner is None:
                raise JobFailed(_("系统不认识这类任务，无法处理。"))
            outcome = runner(job, progress) or {}
        except JobFailed as exc:
            error = str(exc)
        except Exception:
            logger.exception("background job %s (%s) failed", job.pk, job.kind)
            error = _("处理时出错，未能完成。请稍后重试；问题仍在时请联系管理员。")
        _finish(job, outcome, error)
    return True


def _finish(job, outcome, error):
    values = {"finished_at": clock.wall_now(), "done": job.done, "total": job.total}
    if error:
        values.update(state=State.FAILED, error=error)
    else:
        values.update(state=State.DONE, message=str(outcome.get("message", "")))
        if job.total is None:
            values["total"] = job.done
        values["done"] = values["total"] if values["total"] is not None else job.done
        for name in ("result_file", "result_name"):
            if outcome.get(name):
                values[name] = outcome[name]
            elif getattr(job, name):
                values[name] = getattr(job, name)  # recorded by result_writer
    if _current(job).update(**values) != 1:
        # The claim was lost (another worker took the job over after LEASE): its outcome stands.
        if values.get("result_file"):
            default_storage.delete(values["result_file"])
        return
    cache.delete(progress_key(job.pk))
    for name, value in values.items():
        setattr(job, name, value)
    job_finished.send(sender=BackgroundJob, job=job)


@contextlib.contextmanager
def result_writer(job, filename):
    """A binary file to write `job`'s result into; stored (default storage, jobs/ folder) and
    recorded as the job's download `filename` when the block ends without error."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    with tempfile.TemporaryFile(suffix=suffix) as spool:
        yield spool
        spool.seek(0)
        stored = default_storage.save(f"{RESULT_FOLDER}/{job.pk}-{uuid.uuid4().hex}{suffix}", File(spool))
    job.result_file, job.result_name = stored, filename[:200]
    if _current(job).update(result_file=stored, result_name=job.result_name) != 1:
        default_storage.delete(stored)
        raise JobFailed(_("任务已被重新安排，本次结果作废。"))


def resume(now=None):
    """Queue again what nobody is doing (module docstring); returns the ids of the jobs to queue.
    A job queued twice still runs once (_claim)."""
    now = now or clock.wall_now()
    lost_workers = BackgroundJob.objects.filter(state=State.RUNNING, heartbeat_at__lt=now - LEASE)
    failed = lost_workers.filter(attempt__gte=MAX_ATTEMPTS)
    for job in failed:
        values = {"state": State.FAILED, "finished_at": now,
                  "error": _("处理多次中断，未能完成。请重新发起；问题仍在时请联系管理员。")}
        if BackgroundJob.objects.filter(pk=job.pk, state=State.RUNNING, attempt=job.attempt).update(**values):
            for name, value in values.items():
                setattr(job, name, value)
            job_finished.send(sender=BackgroundJob, job=job)
    lost_workers.filter(attempt__lt=MAX_ATTEMPTS).update(state=State.QUEUED, queued_at=now)
    due = BackgroundJob.objects.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - RESUME_AFTER),
                                       state=State.QUEUED)
    job_ids = list(due.values_list("pk", flat=True))
    BackgroundJob.objects.filter(pk__in=job_ids, state=State.QUEUED).update(queued_at=now)
    return job_ids


def purge_results(now=None):
    """Delete the result files of jobs that ended more than JOB_RESULT_RETENTION_DAYS ago (the
    rows stay: the list says the file has expired); returns how many files were deleted."""
    now = now or clock.wall_now()
    cutoff = now - dt.timedelta(days=settings.JOB_RESULT_RETENTION_DAYS)
    deleted = 0
    for pk, name in BackgroundJob.objects.filter(finished_at__lt=cutoff).exclude(result_file="").values_list(
        "pk", "result_file"
    ):
        default_storage.delete(name)
        BackgroundJob.objects.filter(pk=pk, result_file=name).update(result_file="")
        deleted += 1
    return deleted


def visible_to(user):
    """The jobs `user` may see: their own (a job is its owner's only)."""
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(owner_id=user.pk)
