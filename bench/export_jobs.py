"""Exports as background jobs (core.jobs.run, as the worker runs them): wall time, peak memory and
file size of the unit register (.xlsx, .csv) and of the dashboard's obligations export.

Usage (PostgreSQL with a generated province: manage.py generate_province --units 50000 ...):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/office_bench MEDIA_ROOT=/tmp/bench-media \
        .venv/bin/python bench/export_jobs.py units-xlsx|units-csv|obligations

One export per run, so that the peak resident memory is that export's. Wall time and this
process's CPU time are both reported: on a shared machine the first depends on the load. The jobs are run in this
process (no broker), for a superuser "bench-exports" made if missing; the files stay in MEDIA_ROOT.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.http import QueryDict  # noqa: E402

from campaign.export import start_progress_export  # noqa: E402
from campaign.models import Campaign  # noqa: E402
from core import jobs  # noqa: E402
from units.export import start_export  # noqa: E402
from units.models import Unit  # noqa: E402


def peak_rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(which):
    jobs.queue = lambda job_id: True  # run here, not in a worker
    User = get_user_model()
    owner = User.objects.filter(username="bench-exports").first() or User.objects.create_superuser(
        "bench-exports", "bench@example.org", None)
    if which in ("units-xlsx", "units-csv"):
        job = start_export(QueryDict(""), which.split("-")[1], owner=owner)
    else:
        job = start_progress_export(Unit.objects.get(code="GEN"), Campaign.objects.order_by("pk").first(), owner=owner)
    start, cpu = time.perf_counter(), time.process_time()
    jobs.run(job.pk)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    job.refresh_from_db()
    size = default_storage.size(job.result_file) if job.result_file else 0
    # The CPU time of this process alone (not the database's): what a busy machine does not inflate.
    print(f"| {which} | {job.state} | {job.done} rows | {seconds:.1f} s (CPU {cpu:.1f} s) | peak RSS {peak_rss_mb():.0f} MB "
          f"| {size / 1e6:.1f} MB file | {job.message or job.error} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "units-xlsx")
