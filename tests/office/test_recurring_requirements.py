"""Recurring requirements (issue 13 part 5): 每月5日前报送工作信息, 每季度末, 每周五前, 每半年, 每年.

One obligation per unit and period (campaign.recurrence, campaign.actions.issue_recurring_periods),
the period on every list, a table per period with its on-time rate and the cumulative one
(campaign.status's rules), and ending the rule keeps the past and stops the future.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from campaign import actions, event_deadlines, workflow
from campaign.deadlines import SHANGHAI, DeadlineError
from campaign.export import write_obligations
from campaign.models import Obligation, Requirement
from campaign.recurrence import Frequency, Rule, read_recurrence
from campaign.status import ObligationStatus
from campaign.tasks import issue_recurring_periods as issue_recurring_periods_task
from core import clock
from tests.conftest import make_unit
from units.models import Level, UnitType

PDF = b"%PDF-1.4\n%%EOF\n"


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def pdf():
    return SimpleUploadedFile("工作信息.pdf", PDF, content_type="application/pdf")


def monthly(world, *, horizon=5, text="每月5日前", starts_on=dt.date(2014, 1, 1), actor=None):
    """每月5日前报送工作信息 to the province, from the first batch (the province, 省发展改革委, 省教育厅)."""
    requirement = Requirement(
        directive=world.zj_48, title="工作信息", scope_unit=world.province, submit_to=world.province,
        target_batch=world.batch1, deadline_text=text, recurrence_starts_on=starts_on, recurrence_horizon_days=horizon,
    )
    actions.save_requirement(requirement, actor=actor or world.office_province)
    return requirement


def edit_post(requirement, world, **overrides):
    data = {
        "title": requirement.title, "target_batch": world.batch1.pk, "deadline": requirement.deadline_text,
        "deadline_inclusive": "on", "route": "office", "review_required": "on",
        "recurrence_starts_on": requirement.recurrence_starts_on.isoformat() if requirement.recurrence_starts_on else "",
        "recurrence_horizon_days": requirement.recurrence_horizon_days,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the parser and the periods -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "rule"), [
    ("每月5日前", Rule(Frequency.MONTHLY, day=5)),
    ("每月五号前", Rule(Frequency.MONTHLY, day=5)),
    ("每月底", Rule(Frequency.MONTHLY)),
    ("每月末前", Rule(Frequency.MONTHLY)),
    ("每季度末", Rule(Frequency.QUARTERLY)),
    ("每季度最后一个月20日前", Rule(Frequency.QUARTERLY, day=20)),
    ("每周五前", Rule(Frequency.WEEKLY, weekday=4)),
    ("每周星期一", Rule(Frequency.WEEKLY, weekday=0)),
    ("每周日", Rule(Frequency.WEEKLY, weekday=6)),
    ("每半年", Rule(Frequency.HALF_YEARLY)),
    ("每年12月20日前", Rule(Frequency.YEARLY, day=20, month=12)),
    ("每年底", Rule(Frequency.YEARLY, day=31, month=12)),
])
def test_recurring_phrases_read_as_rules(text, rule):
    assert read_recurrence(text) == rule


@pytest.mark.parametrize("text", ["2014年1月10日前", "12月底", "会后15日内", "", None])
def test_anything_else_stays_with_the_one_off_deadlines(text):
    assert read_recurrence(text) is None


@pytest.mark.parametrize("text", ["每月32日前", "每年13月1日前", "每年2月30日前", "每隔三天"])
def test_a_recurring_phrase_that_cannot_be_read_says_why(text):
    with pytest.raises(DeadlineError):
        read_recurrence(text)


def test_periods_labels_and_due_days():
    quarterly = read_recurrence("每季度末")
    start = quarterly.period_start(dt.date(2014, 8, 15))
    assert (start, quarterly.label(start), quarterly.due_on(start)) == (dt.date(2014, 7, 1), "2014年第三季度", dt.date(2014, 9, 30))
    in_last_month = read_recurrence("每季度最后一个月20日前")
    assert in_last_month.due_on(dt.date(2014, 1, 1)) == dt.date(2014, 3, 20)

    weekly = read_recurrence("每周五前")
    start = weekly.period_start(dt.date(2014, 1, 15))
    assert start == dt.date(2014, 1, 13)
    assert weekly.label(start) == "2014年第3周（1月13日—1月19日）"
    assert weekly.due_on(start) == dt.date(2014, 1, 17)

    half = read_recurrence("每半年")
    assert [(p.label, p.due_on) for p in half.periods(dt.date(2014, 1, 1), until=at(2015, 1, 1))] == [
        ("2014年上半年", dt.date(2014, 6, 30)), ("2014年下半年", dt.date(2014, 12, 31))]

    yearly = read_recurrence("每年12月20日前")
    assert yearly.period(dt.date(2014, 1, 1)).label == "2014年"
    assert yearly.due_on(dt.date(2014, 1, 1)) == dt.date(2014, 12, 20)

    month_end = read_recurrence("每月底")
    assert month_end.due_on(dt.date(2014, 2, 1)) == dt.date(2014, 2, 28)
    assert read_recurrence("每月31日前").due_on(dt.date(2014, 4, 1)) == dt.date(2014, 4, 30)

    # The due moment is the end of the due day in Shanghai, a Sunday (5 January 2014) included.
    first = read_recurrence("每月5日前").first_period(dt.date(2014, 1, 1))
    assert first.due_at == dt.datetime(2014, 1, 5, 23, 59, 59, tzinfo=SHANGHAI)
    # A directive of 10 January asks for the January report of 每月5日前 no more.
    assert read_recurrence("每月5日前").first_period(dt.date(2014, 1, 10)).label == "2014年2月"


# --- six months of a monthly requirement --------------------------------------------------------


def six_months(world):
    """每月5日前 from January 2014, issued five days ahead at the start of each month; 省发展改革委
    reports every month on the 3rd, 省教育厅 on time in January and April, late in February (7th) and
    May (6th), never in March and June; the province never."""
    with clock.frozen_at(at(2014, 1, 1)):
        requirement = monthly(world)
    organ, organ2 = world.organ, world.organ2
    late_days = {2: 7, 5: 6}
    for month in range(1, 7):
        with clock.frozen_at(at(2014, month, 1)):
            actions.issue_recurring_periods()
        start = dt.date(2014, month, 1)
        with clock.frozen_at(at(2014, month, 3)):
            workflow.transition(Obligation.objects.get(requirement=requirement, unit=organ, period_start=start), "submit",
                                world.liaison_organ, files=[pdf()])
            if month in (1, 4):
                workflow.transition(Obligation.objects.get(requirement=requirement, unit=organ2, period_start=start),
                                    "submit", world.liaison_organ2, files=[pdf()])
        if month in late_days:
            with clock.frozen_at(at(2014, month, late_days[month])):
                workflow.transition(Obligation.objects.get(requirement=requirement, unit=organ2, period_start=start),
                                    "submit", world.liaison_organ2, files=[pdf()])
    return requirement


EXPECTED = [
    # label, units, on time, late, missing, rate, cumulative rate
    ("2014年1月", 3, 2, 0, 1, 66.7, 66.7),
    ("2014年2月", 3, 1, 1, 1, 33.3, 50.0),
    ("2014年3月", 3, 1, 0, 2, 33.3, 44.4),
    ("2014年4月", 3, 2, 0, 1, 66.7, 50.0),
    ("2014年5月", 3, 1, 1, 1, 33.3, 46.7),
    ("2014年6月", 3, 1, 0, 2, 33.3, 44.4),
]


def test_a_monthly_requirement_over_six_months(office, world):
    requirement = six_months(world)
    for unit in (world.province, world.organ, world.organ2):
        periods = list(Obligation.objects.filter(requirement=requirement, unit=unit).order_by("period_start")
                       .values_list("period_label", "due_at"))
        assert [label for label, _due in periods] == [row[0] for row in EXPECTED]
        assert periods[1][1] == dt.datetime(2014, 2, 5, 23, 59, 59, tzinfo=SHANGHAI)
    assert Obligation.objects.filter(requirement=requirement, submitted_late=True).count() == 2

    with clock.frozen_at(at(2014, 6, 10)):
        response = office.get(reverse("campaign:requirement", args=[requirement.pk]))
    assert response.status_code == 200
    rows = [(row.label, row.counts.total, row.counts.on_time, row.counts.late, row.counts.overdue,
             row.counts.on_time_rate, row.cumulative.on_time_rate) for row in response.context["periods"]]
    assert rows == EXPECTED
    page = response.content.decode()
    assert "每月5日前（按月，自2014年1月起）" in page
    assert 'data-testid="period-table"' in page and "44.4%" in page
    # The list shows the current period by default: June's three units.
    assert response.context["period"].label == "2014年6月"
    assert {o.period_label for o in response.context["page"]} == {"2014年6月"}

    with clock.frozen_at(at(2014, 6, 10)):
        february = office.get(reverse("campaign:requirement", args=[requirement.pk]), {"period": "2014-02-01"})
        every = office.get(reverse("campaign:requirement", args=[requirement.pk]), {"period": "all"})
        wrong = office.get(reverse("campaign:requirement", args=[requirement.pk]), {"period": "2014-02-30"})
    assert {o.period_label for o in february.context["page"]} == {"2014年2月"}
    assert len(every.context["page"]) == 18
    assert wrong.status_code == 200 and "没有这一报送周期" in wrong.content.decode()
    assert wrong.context["period"].label == "2014年6月"


def test_the_liaison_sees_each_period_by_its_label(client, world):
    with clock.frozen_at(at(2014, 2, 1)):
        requirement = monthly(world)
    assert requirement.obligations.filter(unit=world.organ).count() == 2
    client.force_login(world.liaison_organ)
    with clock.frozen_at(at(2014, 2, 1)):
        workspace = client.get(reverse("campaign:workspace"))
        home = client.get(reverse("home"))
    for response in (workspace, home):
        page = response.content.decode()
        assert "工作信息" in page and "2014年2月" in page


def test_the_export_has_a_period_column(office, world):
    with clock.frozen_at(at(2014, 2, 1)):
        requirement = monthly(world)
    target = io.BytesIO()
    write_obligations(Obligation.objects.filter(requirement=requirement), target)
    rows = list(load_workbook(io.BytesIO(target.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][12] == "报送周期"
    assert sorted({row[12] for row in rows[1:]}) == ["2014年1月", "2014年2月"]


@pytest.mark.parametrize("extra_units", [0, 12])
def test_the_period_table_is_bounded_in_queries(office, world, django_assert_max_num_queries, extra_units):
    for n in range(extra_units):
        make_unit(code=f"330000-9{n:02d}", name=f"省直单位{n}", parent=world.province, level=Level.PROVINCE,
                  unit_type=UnitType.ORGAN, batch=world.batch1)
    with clock.frozen_at(at(2014, 1, 1)):
        requirement = monthly(world)
    with clock.frozen_at(at(2014, 4, 1)):
        actions.issue_recurring_periods()
    assert requirement.obligations.count() == 4 * (3 + extra_units)
    with clock.frozen_at(at(2014, 4, 10)), django_assert_max_num_queries(25):
        response = office.get(reverse("campaign:requirement", args=[requirement.pk]), {"period": "all"})
    assert response.status_code == 200
    assert [row.counts.total for row in response.context["periods"]] == [3 + extra_units] * 4


# --- generation -----------------------------------------------------------------------------------


def test_generation_is_idempotent_and_audited(world):
    with clock.frozen_at(at(2014, 1, 1)):
        requirement = monthly(world, horizon=35)
    assert requirement.obligations.count() == 3  # January only: February's is due 5 February, beyond 35 days
    with clock.frozen_at(at(2014, 3, 1)):
        assert actions.issue_recurring_periods() == 6  # February and March (due 5 March), three units each
        assert actions.issue_recurring_periods() == 0
        # Fanning out again (a later save, a new unit) makes nothing new either.
        assert actions.fan_out(requirement, actor=None) == 0
    assert requirement.obligations.count() == 9
    # One audit row per period issued, on the requirement, with its count; each obligation's own
    # timeline finds its period's row through the batch key it keeps.
    issued = AuditEntry.objects.for_object(requirement).filter(action="obligations_issued")
    assert sorted(entry.count for entry in issued) == [3, 3, 3] and len({entry.batch_key for entry in issued}) == 3
    assert not AuditEntry.objects.filter(action="obligation_added").exists()
    for obligation in requirement.obligations.all():
        (entry,) = AuditEntry.objects.for_object(obligation, obligation.bulk_batch_keys).filter(action="obligations_issued")
        assert obligation.period_label in entry.reason
    # The task beat runs is the same function.
    with clock.frozen_at(at(2014, 3, 1)):
        assert issue_recurring_periods_task.run() == 0


def test_a_new_unit_joins_the_issued_periods(world):
    with clock.frozen_at(at(2014, 2, 1)):
        requirement = monthly(world)
        unit = make_unit(code="330000-77", name="省民政厅", parent=world.province, level=Level.PROVINCE,
                         unit_type=UnitType.ORGAN, batch=world.batch1)
    assert set(requirement.obligations.filter(unit=unit).values_list("period_label", flat=True)) == {"2014年1月", "2014年2月"}


def test_ending_the_rule_keeps_the_past_and_stops_new_periods(office, world):
    with clock.frozen_at(at(2014, 1, 1)):
        requirement = monthly(world, horizon=35)
    with clock.frozen_at(at(2014, 3, 10)):
        actions.issue_recurring_periods()  # January to April (due 5 April)
        april = requirement.obligations.get(unit=world.organ, period_start=dt.date(2014, 4, 1))
        workflow.transition(april, "submit", world.liaison_organ, files=[pdf()])
    assert requirement.obligations.count() == 12

    with clock.frozen_at(at(2014, 3, 10)):
        response = office.post(reverse("campaign:requirement_edit", args=[requirement.pk]),
                               edit_post(requirement, world, recurrence_ends_on="2014-03-31"))
    assert response.status_code == 302, response.content.decode()
    requirement.refresh_from_db()
    assert requirement.recurrence_ends_on == dt.date(2014, 3, 31)
    labels = sorted(requirement.obligations.values_list("period_label", "unit__code"))
    # The past stays; April's untouched obligations are gone, the one submitted stays.
    assert [label for label, _code in labels].count("2014年4月") == 1
    assert ("2014年4月", world.organ.code) in labels
    assert requirement.obligations.filter(period_start__lt=dt.date(2014, 4, 1)).count() == 9
    removed = AuditEntry.objects.filter(action="obligation_removed")
    assert removed.count() == 2 and all("结束" in entry.reason for entry in removed)

    with clock.frozen_at(at(2014, 6, 1)):
        assert actions.issue_recurring_periods() == 0
    assert requirement.obligations.count() == 10


def test_the_form_previews_and_keeps_the_rule(office, world):
    preview = office.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]),
                         {"deadline": "每月5日前", "recurrence_starts_on": "2014-01-01"})
    page = preview.content.decode()
    assert "每月5日前（按月，自2014年1月起）" in page and "deadline-recurring" in page
    ended = office.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]),
                       {"deadline": "每季度末", "recurrence_starts_on": "2014-01-01", "recurrence_ends_on": "2014-12-31"})
    assert "每季度末前（按季度，自2014年第一季度起，至2014年12月31日止）" in ended.content.decode()
    bad = office.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]), {"deadline": "每月32日前"})
    assert "deadline-error" in bad.content.decode()

    with clock.frozen_at(at(2014, 1, 2)):
        response = office.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]), {
            "title": "每周信息", "target_batch": world.batch1.pk, "deadline": "每周五前", "deadline_inclusive": "on",
            "route": "office", "review_required": "on", "recurrence_starts_on": "2014-01-06", "recurrence_horizon_days": "10",
        })
    assert response.status_code == 302, response.content.decode()
    requirement = Requirement.objects.get(title="每周信息")
    assert (requirement.recurrence_frequency, requirement.recurrence_weekday, requirement.recurrence_horizon_days) == (
        Frequency.WEEKLY, 4, 10)
    assert requirement.due_at == dt.datetime(2014, 1, 10, 23, 59, 59, tzinfo=SHANGHAI)
    # Issued ten days ahead of 2 January: the week of 6 January only.
    assert set(requirement.obligations.values_list("period_label", flat=True)) == {"2014年第2周（1月6日—1月12日）"}

    with clock.frozen_at(at(2014, 1, 2)):
        refused = office.post(reverse("campaign:requirement_edit", args=[requirement.pk]),
                              edit_post(requirement, world, deadline="每月5日前"))
        horizon = office.post(reverse("campaign:requirement_edit", args=[requirement.pk]),
                              edit_post(requirement, world, recurrence_horizon_days="0"))
        backwards = office.post(reverse("campaign:requirement_edit", args=[requirement.pk]),
                                edit_post(requirement, world, recurrence_ends_on="2014-01-01"))
    assert refused.status_code == 200 and "不能改变报送周期" in refused.content.decode()
    assert horizon.status_code == 200 and "提前生成天数须在1至400天之间" in horizon.content.decode()
    assert backwards.status_code == 200 and "周期报送结束日不能早于起始日" in backwards.content.decode()


# --- the constraints ------------------------------------------------------------------------------


def test_the_constraint_refuses_a_duplicate_period(world):
    with clock.frozen_at(at(2014, 2, 1)):
        requirement = monthly(world)
    january = requirement.obligations.get(unit=world.organ, period_start=dt.date(2014, 1, 1))
    duplicate = Obligation(requirement=requirement, unit=world.organ, due_at=january.due_at, period_start=january.period_start,
                           period_label=january.period_label)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.validate_constraints()
    assert "该单位在此报送要求的这一周期已有一项报送任务" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another period of the same unit is no duplicate; a one-off requirement still has one per unit.
    Obligation(requirement=requirement, unit=world.organ, due_at=january.due_at, period_start=dt.date(2014, 3, 1),
               period_label="2014年3月", status=ObligationStatus.PENDING).validate_constraints()
    one_off = Obligation(requirement=world.requirement, unit=world.organ, due_at=world.requirement.due_at)
    with pytest.raises(ValidationError) as excinfo:
        one_off.validate_constraints()
    assert "该单位在此报送要求下已有一项报送任务" in str(excinfo.value)


def test_the_directive_page_and_dashboard_show_the_rule(office, world):
    with clock.frozen_at(at(2014, 2, 1)):
        monthly(world)
        directive = office.get(reverse("campaign:directive", args=[world.zj_48.pk]))
        board = office.get(reverse("campaign:dashboard"))
    assert "每月5日前（按月，自2014年1月起）" in directive.content.decode()
    assert board.status_code == 200 and "每月5日前" in board.content.decode()


def test_a_new_due_day_moves_each_open_period(office, world):
    with clock.frozen_at(at(2014, 2, 1)):
        requirement = monthly(world)
        workflow.transition(requirement.obligations.get(unit=world.organ, period_start=dt.date(2014, 2, 1)), "submit",
                            world.liaison_organ, files=[pdf()])
        response = office.post(reverse("campaign:requirement_edit", args=[requirement.pk]),
                               edit_post(requirement, world, deadline="每月10日前"))
    assert response.status_code == 302, response.content.decode()
    dues = {(o.unit_id, o.period_label): o.due_at.astimezone(SHANGHAI).day for o in requirement.obligations.all()}
    assert dues[(world.organ.pk, "2014年2月")] == 5  # submitted: its moment stays
    assert dues[(world.organ2.pk, "2014年2月")] == 10 and dues[(world.organ.pk, "2014年1月")] == 10


def test_a_province_wide_move_is_one_audit_row_per_period(office, world, monkeypatch):
    """Past AUDIT_EACH_LIMIT obligations of one requirement moved alike, the move is one row on the
    requirement with its count (each obligation keeps its batch key); up to it, one row each."""
    monkeypatch.setattr(event_deadlines, "AUDIT_EACH_LIMIT", 2)
    with clock.frozen_at(at(2014, 2, 1)):
        requirement = monthly(world)
        workflow.transition(requirement.obligations.get(unit=world.organ, period_start=dt.date(2014, 2, 1)), "submit",
                            world.liaison_organ, files=[pdf()])
        office.post(reverse("campaign:requirement_edit", args=[requirement.pk]), edit_post(requirement, world, deadline="每月10日前"))
    rows = AuditEntry.objects.for_object(requirement).filter(action="obligations_due_moved")
    # January: all three units (one row); February: two left open (per obligation: not past the limit).
    (january,) = rows
    assert january.count == 3 and january.actor == world.office_province
    assert january.changes["due_at"]["after"].startswith("2014-01-10")
    for obligation in requirement.obligations.filter(period_start=dt.date(2014, 1, 1)):
        assert obligation.due_batch == january.batch_key
        assert january in AuditEntry.objects.for_object(obligation, obligation.bulk_batch_keys)
    february = requirement.obligations.filter(period_start=dt.date(2014, 2, 1)).exclude(unit=world.organ)
    assert AuditEntry.objects.filter(action="due_moved", object_id__in=february.values("pk")).count() == 2


@pytest.mark.parametrize("extra_units", [0, 40])
def test_issuing_is_a_bulk_insert_per_period(world, django_assert_max_num_queries, extra_units):
    for n in range(extra_units):
        make_unit(code=f"330000-8{n:02d}", name=f"省直机关{n}", parent=world.province, level=Level.PROVINCE,
                  unit_type=UnitType.ORGAN, batch=world.batch1)
    with clock.frozen_at(at(2014, 1, 1)):
        requirement = monthly(world)
    with clock.frozen_at(at(2014, 4, 1)), django_assert_max_num_queries(20):
        assert actions.issue_recurring_periods() == 3 * (3 + extra_units)  # February, March, April
    with clock.frozen_at(at(2014, 4, 1)), django_assert_max_num_queries(7):
        assert actions.issue_recurring_periods() == 0  # complete periods: one grouped count
    assert requirement.obligations.count() == 4 * (3 + extra_units)
