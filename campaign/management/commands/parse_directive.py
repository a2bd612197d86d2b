"""Print what the directive intake reads from each file: one JSON object per input, on one line,
with the keys of tests/intake/README.md (dates YYYY-MM-DD), so anyone can score it against a
labelled set (python -m campaign.intake.score)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaign.intake.extract import extract
from campaign.intake.reading import ReadingRefused, read_document


class Command(BaseCommand):
    help = "Extract number, issuer, type, title, dates, recipients, forwards and deadlines from directive files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")

    def handle(self, *args, files, indent=None, **options):
        failed = []
        for name in files:
            path = Path(name)
            try:
                data = path.read_bytes()
                text = read_document(path.name, data).text
            except OSError:
                self.stderr.write(_("%(name)s：文件不存在或无法打开。") % {"name": name})
                failed.append(name)
                continue
            except ReadingRefused as exc:
                self.stderr.write(_("%(name)s：%(reason)s") % {"name": name, "reason": exc})
                failed.append(name)
                continue
            self.stdout.write(json.dumps(extract(text).as_json(), ensure_ascii=False, indent=indent))
        if failed:
            raise CommandError(_("%(failed)s 个文件未能读取（共 %(total)s 个）。") % {"failed": len(failed), "total": len(files)})
