"""Shared test personas: one small province tree and a user for every role.

Like healthchecks' hc/test.py: built once per test, reused everywhere. Each persona
has an "outsider" twin of the same kind that must never see the insider's work.
"""

import datetime as dt
import os
import shutil

import pytest
from django.contrib.auth import get_user_model

# Playwright's sync API runs an event loop in the test thread; the ORM calls in
# the same test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Correct-Horse-42"


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests render templates without running collectstatic first, and hash passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def uploads_outside_the_work_tree(tmp_path_factory):
    """Files stored by tests (the demo loader's attachment, any upload) go to a temporary folder,
    never to var/uploads; a test that reads what it stored sets its own MEDIA_ROOT as before."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("uploads")):
        yield


@pytest.fixture(autouse=True)
def work_calendar_forgotten_after_a_change():
    """core.workdays remembers the calendar per process and forgets it when a row is saved; a test's
    rollback sends no signal, so a test that changed the table leaves the cache to be dropped here."""
    yield
    from core import workdays

    if workdays.changed:
        workdays.forget()
        workdays.changed = False


@pytest.fixture(autouse=True)
def no_dashboard_figures_from_an_earlier_test():
    """The dashboard's figures are kept in the cache with versions that only writes move
    (campaign.dashboard_cache); a test's rollback moves none, and the next test may reuse the same
    unit paths and ids: each test starts with an empty in-process cache (never a shared Redis)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def site_language_after_each_test():
    """A request in English (a cookie, a person's preference) leaves English active in the thread;
    the next test starts in the site's language again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file (one per test process), not shared memory, so that a
    Celery worker subprocess started by a test (tests/reminders) opens the same database."""
    import tempfile

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})
        if not database["TEST"].get("NAME"):
            database["TEST"]["NAME"] = os.path.join(tempfile.gettempdir(), f"campaign-test-{os.getpid()}.sqlite3")


@pytest.fixture(autouse=True)
def audit_triggers_around_flush(request):
    """Tests that commit (live server, Celery workers) end with Django's flush, a TRUNCATE of
    every table, which the audit table's trigger refuses on PostgreSQL (audit 0003). The test
    database's owner lets the flush through for those tests only; during the test the trigger
    is on, as in production."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before, torn down after this fixture
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_truncate")
    yield
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate")


class World:
    """Handles to the objects of the test province (attributes set by the fixture)."""


def make_user(username, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def load_demo(**options):
    """`manage.py load_demo` as `make run` runs it: on a development machine (DEBUG on), where
    the demo logins share the printed password. With DEBUG off the command refuses to run."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("load_demo", **options)


def make_unit(batch=None, **fields):
    """A unit, taking part in `batch`'s campaign in that batch when one is given."""
    from campaign.actions import enrol
    from units.models import Unit

    unit = Unit.objects.create(**fields)
    if batch is not None:
        enrol([unit], campaign=batch.campaign, batch=batch, actor=None)
    return unit


