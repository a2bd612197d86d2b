"""Build a deterministic province-shaped tree with obligations, for benchmarks and demos.

Shape (DESIGN: scale): ~11 cities, ~90 counties, ~1,300 townships and streets,
villages and communities for the rest, plus organs at province, city and county
level; every requirement binds every unit, obligations in a realistic mix of states.

Supervision shapes (003: 下派到市、督导到县): a group assigned unit by unit to every unit of the
first city (one GroupAssignment per unit: thousands at 50,000 units), a group assigned to the
second city with its subtree, and role users sharing the demo password (demo.accounts): office
staff of the province and of the first city, a leader and a member of each group, a liaison of
a village. Their usernames are printed at the end, for benchmarks that log in as them.

Synthetic data for measuring: it is written in bulk, straight into the tables, without the
actions' audit rows (which would double the time to build 500,000 obligations).
"""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaign.deadlines import Deadline
from campaign.models import Batch, Campaign, Directive, Obligation, Participation, Phase, Requirement
from core import clock
from demo.accounts import DEMO_PASSWORD
from demo.loader import get_or_create_user
from supervision.models import GroupAssignment, GroupMember, SupervisionGroup
from units.models import PATH_SEGMENT, Level, Unit, UnitMembership, UnitType, encode_segment

ROOT_CODE = "GEN"
# The role users, in the order printed: (username, full name).
PROVINCE_OFFICE = ("gen_province_office", "测试省活动办")
CITY_OFFICE = ("gen_city_office", "第1市活动办")
UNIT_GROUP = ("测试省逐个单位督导组", "gen_units_leader", "gen_units_member")
SUBTREE_GROUP = ("测试省含下级督导组", "gen_subtree_leader", "gen_subtree_member")
VILLAGE_LIAISON = ("gen_village_liaison", "第1村联络员")


