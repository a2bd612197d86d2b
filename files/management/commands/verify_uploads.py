"""manage.py verify_uploads: hash every stored file again and compare it with the SHA-256 its row
recorded at upload. Reports missing and changed files; exit code 1 if there is any."""

from django.core.management.base import BaseCommand, CommandError

from files import inventory


class Command(BaseCommand):
    help = "Re-hash every stored file against its recorded SHA-256; report missing and changed files."

    def handle(self, **options):
        counts = {"ok": 0, "missing": 0, "changed": 0}
        for finding in inventory.verify():
            if finding is None:
                counts["ok"] += 1
                continue
            counts[finding.problem] += 1
            self.stderr.write(self.style.ERROR(
                f"{finding.problem}: {finding.label} ({finding.context or 'no owner'}), file {finding.name}"
            ))
        checked = sum(counts.values())
        self.stdout.write(
            f"Checked {checked} stored files: {counts['ok']} intact, {counts['missing']} missing, {counts['changed']} changed."
        )
        if counts["missing"] or counts["changed"]:
            raise CommandError(f"{counts['missing'] + counts['changed']} stored files are missing or changed")