@pytest.fixture
def world(db, settings, tmp_path):
    from campaign.actions import fan_out
    from campaign.models import Batch, Campaign, Directive, Phase, Requirement, Route
    from supervision.models import GroupAssignment, GroupMember, SupervisionGroup
    from units.models import Level, UnitMembership, UnitType

    settings.MEDIA_ROOT = tmp_path / "uploads"
    w = World()
    w.campaign = Campaign.objects.create(name="党的群众路线教育实践活动", short_name="群众路线", starts_on=dt.date(2013, 6, 18))
    w.batch1 = Batch.objects.create(campaign=w.campaign, ordinal=1, name="第一批")
    w.batch2 = Batch.objects.create(campaign=w.campaign, ordinal=2, name="第二批")
    for ordinal, (code, name) in enumerate(
        [("study", "学习教育、听取意见"), ("examination", "查摆问题、开展批评"), ("rectification", "整改落实、建章立制"),
         ("summary", "总结"), ("lookback", "回头看")],
        start=1,
    ):
        Phase.objects.create(campaign=w.campaign, ordinal=ordinal, code=code, name=name)
    w.phase_summary = Phase.objects.get(code="summary")

    def unit(code, name, parent, level, unit_type, batch=None):
        return make_unit(code=code, name=name, parent=parent, level=level, unit_type=unit_type, batch=batch)

    w.central = unit("000000", "中央", None, Level.CENTRAL, UnitType.PARTY_COMMITTEE)
    w.province = unit("330000", "浙江省", w.central, Level.PROVINCE, UnitType.PARTY_COMMITTEE, w.batch1)
    w.hangzhou = unit("330100", "杭州市", w.province, Level.CITY, UnitType.PARTY_COMMITTEE, w.batch2)
    w.ningbo = unit("330200", "宁波市", w.province, Level.CITY, UnitType.PARTY_COMMITTEE, w.batch2)
    w.organ = unit("330000-01", "省发展改革委", w.province, Level.PROVINCE, UnitType.ORGAN, w.batch1)
    w.organ2 = unit("330000-02", "省教育厅", w.province, Level.PROVINCE, UnitType.ORGAN, w.batch1)
    w.xihu = unit("330106", "西湖区", w.hangzhou, Level.COUNTY, UnitType.PARTY_COMMITTEE, w.batch2)
    w.beilun = unit("330206", "北仑区", w.ningbo, Level.COUNTY, UnitType.PARTY_COMMITTEE, w.batch2)
    w.street = unit("330106001", "北山街道", w.xihu, Level.TOWNSHIP, UnitType.STREET, w.batch2)

    w.superuser = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    w.office_province = make_user("office_zj")
    w.office_hangzhou = make_user("office_hz")
    w.office_ningbo = make_user("office_nb")
    w.liaison_organ = make_user("liaison_fgw")
    w.liaison_organ2 = make_user("liaison_jyt")
    w.liaison_xihu = make_user("liaison_xh")
    for user, at, role in [
        (w.office_province, w.province, UnitMembership.Role.OFFICE),
        (w.office_hangzhou, w.hangzhou, UnitMembership.Role.OFFICE),
        (w.office_ningbo, w.ningbo, UnitMembership.Role.OFFICE),
        (w.liaison_organ, w.organ, UnitMembership.Role.LIAISON),
        (w.liaison_organ2, w.organ2, UnitMembership.Role.LIAISON),
        (w.liaison_xihu, w.xihu, UnitMembership.Role.LIAISON),
    ]:
        UnitMembership.objects.create(user=user, unit=at, role=role)

    w.group = SupervisionGroup.objects.create(campaign=w.campaign, office=w.province, name="省委第一督导组")
    w.other_group = SupervisionGroup.objects.create(campaign=w.campaign, office=w.province, name="省委第二督导组")
    w.group_leader = make_user("sup_leader")
    w.group_member = make_user("sup_member")
    w.other_member = make_user("sup_other")
    GroupMember.objects.create(group=w.group, user=w.group_leader, is_leader=True)
    GroupMember.objects.create(group=w.group, user=w.group_member)
    GroupMember.objects.create(group=w.other_group, user=w.other_member, is_leader=True)
    w.assignment = GroupAssignment.objects.create(group=w.group, unit=w.organ, starts_on=dt.date(2013, 6, 1))
    GroupAssignment.objects.create(group=w.other_group, unit=w.organ2, starts_on=dt.date(2013, 6, 1))

    w.central_29 = Directive(
        campaign=w.campaign, doc_type="通知", issuing_unit=w.central, issuer_name="中央党的群众路线教育实践活动领导小组",
        title="关于认真做好第一批党的群众路线教育实践活动总结工作的通知", signed_on=dt.date(2013, 12, 19),
    )
    w.central_29.set_number("群组发〔2013〕29号")
    w.central_29.save()
    w.zj_48 = Directive(
        campaign=w.campaign, doc_type="通知", issuing_unit=w.province, issuer_name="中共浙江省委党的群众路线教育实践活动领导小组",
        title="关于转发……总结工作的通知", signed_on=dt.date(2013, 12, 24),
    )
    w.zj_48.set_number("浙群组发〔2013〕48号")
    w.zj_48.save()
    w.zj_48.forwards.add(w.central_29)
    w.requirement = Requirement(
        directive=w.zj_48, title="初步书面总结", phase=w.phase_summary, scope_unit=w.province, submit_to=w.province,
        target_batch=w.batch1, deadline_text="2014年1月10日前", route=Route.SUPERVISION_FIRST,
    )
    w.requirement.resolve_deadline()
    w.requirement.save()
    fan_out(w.requirement, actor=None)
    w.obligation_organ = w.requirement.obligations.get(unit=w.organ)
    w.obligation_organ2 = w.requirement.obligations.get(unit=w.organ2)
    w.password = PASSWORD
    return w


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server):
    """A headless Chromium page (Debian's chromium, driven by Playwright)."""
    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: apt-get install chromium")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


@pytest.fixture
def people(world):
    """The `world` personas with e-mail addresses, so the e-mail channel has somewhere to send."""
    for user in (world.office_province, world.office_hangzhou, world.office_ningbo, world.liaison_organ,
                 world.liaison_organ2, world.liaison_xihu, world.group_leader, world.group_member, world.other_member):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def deliver_events():
    """Gather the waiting event notifications into digests and send them in this process, as the
    beat's flush and the workers would (notifications.events, notifications.sending)."""
    from notifications import events, sending

    events.flush(dispatch=False)
    return sending.send_due()
