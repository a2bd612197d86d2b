"""`manage.py load_demo`: the 2013-2015 Mass Line campaign as demo data (demo/).

The demo is for a development machine (DEBUG on, as `make run` sets it): its logins share one
published password. With DEBUG off the command refuses to run unless told
--i-know-this-is-production; it then gives each new demo login its own initial password,
printed once here, to be changed at first login.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from campaign.models import Directive, Obligation, Requirement
from demo.accounts import DEMO_ACCOUNTS
from demo.loader import load_demo
from supervision.models import SupervisionGroup
from units.models import Unit

PRODUCTION_FLAG = "--i-know-this-is-production"


class Command(BaseCommand):
    help = "载入党的群众路线教育实践活动演示数据（可重复运行，不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-story", action="store_false", dest="story",
            help="只载入活动、单位、公文和报送要求，不演示截至2014年1月8日的工作进展（报送、审核、提醒等）。",
        )
        parser.add_argument(
            PRODUCTION_FLAG, action="store_true", dest="production",
            help="DEBUG 关闭时（生产环境）仍然载入；每个新建的演示账号各有一个只显示一次的初始密码。",
        )

    def handle(self, *args, **options):
        production = not settings.DEBUG
        if production and not options["production"]:
            raise CommandError(
                "DEBUG 未开启，这里可能是生产环境：演示数据会建立一批演示账号，不应载入生产系统。"
                f"本机演示请设置 DEBUG=1（make run 会设置）；确需在生产环境载入，请加 {PRODUCTION_FLAG}。"
            )
        result = load_demo(shared_password=not production, story=options["story"])
        new = sum(result.created.values()) + result.obligations_created + result.motion_steps
        self.stdout.write(self.style.SUCCESS("演示数据已载入：党的群众路线教育实践活动" if new else "演示数据已是最新，未作改动。"))
        self.stdout.write(
            f"  单位 {Unit.objects.count()} 个，公文 {Directive.objects.count()} 份，报送要求 {Requirement.objects.count()} 项，"
            f"报送任务 {Obligation.objects.count()} 项，督导组 {SupervisionGroup.objects.count()} 个"
            f"（本次新建 {new} 条记录）"
        )
        if not production:
            call_command("demo_logins", stdout=self.stdout)
            return
        self.stdout.write("演示账号的初始密码（只显示这一次，首次登录须修改）：")
        for account in DEMO_ACCOUNTS:
            password = result.initial_passwords.get(account.username)
            shown = password if password else "（已有账号，密码未改动）"
            self.stdout.write(f"  {account.label}: {account.username} / {shown}")
