"""Deliveries that fail for good are seen as failed everywhere (issue 11): the reminder log's totals
per channel and its list of failures with their errors in words, the requirement's page, the
office's home page. A reminder counts as sent once its in-app copy arrived, so these read the
deliveries themselves. The failures are real: the SMTP backend sends to a closed port."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from reminders_support import shanghai

from notifications.explanations import explain
from notifications.models import Delivery, Reminder
from notifications.sending import send_due
from notifications.sweep import run_sweep
from units.models import UnitMembership

pytestmark = pytest.mark.django_db


def smtp_down(settings):
    """A mail server that refuses every connection: nothing listens on 127.0.0.1:1."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2


@pytest.fixture
def outage(people, settings):
    """The 7-day reminder of the preliminary summary to the two liaisons, during an SMTP outage
    with no retry window: the in-app copies arrive, the e-mails fail for good at once."""
    smtp_down(settings)
    settings.REMINDER_RETRY_WINDOW_HOURS = 0
    run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
    assert send_due() == {"sent": 2, "failed": 2, "skipped": 0, "retry": 0, "not_claimed": 0, "lease_lost": 0}
    return people


def log_url(world, **query):
    url = reverse("notifications:requirement_log", args=[world.requirement.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def count_cell(html, channel, column):
    """The number in one cell of the log's totals table (channel row, outcome column)."""
    row = re.search(rf'<tr data-channel-totals="{channel}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(rf'data-count="{column}">(.*?)</td>', row, re.S).group(1)
    return int(re.sub(r"<[^>]+>", " ", cell).split()[0])


def listed_deliveries(html):
    table = re.search(r'<table[^>]*id="delivery-list".*?</table>', html, re.S).group(0)
    return re.findall(r'<tr data-delivery="(\d+)" data-channel="(\w+)" data-delivery-status="(\w+)"', table)


def test_the_log_counts_each_channel_and_lists_failures_with_their_errors_in_words(client, outage):
    html = page_of(client, outage.office_province, log_url(outage))
    # The reminders themselves read as sent (their in-app copies arrived)...
    assert Reminder.objects.filter(status="sent").count() == 2
    assert re.search(r'data-total="failed">0<', html)
    # ...and the e-mails are counted as failed, per channel.
    assert count_cell(html, "email", "failed") == 2 and count_cell(html, "email", "sent") == 0
    assert count_cell(html, "inapp", "sent") == 2 and count_cell(html, "inapp", "failed") == 0
    assert count_cell(html, "email", "retry") == count_cell(html, "email", "skipped") == 0
    assert 'id="delivery-failures"' in html and "2 条提醒未能送达" in html
    assert 'data-tab="failed"' in html and "发送失败（2）" in html

    failures = page_of(client, outage.office_province, log_url(outage, delivery="failed"))
    rows = listed_deliveries(failures)
    email_ids = {str(pk) for pk in Delivery.objects.filter(channel="email").values_list("pk", flat=True)}
    assert {pk for pk, _channel, _status in rows} == email_ids
    assert {(channel, status) for _pk, channel, status in rows} == {("email", "failed")}
    # The error in words, the raw text kept for the operator in a details element.
    assert failures.count("<summary data-explanation>邮件服务器无法连接</summary>") == 2
    assert "ConnectionRefusedError" in failures and "<details" in failures
    assert "省发展改革委" in failures and "省教育厅" in failures
    # Filtered to a channel with no failure: nothing listed; an unknown channel is ignored.
    assert listed_deliveries(page_of(client, outage.office_province, log_url(outage, delivery="failed", channel="inapp"))) == []
    assert len(listed_deliveries(page_of(client, outage.office_province, log_url(outage, delivery="failed", channel="x")))) == 2


def test_retrying_deliveries_show_their_next_attempt_in_shanghai_time(client, people, settings):
    smtp_down(settings)
    run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
    assert send_due()["retry"] == 2
    Delivery.objects.filter(status="retry").update(next_attempt_at=dt.datetime(2014, 1, 3, 1, 5, tzinfo=dt.UTC))
    html = page_of(client, people.office_province, log_url(people))
    assert count_cell(html, "email", "retry") == 2 and count_cell(html, "email", "failed") == 0
    assert 'id="delivery-failures"' not in html
    assert "下次尝试 2014年1月3日 09:05" in html and "01:05" not in html
    listed = page_of(client, people.office_province, log_url(people, delivery="retry"))
    assert len(listed_deliveries(listed)) == 2 and "等待重试" in listed and "邮件服务器无法连接" in listed
    panel = page_of(client, people.office_province, people.requirement.get_absolute_url())
    assert "2 条提醒等待重试" in panel and "下次尝试 2014年1月3日 09:05" in panel
    assert 'id="requirement-delivery-failures"' not in panel


def test_the_requirements_page_shows_failures_to_those_who_read_the_log(client, outage):
    html = page_of(client, outage.office_province, outage.requirement.get_absolute_url())
    line = re.search(r'<p class="text-danger[^"]*" id="requirement-delivery-failures">(.*?)</p>', html, re.S).group(1)
    assert "2 条提醒未能送达" in line and log_url(outage, delivery="failed") in line
    # Those who see the requirement but not its reminder log see no such line.
    for persona in ("liaison_organ", "group_leader", "office_ningbo"):
        html = page_of(client, getattr(outage, persona), outage.requirement.get_absolute_url())
        assert 'id="requirement-reminders"' in html
        assert "未能送达" not in html and log_url(outage) not in html, persona


def test_the_offices_home_lists_its_requirements_with_failures(client, outage):
    html = page_of(client, outage.office_province, reverse("home"))
    section = re.search(r'<section[^>]*id="delivery-failures-section".*?</section>', html, re.S).group(0)
    row = re.search(rf'<tr data-requirement="{outage.requirement.pk}">(.*?)</tr>', section, re.S).group(1)
    assert outage.requirement.title in row and log_url(outage, delivery="failed") in row
    assert re.search(r'data-count="failed"><a[^>]*>2</a>', row) and "电子邮件 2" in row
    # Another city's office, a liaison and a supervision group member have no such panel.
    for persona in ("office_hangzhou", "liaison_organ", "group_leader"):
        assert "delivery-failures-section" not in page_of(client, getattr(outage, persona), reverse("home")), persona


def test_no_failures_no_panel(client, people):
    run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
    send_due()  # the console backend: everything arrives
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert "delivery-failures-section" not in page_of(client, people.office_province, reverse("home"))
    html = page_of(client, people.office_province, people.requirement.get_absolute_url())
    assert "未能送达" not in html and "等待重试" not in html
    html = page_of(client, people.office_province, log_url(people))
    assert 'id="delivery-failures"' not in html and count_cell(html, "email", "sent") == 2


@pytest.mark.parametrize("channel,error,words", [
    ("email", "ConnectionRefusedError: [Errno 111] Connection refused", "邮件服务器无法连接"),
    ("email", "TimeoutError: timed out", "邮件服务器无响应（超时）"),
    ("email", "SendTimedOut: no answer within 60 s", "邮件服务器无响应（超时）"),
    ("email", "gaierror: [Errno -2] Name or service not known", "找不到邮件服务器（服务器地址无法解析）"),
    ("email", "SMTPAuthenticationError: (535, b'5.7.8 Authentication failed')", "邮件服务器拒绝登录：发件账号或密码有误"),
    ("email", "SMTPRecipientsRefused: {'a@b': (550, b'no such user')}", "邮件服务器拒收：收件地址无效或不存在"),
    ("email", "OSError: [Errno 101] Network is unreachable", "网络不通，到不了邮件服务器"),
    ("email", "ValueError: something new", "邮件未能发出"),
    ("inapp", "OperationalError: database is locked", "数据库暂时不可用，未能写入"),
    ("inapp", "KeyError: 'x'", "站内通知未能写入"),
    ("sms", "ConnectionRefusedError: [Errno 111] Connection refused", "发送服务无法连接"),
    ("email", "", ""),
])
def test_errors_are_explained_per_channel(channel, error, words):
    assert str(explain(channel, error)) == words


@pytest.mark.parametrize("extra_liaisons", [0, 12])
def test_the_log_costs_the_same_queries_for_few_and_many_deliveries(client, people, settings, extra_liaisons,
                                                                     django_assert_max_num_queries):
    """More liaisons, sweeps and failed deliveries add rows, not queries, in both of the log's lists."""
    smtp_down(settings)
    settings.REMINDER_RETRY_WINDOW_HOURS = 0
    for n in range(extra_liaisons):
        user = type(people.liaison_organ).objects.create_user(f"extra{n}", email=f"extra{n}@example.org")
        UnitMembership.objects.create(user=user, unit=people.organ if n % 2 else people.organ2, role=UnitMembership.Role.LIAISON)
    for day in (3, 7, 9):
        run_sweep(shanghai(2014, 1, day, 9), dispatch=False)
    send_due()
    assert Delivery.objects.filter(status="failed").count() == 3 * (2 + extra_liaisons)
    Delivery.objects.filter(status="failed", pk__in=Delivery.objects.filter(status="failed").values("pk")[:2]).update(
        status="retry", next_attempt_at=timezone.now())
    client.force_login(people.office_province)
    for query in ({}, {"delivery": "failed"}, {"delivery": "retry"}, {"status": "sent", "kind": "before"}):
        with django_assert_max_num_queries(22):
            response = client.get(log_url(people, **query))
        assert response.status_code == 200

