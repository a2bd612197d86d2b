from django.core.management.base import BaseCommand

from access.grants import sync_everything


class Command(BaseCommand):
    help = "Rebuild the object permissions of offices, liaisons and supervision groups (after bulk loads)."

    def handle(self, *args, **options):
        sync_everything()
        self.stdout.write(self.style.SUCCESS("object permissions rebuilt"))
