"""`manage.py load_demo`: the real Mass Line campaign from the seeds, loaded idempotently."""

import datetime as dt
import hashlib
import io
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from demo import directives as demo_directives
from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import load_demo, make_unit

SHANGHAI = ZoneInfo("Asia/Shanghai")

MODELS = [
    "campaign.Campaign",
    "campaign.Batch",
    "campaign.Phase",
    "campaign.Directive",
    "campaign.DirectiveAttachment",
    "campaign.Requirement",
    "campaign.Obligation",
    "units.Unit",
    "units.UnitMembership",
    "supervision.SupervisionGroup",
    "supervision.GroupMember",
    "supervision.GroupAssignment",
    "rectification.SpecialRectification",
    "rectification.LookBackCheckpoint",
    "accounts.User",
]

EXPECTED_DIRECTIVES = {
    "浙群组发〔2013〕48号": ("通知", "中共浙江省委党的群众路线教育实践活动领导小组", dt.date(2013, 12, 24), None, "330000"),
    "群组发〔2013〕29号": ("通知", "中央党的群众路线教育实践活动领导小组", dt.date(2013, 12, 19), None, "100000"),
    "群办发〔2013〕17号": ("通知", "中央党的群众路线教育实践活动领导小组办公室", dt.date(2013, 12, 22), None, "100000"),
    "浙群组发〔2014〕25号": ("通知", "中共浙江省委党的群众路线教育实践活动领导小组", dt.date(2014, 5, 30), dt.date(2014, 6, 4), "330000"),
    "群组发〔2014〕13号": ("通知", "中央党的群众路线教育实践活动领导小组", dt.date(2014, 5, 17), None, "100000"),
    "冀群组发〔2014〕33号": ("通知", "中共河北省委党的群众路线教育实践活动领导小组", dt.date(2014, 4, 3), None, "130000"),
    "群组发〔2014〕7号": ("通知", "中央党的群众路线教育实践活动领导小组", dt.date(2014, 3, 23), None, "100000"),
    "浙整改办发〔2015〕2号": ("通知", "中共浙江省委整改落实办公室", dt.date(2015, 1, 15), None, "330000"),
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load():
    """The campaign without its story (demo.motion, tested in test_demo_in_motion): quicker."""
    out = io.StringIO()
    load_demo(stdout=out, story=False)
    return out.getvalue()


def counts():
    return {label: apps.get_model(label).objects.count() for label in MODELS}


@pytest.fixture
def demo(db):
    return load()


def test_running_twice_changes_nothing(demo):
    first = counts()
    assert first["units.Unit"] >= 200 and first["campaign.Obligation"] > 0
    second_output = load()
    assert counts() == first
    assert "未作改动" in second_output


def test_adding_a_unit_then_reloading_fans_out_to_it_once(demo):
    from campaign.models import Batch, Requirement
    from units.models import Unit

    province = Unit.objects.get(code="330000")
    new_organ = make_unit(
        code="330000-99", name="省统计局", parent=province, level="province", unit_type="organ",
        batch=Batch.objects.get(participations__unit=province),
    )
    load()
    load()
    summary = Requirement.objects.get(title="初步书面总结")
    assert summary.obligations.filter(unit=new_organ).count() == 1


def test_campaign_batches_and_phases(demo):
    from campaign.models import Campaign

    campaign = Campaign.objects.get()
    assert campaign.name == "党的群众路线教育实践活动"
    assert campaign.starts_on == dt.date(2013, 6, 18)
    assert [b.name for b in campaign.batches.order_by("ordinal")] == ["第一批", "第二批"]
    assert campaign.batches.get(ordinal=2).starts_on == dt.date(2014, 1, 1)
    assert list(campaign.phases.order_by("ordinal").values_list("code", flat=True)) == [
        "study",
        "examination",
        "rectification",
        "summary",
        "lookback",
    ]


def test_every_directive_with_number_type_issuer_and_dates(demo):
    from campaign.models import Directive

    assert Directive.objects.count() == 9
    for number, (doc_type, issuer_name, signed_on, printed_on, issuer_code) in EXPECTED_DIRECTIVES.items():
        directive = Directive.objects.by_number(number)
        assert directive.number == number
        assert (directive.doc_type, directive.issuer_name, directive.signed_on, directive.printed_on) == (
            doc_type,
            issuer_name,
            signed_on,
            printed_on,
        )
        assert directive.issuing_unit.code == issuer_code
        assert directive.body and directive.primary_recipients
    opinion = Directive.objects.get(number="")
    assert opinion.title == "关于开展第二批党的群众路线教育实践活动的指导意见"
    assert (opinion.doc_type, opinion.issuer_name, opinion.signed_on) == ("意见", "中共中央办公厅", dt.date(2014, 1, 23))
    assert "<" not in opinion.body and "第二批教育实践活动大体安排8个月时间" in opinion.body


def test_directive_texts_come_from_the_seeds(demo):
    from campaign.models import Directive

    zj48 = Directive.objects.by_number("浙群组发〔2013〕48号")
    assert zj48.primary_recipients == "各市、省直属各单位教育实践活动领导小组，省委各督导组"
    assert "初步的书面总结在2014年1月10日前报省委教育实践活动领导小组办公室" in zj48.body
    assert "群众路线教育实践活动领导小组《关于认真做好第一批" in zj48.title
    central29 = Directive.objects.by_number("群组发〔2013〕29号")
    assert "请于12月底向中央教育实践活动领导小组办公室报第一批教育实践活动的初步总结" in central29.body
    assert "听取河北省委" not in central29.body  # the 48号 text is not part of it
    zj25 = Directive.objects.by_number("浙群组发〔2014〕25号")
    assert zj25.copy_recipients.startswith("中央党的群众路线教育实践活动领导小组办公室，中纪委、中组部、中宣部")
    assert "督导工作还存在一些不容忽视的问题" not in zj25.body
    assert "督导工作还存在一些不容忽视的问题" in Directive.objects.by_number("群组发〔2014〕13号").body
    zj2 = Directive.objects.by_number("浙整改办发〔2015〕2号")
    attachment = zj2.attachments.get()
    assert attachment.title == "开展教育实践活动整改落实情况“回头看”的实施方案"
    assert "于2月底前报省委整改办" in attachment.body
    assert "于2月底前报省委整改办" not in zj2.body


def test_forwarding_links(demo):
    from campaign.models import Directive

    zj48 = Directive.objects.by_number("浙群组发〔2013〕48号")
    assert set(zj48.forwards.values_list("number", flat=True)) == {"群组发〔2013〕29号", "群办发〔2013〕17号"}
    for number in ("群组发〔2013〕29号", "群办发〔2013〕17号"):
        assert list(Directive.objects.by_number(number).forwarded_by.all()) == [zj48]
    assert list(Directive.objects.by_number("冀群组发〔2014〕33号").forwards.values_list("number", flat=True)) == ["群组发〔2014〕7号"]
    assert list(Directive.objects.by_number("浙群组发〔2014〕25号").forwards.values_list("number", flat=True)) == ["群组发〔2014〕13号"]
    forwarding = Directive.objects.filter(forwards__isnull=False).distinct().count()
    assert forwarding == 3


def test_ten_january_requirement_binds_every_batch1_unit_once(demo):
    from campaign.models import Requirement, Route
    from units.models import Unit

    requirement = Requirement.objects.get(directive__number="浙群组发〔2013〕48号", title="初步书面总结")
    assert requirement.due_at == dt.datetime(2014, 1, 10, 23, 59, 59, tzinfo=SHANGHAI)
    assert requirement.route == Route.SUPERVISION_FIRST and requirement.phase.code == "summary"
    province = Unit.objects.get(code="330000")
    batch1 = Unit.objects.subtree(province).active().filter(participations__batch__ordinal=1)
    assert batch1.count() > 30
    assert requirement.obligations.count() == batch1.count()
    assert set(requirement.obligations.values_list("unit_id", flat=True)) == set(batch1.values_list("pk", flat=True))
    assert all(o.due_at == requirement.due_at for o in requirement.obligations.all())


def test_other_seed_deadlines(demo):
    from campaign.models import Requirement, Route

    def due(title):
        return Requirement.objects.get(title=title).due_at.astimezone(SHANGHAI)

    assert due("第一批教育实践活动初步总结") == dt.datetime(2013, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
    assert due("第一批教育实践活动总结报告") == dt.datetime(2014, 1, 20, 23, 59, 59, tzinfo=SHANGHAI)
    preliminary = Requirement.objects.get(title="第一批教育实践活动初步总结")
    assert set(preliminary.obligations.values_list("unit__name", flat=True)) == {"浙江省", "河北省"}
    cities = Requirement.objects.get(title="各市整改落实“回头看”自查情况报告")
    provincial = Requirement.objects.get(title="省直单位整改落实“回头看”自查情况报告")
    for requirement in (cities, provincial):
        assert requirement.due_at == dt.datetime(2015, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)
        assert requirement.directive.number == "浙整改办发〔2015〕2号"
    assert cities.route == Route.SUPERVISION_FIRST and provincial.route == Route.OFFICE_AND_AFFILIATION
    assert cities.obligations.count() == 11
    provincial_units = set(provincial.obligations.values_list("unit__name", flat=True))
    assert {"省发展改革委", "浙江工业大学", "浙江省物产集团有限公司"} <= provincial_units
    assert "浙江省" not in provincial_units and "河北省发展和改革委员会" not in provincial_units


def test_unit_tree(demo):
    from units.models import Unit

    province = Unit.objects.get(code="330000")
    assert province.parent.code == "100000" and province.parent.level == "central"
    cities = Unit.objects.filter(parent=province, level="city").order_by("code")
    assert list(cities.values_list("name", flat=True)) == [
        "杭州市",
        "宁波市",
        "温州市",
        "嘉兴市",
        "湖州市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
        "台州市",
        "丽水市",
    ]
    assert set(cities.values_list("participations__batch__ordinal", flat=True)) == {2}
    assert Unit.objects.get(code="330000-05").name == "省发展改革委"
    assert Unit.objects.get(code="330000-05").participations.get().batch.ordinal == 1
    assert Unit.objects.get(name="浙江工业大学").participations.get().batch.ordinal == 2
    assert Unit.objects.filter(is_window_unit=True).count() >= 10
    for level in ("county", "township", "village"):
        assert Unit.objects.subtree(province).filter(level=level).exists()
    yucun = Unit.objects.get(name="余村")
    assert [u.name for u in yucun.ancestors()] == ["中央", "浙江省", "湖州市", "安吉县", "天荒坪镇"]
    assert Unit.objects.get(code="130000").name == "河北省"
    assert 200 <= Unit.objects.count() <= 600


def test_every_demo_unit_satisfies_every_unit_rule(demo):
    """The demo is made with plain creates: each unit still passes the model's whole validation
    (code shape, visible names, place in the tree, the named constraints)."""
    from units.models import Unit

    for unit in Unit.objects.select_related("parent"):
        unit.full_clean()


def test_supervision_groups(demo):
    from supervision.models import GroupAssignment, SupervisionGroup
    from units.models import Unit

    first = SupervisionGroup.objects.get(name="省委第一督导组")
    assert first.office.code == "330000" and first.kind == "resident"
    assert first.members.get(is_leader=True).user.username == "sup_leader"
    assert first.members.filter(user__username="sup_member", is_leader=False).exists()
    fgw = Unit.objects.get(name="省发展改革委")
    assert GroupAssignment.objects.current().filter(group=first, unit=fgw).exists()
    hangzhou = GroupAssignment.objects.get(group=first, unit__name="杭州市")
    assert hangzhou.include_subtree
    assert SupervisionGroup.objects.filter(kind="inspection").exists()
    for group in SupervisionGroup.objects.all():
        assert group.members.filter(is_leader=True).count() == 1
        assert group.members.count() >= 2
    # Every city and every batch-1 provincial organ has a resident group.
    resident = GroupAssignment.objects.filter(group__kind="resident")
    assert resident.filter(unit__level="city").values("unit").distinct().count() == 11
    organs = Unit.objects.filter(parent__code="330000", participations__batch__ordinal=1).exclude(level="city")
    assert set(resident.filter(unit__in=organs).values_list("unit_id", flat=True)) == set(organs.values_list("pk", flat=True))


def test_reference_data(demo):
    from rectification.models import LookBackCheckpoint, SpecialRectification

    names = list(SpecialRectification.objects.order_by("ordinal").values_list("name", flat=True))
    assert names[0] == "文山会海、检查评比泛滥" and names[-1] == "侵害群众利益行为" and len(names) == 9
    areas = list(LookBackCheckpoint.objects.order_by("ordinal").values_list("area", flat=True))
    assert areas[:6] == [
        "学习贯彻中央和省委部署要求情况",
        "兑现整改承诺情况",
        "党内生活各项制度执行情况",
        "“抓基层打基础”工作情况",
        "长效机制建设情况",
        "整改工作责任落实情况",
    ]
    assert areas[6:] == ["三查三看"] * 3


def test_demo_accounts_log_in_and_are_printed(demo, client):
    from units.models import UnitMembership

    for account in DEMO_ACCOUNTS:
        assert f"  {account.label}: {account.username} / {DEMO_PASSWORD}" in demo
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username
        client.logout()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert UnitMembership.objects.filter(user__username="zj_office", unit__code="330000", role="office").exists()
    assert UnitMembership.objects.filter(user__username="hz_office", unit__name="杭州市", role="office").exists()
    assert UnitMembership.objects.filter(user__username="liaison_fgw", unit__name="省发展改革委", role="liaison").exists()
    assert UnitMembership.objects.filter(user__username="liaison_yucun", unit__name="余村", role="liaison").exists()
    assert UnitMembership.objects.filter(user__username="liaison_beishan", unit__name="北山街道", role="liaison").exists()


def test_changed_password_survives_reload(demo):
    user = get_user_model().objects.get(username="zj_office")
    user.set_password("Another-Secret-77")
    user.save()
    load()
    user.refresh_from_db()
    assert user.check_password("Another-Secret-77")


# SHA-256 of the seed texts as published: the shipped copies are verbatim and unchanged.
SEED_SHA256 = {
    "000_315c87933e2efabd.txt": "375f610d25480819fa34b5f2efd05144ff9cfd7c5268489026b838454654d35b",
    "001_f01b3537ea5e8b6d.txt": "25705345df0e5d80c04bebf946ad8e74d9ad89f47699158a7b6ca2e50b4770c7",
    "002_4f97f7b99455b8ef.txt": "ac45d11d9f9ff58b9ee51eb6671b0dbc0800b0101a176ee27696b47c6420236a",
    "003_8b50126b68af5ed6.txt": "2582fe93e54903801030e307772d7bda9f0eeb8f7cd464c03aa49d1b767b5832",
    "004_faff4f99bf494e68.txt": "2cd9fbdefd00952d26d1e8e1ab765b71a0b81a49151d6573aae068ae4193211b",
}


def test_seeds_ship_verbatim_with_the_product():
    package = Path(demo_directives.__file__).resolve().parent
    assert demo_directives.SEED_DIR == package / "seeds"
    assert set(demo_directives.SEED_FILES.values()) == set(SEED_SHA256)
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((demo_directives.SEED_DIR / name).read_bytes()).hexdigest() == digest


_OPENED = []
_RECORDING = []


def _record_open(event, args):
    if _RECORDING and event == "open" and isinstance(args[0], str | bytes | Path):
        _OPENED.append(Path(str(args[0] if not isinstance(args[0], bytes) else args[0].decode())).resolve())


sys.addaudithook(_record_open)


def test_loads_without_the_shared_folder(db):
    """The seed texts the load reads are the copies in demo/seeds, and only those."""
    _OPENED.clear()
    _RECORDING.append(True)
    try:
        load()
    finally:
        _RECORDING.clear()
    from campaign.models import Directive

    assert Directive.objects.count() == 9
    # (Reminder e-mails of the story are rendered from templates named *.txt too.)
    texts = [path for path in _OPENED if path.suffix == ".txt" and "templates" not in path.parts]
    assert {path.name for path in texts} == set(demo_directives.SEED_FILES.values())
    assert all(path.parent == demo_directives.SEED_DIR for path in texts)


def test_every_unit_that_owes_a_report_has_a_liaison(db):
    from units.models import Unit, UnitMembership

    load_demo(stdout=io.StringIO())
    bound = Unit.objects.filter(obligations__isnull=False).distinct()
    assert bound.exists()
    assert not bound.exclude(memberships__role=UnitMembership.Role.LIAISON).exists()


# --- DEBUG off: a production system ------------------------------------------------------------


def test_load_demo_refuses_to_run_with_debug_off(db, settings):
    from django.core.management import CommandError, call_command

    from units.models import Unit

    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=io.StringIO())
    assert "DEBUG" in str(refused.value) and "--i-know-this-is-production" in str(refused.value)
    assert not Unit.objects.exists() and not get_user_model().objects.exists()


def test_the_command_line_refuses_too(tmp_path):
    """As an operator meets it: exit status 1 and the message, nothing loaded."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(DEBUG="0", SECRET_KEY="a-long-random-production-key-" + "x7Kp2mQ9" * 6,
               DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "--i-know-this-is-production" in result.stderr and "演示数据已载入" not in result.stdout


def test_in_production_each_demo_login_gets_its_own_password_shown_once(db, settings, client):
    from django.core.management import call_command

    settings.DEBUG = False
    out = io.StringIO()
    call_command("load_demo", "--i-know-this-is-production", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD not in printed
    passwords = {}
    for account in DEMO_ACCOUNTS:
        line = next(line for line in printed.splitlines() if line.startswith(f"  {account.label}: {account.username} / "))
        passwords[account.username] = line.rsplit(" / ", 1)[1]
    assert len(set(passwords.values())) == len(DEMO_ACCOUNTS)
    for username, password in passwords.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password) and user.must_change_password, username
        assert not user.check_password(DEMO_PASSWORD)
    # Shown once: a second run and the login list print none of them.
    again = io.StringIO()
    call_command("load_demo", "--i-know-this-is-production", stdout=again)
    logins = io.StringIO()
    call_command("demo_logins", stdout=logins)
    for password in passwords.values():
        assert password not in again.getvalue() and password not in logins.getvalue()
    assert DEMO_PASSWORD not in logins.getvalue()
