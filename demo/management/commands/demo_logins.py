from django.conf import settings
from django.core.management.base import BaseCommand

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts loaded by load_demo."

    def handle(self, *args, **options):
        self.stdout.write("演示账号 (demo logins):")
        for account in DEMO_ACCOUNTS:
            # With DEBUG off the demo logins have their own passwords, printed once by load_demo.
            password = DEMO_PASSWORD if settings.DEBUG else "（密码在载入时显示过一次）"
            self.stdout.write(f"  {account.label}: {account.username} / {password}")
