"""Score the extractor against a labelled set: `python -m campaign.intake.score DIR [-v]`.

DIR holds NN.txt (a document's text) and NN.json (its fields, labelled by hand; tests/intake/README.md).
Every document counts, the reproduced ones of a forwarding notice too (paired in order). A field is
right when it equals its label after folding full-width characters and removing spaces; `deadlines`
are compared as the set of (text, due_date) pairs. Prints the accuracy per field and overall.
"""

import argparse
import json
import os
import sys
import unicodedata
from pathlib import Path

from campaign.intake.record import KEYS


def _plain(value):
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()) or None


def comparable(key, value):
    """The form of a field's value in which label and output are compared."""
    if key == "deadlines":
        return frozenset((_plain(d.get("text")), d.get("due_date")) for d in (value or []))
    if key in ("primary_recipients", "cc_recipients", "forwards"):
        return tuple(_plain(v) for v in (value or []))
    return _plain(value)


def _pairs(expected, found):
    """(label, output) for the document and each document it reproduces, in order."""
    yield expected, found
    outputs = (found or {}).get("documents") or []
    for index, label in enumerate(expected.get("documents") or []):
        yield label, outputs[index] if index < len(outputs) else None


def score(folder, extract_json):
    """{field: [right, total]} and the list of (file, field, label, output) that differ."""
    totals = {key: [0, 0] for key in KEYS}
    misses = []
    for label_path in sorted(Path(folder).glob("*.json")):
        text_path = label_path.with_suffix(".txt")
        if not text_path.exists():
            continue
        expected = json.loads(label_path.read_text(encoding="utf-8"))
        found = extract_json(text_path)
        for number, (label, output) in enumerate(_pairs(expected, found)):
            name = label_path.stem if number == 0 else f"{label_path.stem}#{number}"
            for key in KEYS:
                want = comparable(key, label.get(key))
                got = comparable(key, (output or {}).get(key))
                totals[key][1] += 1
                if want == got:
                    totals[key][0] += 1
                else:
                    misses.append((name, key, label.get(key), (output or {}).get(key)))
    return totals, misses


def report(totals, misses, verbose=False, out=sys.stdout):
    right = sum(r for r, _t in totals.values())
    total = sum(t for _r, t in totals.values())
    documents = max((t for _r, t in totals.values()), default=0)
    print(f"documents: {documents}", file=out)
    for key, (r, t) in totals.items():
        print(f"{key:20} {r:4}/{t:<4} {100 * r / t if t else 0:6.1f}%", file=out)
    print(f"{'all fields':20} {right:4}/{total:<4} {100 * right / total if total else 0:6.1f}%", file=out)
    if verbose:
        for name, key, want, got in misses:
            print(f"\n{name} {key}\n  label:  {json.dumps(want, ensure_ascii=False)}\n"
                  f"  output: {json.dumps(got, ensure_ascii=False)}", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every field that differs")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Run as a script: Django is set up here, before anything that reads the settings is imported.
    import django

    django.setup()
    from campaign.intake.extract import extract
    from campaign.intake.reading import read_document

    def extract_json(path):
        return extract(read_document(path.name, path.read_bytes()).text).as_json()

    totals, misses = score(args.folder, extract_json)
    report(totals, misses, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
