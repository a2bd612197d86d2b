"""Import 50,000 units and export 500,000 obligations (time and peak memory).

Usage (PostgreSQL with a generated province):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/office_bench .venv/bin/python bench/import_export.py

Import: the generated province's units are exported to .csv with the import
template's columns, recoded, and imported under a fresh root of their own (so that
no requirement fans out to them): the validating pass (preview) and the writing
pass are timed separately. Export: the dashboard's .xlsx export of every obligation
in the province runs in a child process whose peak resident memory is reported.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The script's own folder would shadow django-import-export's package with this file's name.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from units.actions import import_units  # noqa: E402
from units.models import Level, Unit, UnitType  # noqa: E402
from units.resources import HEADERS, UnitResource  # noqa: E402


def peak_rss_mb():
    """This process's peak resident memory. /proc's VmHWM belongs to this program's own memory
    map; ru_maxrss can carry the parent's high-water mark across the fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child():
    from campaign.export import write_obligations
    from campaign.models import Obligation

    province = Unit.objects.get(code="GEN")
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        rows = write_obligations(Obligation.objects.filter(unit__path__startswith=province.path), out)
        size = out.tell()
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    print(f"| export .xlsx | {rows} obligations | {seconds:.1f} s | peak RSS {peak:.0f} MB | {size / 1e6:.1f} MB file |")


def import_bench():
    user, _ = get_user_model().objects.get_or_create(username="bench_root", defaults={"is_superuser": True, "is_staff": True})
    Unit.objects.filter(code="IMPROOT").exists() or Unit.objects.create(
        code="IMPROOT", name="导入测试根", level=Level.CENTRAL, unit_type=UnitType.PARTY_COMMITTEE
    )
    province = Unit.objects.get(code="GEN")
    start = time.perf_counter()
    dataset = UnitResource().export(queryset=Unit.objects.subtree(province))
    export_seconds = time.perf_counter() - start
    code, parent = list(HEADERS.values()).index(HEADERS["code"]), list(HEADERS.values()).index(HEADERS["parent"])
    recoded = dataset.__class__(headers=dataset.headers)
    run = str(int(time.time()))[-5:]
    for row in dataset:
        row = list(row)
        row[code] = f"I{run}{row[code]}"
        row[parent] = f"I{run}{row[parent]}" if row[parent] != "" and row[parent] is not None else "IMPROOT"
        if row[code] == f"I{run}GEN":
            row[parent] = "IMPROOT"
        recoded.append(row)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as file:
        file.write(recoded.export("csv"))
    path = Path(file.name)
    start = time.perf_counter()
    errors = import_units(path, actor=user, dry_run=True).errors
    check_seconds = time.perf_counter() - start
    assert not errors, errors[:5]
    start = time.perf_counter()
    outcome = import_units(path, actor=user, dry_run=False)
    write_seconds = time.perf_counter() - start
    assert not outcome.errors, outcome.errors[:5]
    path.unlink()
    print("| step | rows | time | notes |")
    print("|---|---|---|---|")
    print(f"| export units .csv (resource) | {len(dataset)} | {export_seconds:.1f} s | |")
    print(f"| import: validate (preview) | {len(recoded)} | {check_seconds:.1f} s | nothing written |")
    print(f"| import: write | {outcome.new} new | {write_seconds:.1f} s | one transaction |")


if __name__ == "__main__":
    if "--export-child" in sys.argv:
        export_child()
    else:
        import_bench()
        subprocess.run([sys.executable, __file__, "--export-child"], check=True)