class Command(BaseCommand):
    help = "Generate a province (units, directives, requirements, obligations) for benchmarks and demos."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=50000)
        parser.add_argument("--requirements", type=int, default=10)
        parser.add_argument("--seed", default="1")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD; due dates are set around it")

    def handle(self, *args, units, requirements, seed, today, **options):
        if Unit.objects.filter(code=ROOT_CODE).exists():
            raise CommandError(f"A generated province already exists (unit code {ROOT_CODE}).")
        rng = random.Random(f"province:{seed}")
        today = today or clock.today()
        with transaction.atomic():
            campaign, batches, phases = self.campaign()
            tree = self.build_tree(units, rng, batches)
            self.stdout.write(f"units: {len(tree)}")
            count = self.obligations(tree[0], requirements, rng, campaign, phases, today)
            self.stdout.write(f"obligations: {count}")
            logins = self.supervision(tree, campaign, today)
        self.stdout.write(f"logins (password {DEMO_PASSWORD}):")
        for username, label in logins:
            self.stdout.write(f"  {label}: {username}")

    def campaign(self):
        campaign, _ = Campaign.objects.get_or_create(
            name="党的群众路线教育实践活动（测试省份）", defaults={"short_name": "群众路线", "starts_on": dt.date(2013, 6, 18)}
        )
        batches = [Batch.objects.get_or_create(campaign=campaign, ordinal=i, defaults={"name": name})[0]
                   for i, name in [(1, "第一批"), (2, "第二批")]]
        names = [("study", "学习教育、听取意见"), ("examination", "查摆问题、开展批评"), ("rectification", "整改落实、建章立制"),
                 ("summary", "总结"), ("lookback", "回头看")]
        phases = [Phase.objects.get_or_create(campaign=campaign, code=code, defaults={"ordinal": i, "name": name})[0]
                  for i, (code, name) in enumerate(names, start=1)]
        return campaign, batches, phases

    def build_tree(self, total, rng, batches):
        """Units in path order with precomputed paths, inserted in bulk."""
        next_root = Unit.objects.filter(parent__isnull=True).order_by("-path").values_list("path", flat=True).first()
        root_path = encode_segment(int(next_root, 36) + 1 if next_root else 0)
        scale = max(total / 50000, 0.0002)
        plan = {"cities": max(1, round(11 * min(scale, 1) ** 0.5)), "counties": max(1, round(8 * min(scale, 1) ** 0.5)),
                "townships": max(1, round(14 * min(scale, 1) ** 0.3)), "organs": max(1, round(30 * min(scale, 1) ** 0.5))}
        units = []
        counters = {}

        def add(parent, code, name, level, unit_type, batch):
            key = parent.path if parent else ""
            number = counters.get(key, 0)
            counters[key] = number + 1
            path = (parent.path if parent else "") + (encode_segment(number) if parent else root_path)
            unit = Unit(code=code, name=name, path=path, depth=len(path) // PATH_SEGMENT - 1,
                        level=level, unit_type=unit_type, is_window_unit=rng.random() < 0.05)
            unit.generated_parent, unit.generated_batch = parent, batch
            units.append(unit)
            return unit

        province = add(None, ROOT_CODE, "测试省", Level.PROVINCE, UnitType.PARTY_COMMITTEE, batches[0])
        for o in range(plan["organs"] * 3):
            add(province, f"{ROOT_CODE}-O{o:03d}", f"省直单位{o + 1}", Level.PROVINCE, UnitType.ORGAN, batches[0])
        townships = []
        for c in range(plan["cities"]):
            city = add(province, f"{ROOT_CODE}{c:02d}", f"第{c + 1}市", Level.CITY, UnitType.PARTY_COMMITTEE, batches[1])
            for o in range(plan["organs"]):
                add(city, f"{city.code}-O{o:02d}", f"{city.name}直属单位{o + 1}", Level.CITY, UnitType.ORGAN, batches[1])
            for k in range(plan["counties"]):
                county = add(city, f"{city.code}{k:02d}", f"{city.name}第{k + 1}县", Level.COUNTY, UnitType.PARTY_COMMITTEE, batches[1])
                for o in range(plan["organs"] // 2):
                    add(county, f"{county.code}-O{o:02d}", f"{county.name}部门{o + 1}", Level.COUNTY, UnitType.ORGAN, batches[1])
                for t in range(plan["townships"]):
                    kind = UnitType.STREET if rng.random() < 0.3 else UnitType.TOWNSHIP
                    townships.append(add(county, f"{county.code}{t:03d}", f"{county.name}第{t + 1}乡镇", Level.TOWNSHIP, kind, batches[1]))
        # Villages and communities fill the rest, spread over the townships.
        remaining = max(0, total - len(units))
        for v in range(remaining):
            town = townships[v % len(townships)] if townships else province
            kind = UnitType.COMMUNITY if town.unit_type == UnitType.STREET else UnitType.VILLAGE
            add(town, f"{town.code}{v // max(len(townships), 1):04d}", f"{town.name}第{v // max(len(townships), 1) + 1}村",
                Level.VILLAGE, kind, batches[1])
        units.sort(key=lambda unit: unit.path)
        Unit.objects.bulk_create(units, batch_size=5000)
        children = [unit for unit in units if unit.generated_parent]
        for unit in children:  # every unit has its pk now
            unit.parent_id = unit.generated_parent.pk
        Unit.objects.bulk_update(children, ["parent"], batch_size=5000)
        Participation.objects.bulk_create(
            [Participation(campaign=unit.generated_batch.campaign, unit=unit, batch=unit.generated_batch) for unit in units],
            batch_size=5000,
        )
        return units

    def obligations(self, province, count, rng, campaign, phases, today):
        directive = Directive(campaign=campaign, doc_type="通知", issuing_unit=province, issuer_name="测试省教育实践活动领导小组",
                              title="关于做好教育实践活动各环节工作的通知", signed_on=today - dt.timedelta(days=60), body="（生成数据）")
        directive.set_number(f"测群组发〔{today.year}〕1号")
        directive.save()
        offsets = [-30, -14, -7, -2, 1, 2, 5, 10, 20, 40]
        now = clock.now()
        total = 0
        for index in range(count):
            due_on = today + dt.timedelta(days=offsets[index % len(offsets)] + 30 * (index // len(offsets)))
            deadline = Deadline(due_on.isoformat(), due_on, "day")
            requirement = Requirement.objects.create(
                directive=directive, title=f"报送事项{index + 1}", phase=phases[index % len(phases)], scope_unit=province,
                submit_to=province, deadline_text=deadline.text, due_at=deadline.due_at,
            )
            past = deadline.due_at < now
            rows = []
            for unit_id in Unit.objects.subtree(province).values_list("pk", flat=True).iterator(chunk_size=10000):
                roll = rng.random()
                status, first = "pending", None
                if past:
                    status = "accepted" if roll < 0.65 else "submitted" if roll < 0.78 else "returned" if roll < 0.85 else "pending"
                elif roll < 0.3:
                    status = "submitted" if roll < 0.2 else "accepted"
                if status != "pending":
                    late = rng.random() < 0.1
                    first = deadline.due_at + dt.timedelta(hours=rng.randint(1, 72)) if late and past else min(
                        now, deadline.due_at) - dt.timedelta(hours=rng.randint(1, 240))
                rows.append(Obligation(requirement=requirement, unit_id=unit_id, due_at=deadline.due_at, status=status,
                                       first_submitted_at=first, submitted_at=first,
                                       accepted_at=first if status == "accepted" else None))
                if len(rows) >= 10000:
                    Obligation.objects.bulk_create(rows, batch_size=5000)
                    total += len(rows)
                    rows = []
            Obligation.objects.bulk_create(rows, batch_size=5000)
            total += len(rows)
        return total

    def supervision(self, tree, campaign, today):
        """The two groups (unit by unit over the first city; the second city with its subtree) and
        the role users; returns [(username, label)] to print."""
        province = tree[0]
        cities = [unit for unit in tree if unit.level == Level.CITY and unit.unit_type == UnitType.PARTY_COMMITTEE]
        first_city, second_city = cities[0], cities[1] if len(cities) > 1 else cities[0]
        village = next((unit for unit in tree if unit.level == Level.VILLAGE), tree[-1])
        password = make_password(DEMO_PASSWORD)  # one slow hash for all of them
        logins = []

        def user(username, full_name, label):
            logins.append((username, label))
            return get_or_create_user(username, full_name, password)[0]

        memberships = [
            UnitMembership(user=user(*PROVINCE_OFFICE, "省活动办工作人员"), unit=province, role=UnitMembership.Role.OFFICE),
            UnitMembership(user=user(*CITY_OFFICE, f"{first_city.name}活动办工作人员"), unit=first_city,
                           role=UnitMembership.Role.OFFICE),
            UnitMembership(user=user(*VILLAGE_LIAISON, f"{village.name}联络员"), unit=village, role=UnitMembership.Role.LIAISON),
        ]
        UnitMembership.objects.bulk_create(memberships, ignore_conflicts=True)
        starts_on = today - dt.timedelta(days=60)
        first_city_units = [unit for unit in tree if unit.path.startswith(first_city.path)]
        shapes = [(UNIT_GROUP, [(unit, False) for unit in first_city_units]), (SUBTREE_GROUP, [(second_city, True)])]
        for (name, leader, member), assigned in shapes:
            group = SupervisionGroup.objects.create(campaign=campaign, office=province, name=name,
                                                    kind=SupervisionGroup.Kind.RESIDENT)
            GroupMember.objects.bulk_create([
                GroupMember(group=group, user=user(leader, f"{name}组长", f"{name}组长"), is_leader=True),
                GroupMember(group=group, user=user(member, f"{name}成员", f"{name}成员"), is_leader=False),
            ])
            GroupAssignment.objects.bulk_create(
                [GroupAssignment(group=group, unit=unit, include_subtree=subtree, starts_on=starts_on) for unit, subtree in assigned],
                batch_size=5000,
            )
            self.stdout.write(f"{name}: {len(assigned)} assignments")
        return logins
