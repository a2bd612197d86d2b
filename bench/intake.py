"""Directive intake: time to read a file and extract its fields, and peak memory.

Usage:
    .venv/bin/python bench/intake.py [--repeat 20]

Reads every labelled text under tests/intake/ (seeds, tuned, held-out) and every reading fixture
under tests/intake/files/ the way the intake does (campaign.intake.reading, then
campaign.intake.extract), `--repeat` times each, and reports the median and worst milliseconds per
document; then the worst cases the extractor accepts: a text of MAX_CHARS characters of a
forwarding notice repeated, and one run-on line without a full stop. Targets: a real notice in
under 100 ms at the median, the 300,000-character worst case under 10 s, peak RSS under 300 MiB.
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from campaign.intake.extract import MAX_CHARS, extract  # noqa: E402
from campaign.intake.reading import read_document  # noqa: E402

INTAKE = ROOT / "tests" / "intake"


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def run(repeat):
    texts = sorted(INTAKE.glob("*/*.txt"))
    files = sorted(p for p in (INTAKE / "files").iterdir() if p.suffix != ".py")
    per_text = []
    for path in texts:
        data = path.read_bytes()
        per_text.append(statistics.median(
            timed(lambda d=data, n=path.name: extract(read_document(n, d).text)) for _ in range(repeat)))
    per_file = []
    for path in files:
        data = path.read_bytes()
        per_file.append(statistics.median(timed(read_document, path.name, data) for _ in range(repeat)))
    seed = (INTAKE / "seeds" / "000.txt").read_text(encoding="utf-8")
    longest = (seed * (MAX_CHARS // len(seed) + 1))[:MAX_CHARS]
    run_on = ("各单位请于2014年1月10日前将总结报送省委办公室，" * (MAX_CHARS // 25))[:MAX_CHARS]
    print(f"labelled texts: {len(texts)}, read and extracted, median of {repeat} runs each")
    print(f"  per document: median {statistics.median(per_text):.1f} ms, worst {max(per_text):.1f} ms")
    print(f"reading fixtures: {len(files)} ({', '.join(p.suffix for p in files)})")
    print(f"  per file: median {statistics.median(per_file):.1f} ms, worst {max(per_file):.1f} ms")
    print(f"{MAX_CHARS:,} characters of forwarding notices: {timed(extract, longest) / 1000:.2f} s")
    print(f"{MAX_CHARS:,} characters on one run-on line: {timed(extract, run_on) / 1000:.2f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 20
    run(repeat)
