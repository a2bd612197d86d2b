from django.core.management.base import BaseCommand

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts loaded by load_demo."

    def handle(self, *args, **options):
        self.stdout.write("演示账号 (demo logins):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.label}: {account.username} / {DEMO_PASSWORD}")
