"""The pages of background jobs (core.jobs): a job's progress and result, its download, the
person's recent jobs. A job is its owner's only: anyone else gets 404, whatever the job."""

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from core import jobs, paging
from core.downloads import FORMATS
from core.security_log import security_event


def _context(job):
    done, total = jobs.done_of(job)
    return {"job": job, "done": done, "total": total, "percent": jobs.percent(job)}


@login_required
def job_detail(request, job_id):
    job = get_object_or_404(jobs.visible_to(request.user), pk=job_id)
    return render(request, "core/job.html", _context(job))


@login_required
def job_progress(request, job_id):
    """htmx: the progress fragment, polled every second; once the job has ended the page reloads
    to show the outcome."""
    job = get_object_or_404(jobs.visible_to(request.user), pk=job_id)
    response = render(request, "core/_job_progress.html", _context(job))
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_download(request, job_id):
    """The file the job wrote, to its owner, while it is kept (JOB_RESULT_RETENTION_DAYS)."""
    job = get_object_or_404(jobs.visible_to(request.user), pk=job_id, state=jobs.State.DONE)
    if not job.result_file:
        raise Http404
    try:
        stored = default_storage.open(job.result_file, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    security_event("download", job=job.pk, kind=job.kind, file=job.result_name)
    content_type = FORMATS.get(PurePosixPath(job.result_name).suffix.lstrip(".").lower(), "application/octet-stream")
    return FileResponse(stored, as_attachment=True, filename=job.result_name, content_type=content_type)


@login_required
def job_list(request):
    shown = paging.window(jobs.visible_to(request.user), expanded=True, page=request.GET.get("page"))
    return render(request, "core/jobs.html", {"page": shown.page, "rows": shown.rows})
