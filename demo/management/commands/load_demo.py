"""`manage.py load_demo`: the 2013-2015 Mass Line campaign as demo data (demo/)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaign.models import Directive, Obligation, Requirement
from demo.loader import load_demo
from supervision.models import SupervisionGroup
from units.models import Unit


class Command(BaseCommand):
    help = "载入党的群众路线教育实践活动演示数据（可重复运行，不会重复创建）。"

    def handle(self, *args, **options):
        result = load_demo()
        new = sum(result.created.values()) + result.obligations_created
        self.stdout.write(self.style.SUCCESS("演示数据已载入：党的群众路线教育实践活动" if new else "演示数据已是最新，未作改动。"))
        self.stdout.write(
            f"  单位 {Unit.objects.count()} 个，公文 {Directive.objects.count()} 份，报送要求 {Requirement.objects.count()} 项，"
            f"报送任务 {Obligation.objects.count()} 项，督导组 {SupervisionGroup.objects.count()} 个"
            f"（本次新建 {new} 条记录）"
        )
        call_command("demo_logins", stdout=self.stdout)
