"""A requirement over the whole generated province, then a deadline move on all its obligations.

Usage (PostgreSQL with a generated province, see bench/README.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bulk50k DEBUG=1 \\
        /usr/bin/time -v .venv/bin/python bench/bulk.py

Both run through campaign.actions.save_requirement inline (as the API and commands do; the pages
hand the same work to a background job past BULK_INLINE_LIMIT): the fan-out's batched
INSERT … SELECT and the move's batched UPDATE (campaign.bulk), one audit row each. Prints the
time of each and the process's peak RSS. Run `VACUUM ANALYZE` first on a fresh data set (a
server without autovacuum has no planner statistics).
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from campaign import actions  # noqa: E402
from campaign.models import Directive, Obligation, Requirement  # noqa: E402
from units.models import Unit  # noqa: E402


def main():
    root = Unit.objects.get(code="GEN")
    directive = Directive.objects.filter(issuing_unit=root).order_by("pk").first()
    actor, _ = get_user_model().objects.get_or_create(username="bench_bulk", defaults={"full_name": "批量写入测试", "is_superuser": True})
    requirement = Requirement(directive=directive, title=f"批量写入测试 {time.strftime('%H:%M:%S')}", scope_unit=root,
                              submit_to=root, deadline_text="2014年2月10日前")
    started = time.monotonic()
    requirement, added, _ = actions.save_requirement(requirement, actor=actor)
    print(f"fan-out: {added:,} obligations in {time.monotonic() - started:.1f} s")
    requirement.refresh_from_db()
    requirement.deadline_text = "2014年2月20日前"
    started = time.monotonic()
    actions.save_requirement(requirement, actor=actor)
    moved = Obligation.objects.filter(requirement=requirement, due_at=requirement.due_at).count()
    print(f"deadline move: {moved:,} obligations in {time.monotonic() - started:.1f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
