"""Deliveries that fail for good are seen as failed everywhere, and can be resent (issue 11): the
reminder log's totals per channel and its list of failures with their errors in words, the
requirement's page, the office's home page; resending from the log, the admin and a command,
once per row, with an audit row each. A reminder counts as sent once its in-app copy arrived,
so these read the deliveries themselves. The failures are real: the SMTP backend sends to a
closed port."""

import datetime as dt
import io
import re
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reminders_support import shanghai

from audit.models import AuditEntry
from campaign.actions import fan_out
from campaign.models import Directive, Requirement
from notifications import actions
from notifications.dispatch import queue_for
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


# --- resending ----------------------------------------------------------------------------------


def resend_url(world, requirement=None, **query):
    url = reverse("notifications:requirement_resend", args=[(requirement or world.requirement).pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def resends():
    return AuditEntry.objects.filter(action="resend_deliveries")


def mail_server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_office_resends_one_delivery_from_the_log_and_it_arrives_once(
    client, outage, settings, redis_broker, django_capture_on_commit_callbacks,
):
    email = Delivery.objects.get(channel="email", digest__recipient=outage.liaison_organ)
    other = Delivery.objects.get(channel="email", digest__recipient=outage.liaison_organ2)
    log = page_of(client, outage.office_province, log_url(outage, delivery="failed"))
    assert f'href="{resend_url(outage, delivery=email.pk)}" data-resend="{email.pk}"' in log
    assert 'id="resend-all"' in log

    confirm = page_of(client, outage.office_province, resend_url(outage, delivery=email.pk))
    assert re.findall(r'<tr data-delivery="(\d+)"', confirm) == [str(email.pk)]
    assert 'name="reason"' in confirm and 'name="csrfmiddlewaretoken"' in confirm and "邮件服务器无法连接" in confirm
    # No reason, nothing resent: the page says what is missing.
    response = client.post(resend_url(outage), {"delivery": email.pk, "reason": " "})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    # Without the CSRF token a browser's POST is refused.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(outage.office_province)
    assert forged.post(resend_url(outage), {"delivery": email.pk, "reason": "伪造"}).status_code == 403
    assert Delivery.objects.filter(status="failed").count() == 2 and not resends().exists()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(resend_url(outage), {"delivery": email.pk, "reason": "邮件服务器已恢复"}, follow=True)
    assert response.redirect_chain[-1][0] == log_url(outage)
    assert "已重新发送 1 条提醒" in response.content.decode()
    email.refresh_from_db()
    other.refresh_from_db()
    assert (email.status, email.attempts, email.resend_count) == ("pending", 0, 1) and email.resent_at is not None
    assert other.status == "failed"
    # Queued for the workers after commit (the dispatcher would have found it anyway).
    assert len(callbacks) == 1 and email.enqueued_at is not None
    assert redis_broker.llen(queue_for("email")) == 1
    # One audit row on the requirement: who, why, how many, which channel and delivery.
    entry = AuditEntry.objects.for_object(outage.requirement).get(action="resend_deliveries")
    assert entry.actor == outage.office_province and entry.reason == "邮件服务器已恢复"
    assert entry.changes["resent"]["after"] == 1 and entry.changes["deliveries"]["after"] == [email.pk]
    assert entry.changes["channels"]["after"] == [{"pk": "email", "label": "电子邮件 1"}]
    timeline = page_of(client, outage.office_province, outage.requirement.get_absolute_url())
    assert "重新发送未送达的提醒" in timeline and "邮件服务器已恢复" in timeline

    # The mail server is back: the resent e-mail goes out exactly once, with its Message-ID.
    mail_server_back(settings)
    assert send_due()["sent"] == 1
    assert send_due()["sent"] == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liaison_fgw@example.org"] and message.extra_headers["Message-ID"] == email.message_id()
    assert message.message()["Message-ID"] == email.message_id()
    email.refresh_from_db()
    assert email.status == "sent" and Delivery.objects.filter(status="failed").count() == 1


def test_the_office_resends_all_of_a_requirements_failures_once(client, outage):
    confirm = page_of(client, outage.office_province, resend_url(outage))
    assert len(re.findall(r'<tr data-delivery="', confirm)) == 2 and "确认重新发送 2 条" in confirm
    response = client.post(resend_url(outage), {"reason": "SMTP 故障已排除"})
    assert response.status_code == 302
    assert set(Delivery.objects.filter(channel="email").values_list("status", "resend_count")) == {("pending", 1)}
    assert resends().get().changes["resent"]["after"] == 2
    # A second click finds nothing left: no second resend, no second audit row.
    response = client.post(resend_url(outage), {"reason": "再点一次"}, follow=True)
    assert "没有需要重新发送的提醒" in response.content.decode()
    assert resends().count() == 1 and set(Delivery.objects.values_list("resend_count", flat=True)) == {0, 1}
    # Nothing failed any more: the log offers no resend, its confirmation page no form.
    assert 'id="resend-all"' not in page_of(client, outage.office_province, log_url(outage))
    assert 'id="nothing-to-resend"' in page_of(client, outage.office_province, resend_url(outage))


def test_two_people_resending_the_same_row_at_once_resend_it_once(transactional_db, people, settings, redis_broker):
    smtp_down(settings)
    settings.REMINDER_RETRY_WINDOW_HOURS = 0
    run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
    send_due()
    email = Delivery.objects.get(channel="email", digest__recipient=people.liaison_organ)
    assert email.status == "failed"
    start, counts, errors = threading.Barrier(2), [], []

    def click(user):
        try:
            rows = Delivery.objects.restrict(user, "resend").filter(pk=email.pk)
            start.wait(timeout=10)
            counts.append(actions.resend_deliveries(rows, actor=user, reason="同时点击", requirement=people.requirement).count)
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in (people.office_province, people.superuser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and sorted(counts) == [0, 1]
    email.refresh_from_db()
    assert email.resend_count == 1 and email.status == "pending"
    assert resends().count() == 1
    # Two calls one after the other: the second finds the row no longer failed.
    assert actions.resend_deliveries(Delivery.objects.filter(pk=email.pk), actor=people.superuser, reason="再来").count == 0


@pytest.fixture
def hangzhou_outage(outage):
    """A requirement of the Hangzhou office reminding Xihu's liaison, whose e-mail also failed."""
    directive = Directive(
        campaign=outage.campaign, doc_type="通知", issuing_unit=outage.hangzhou, issuer_name="中共杭州市委领导小组",
        title="关于报送西湖区总结的通知", signed_on=dt.date(2013, 12, 20),
    )
    directive.set_number("杭群组发〔2013〕9号")
    directive.save()
    requirement = Requirement(directive=directive, title="西湖区初步总结", scope_unit=outage.xihu, submit_to=outage.hangzhou,
                              deadline_text="2014年1月10日前")
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    run_sweep(shanghai(2014, 1, 3, 9, 30), dispatch=False)
    send_due()
    outage.hz_requirement = requirement
    outage.hz_email = Delivery.objects.get(channel="email", digest__recipient=outage.liaison_xihu)
    assert outage.hz_email.status == "failed"
    return outage


@pytest.mark.parametrize("persona,status", [
    ("liaison_organ", 403), ("group_leader", 403), ("office_ningbo", 403), ("office_hangzhou", 403), ("stranger", 404),
])
def test_who_may_not_resend_is_refused_and_nothing_changes(client, hangzhou_outage, persona, status, django_user_model):
    world = hangzhou_outage
    user = django_user_model.objects.create_user("stranger") if persona == "stranger" else getattr(world, persona)
    email = Delivery.objects.get(channel="email", digest__recipient=world.liaison_organ)
    client.force_login(user)
    assert client.get(resend_url(world)).status_code == status
    assert client.get(resend_url(world, delivery=email.pk)).status_code == status
    assert client.post(resend_url(world), {"reason": "越权"}).status_code == status
    assert client.post(resend_url(world), {"delivery": email.pk, "reason": "越权"}).status_code == status
    assert Delivery.objects.filter(status="failed").count() == 3 and not resends().exists()
    assert "resend" not in client.get(world.requirement.get_absolute_url()).content.decode()


def test_a_delivery_is_resent_only_through_a_requirement_it_belongs_to(client, hangzhou_outage):
    world = hangzhou_outage
    # Another city's office cannot even see Hangzhou's requirement; nor resend through it.
    client.force_login(world.office_ningbo)
    assert client.get(resend_url(world, world.hz_requirement)).status_code == 404
    assert client.post(resend_url(world, world.hz_requirement), {"reason": "越权"}).status_code == 404
    # The province's office names Xihu's e-mail under its own requirement: not one of its deliveries.
    client.force_login(world.office_province)
    for value in (world.hz_email.pk, 10 ** 30, "abc", "١٢", -1):
        assert client.get(resend_url(world, delivery=value)).status_code == 404, value
        assert client.post(resend_url(world), {"delivery": value, "reason": "x"}).status_code == 404, value
    assert client.get(resend_url(world, delivery="%00")).status_code == 400  # refused before the view
    # Hangzhou's office resends its own, and only its own.
    client.force_login(world.office_hangzhou)
    assert client.post(resend_url(world, world.hz_requirement), {"reason": "恢复"}).status_code == 302
    assert list(Delivery.objects.filter(status="pending").values_list("pk", flat=True)) == [world.hz_email.pk]
    assert Delivery.objects.filter(status="failed").count() == 2
    # The province's office, over Hangzhou, may resend Hangzhou's too (as it reads its log).
    client.force_login(world.office_province)
    assert client.get(resend_url(world, world.hz_requirement)).status_code == 200


def test_the_command_resends_by_delivery_requirement_and_channel(outage, settings):
    def run(*args):
        out = io.StringIO()
        call_command("resend_deliveries", *args, stdout=out)
        return out.getvalue().splitlines()

    first, second = Delivery.objects.filter(channel="email").order_by("pk")
    for args, message in [([], "name what to resend"), (["--channel", "email"], "--reason"),
                          (["--requirement", "999999", "--reason", "x"], "no requirement 999999")]:
        with pytest.raises(CommandError, match=message):
            run(*args)

    assert run("--delivery", str(first.pk), "--reason", "补发") == [
        "failed deliveries selected: 1", "resent: 1 (email=1)",
        "queued for the workers (the dispatcher queues them too, within seconds)",
    ]
    entry = resends().get()
    assert entry.subject == first and entry.actor is None
    assert entry.reason == "补发" and entry.changes["deliveries"]["after"] == [first.pk]

    assert run("--requirement", str(outage.requirement.pk), "--channel", "email", "--reason", "补发其余")[:2] == [
        "failed deliveries selected: 1", "resent: 1 (email=1)",
    ]
    assert AuditEntry.objects.for_object(outage.requirement).get(action="resend_deliveries").changes["deliveries"] == {
        "before": None, "after": [second.pk],
    }
    assert run("--channel", "inapp", "--reason", "站内通知") == ["failed deliveries selected: 0", "resent: 0"]

    # Both fail again (the mail server is still down); once it is back, one command resends and sends.
    send_due()
    assert Delivery.objects.filter(status="failed").count() == 2
    mail_server_back(settings)
    assert run("--channel", "email", "--reason", "服务器恢复后统一补发", "--send-now") == [
        "failed deliveries selected: 2", "resent: 2 (email=2)",
        "sent here (every delivery due): sent=2 retry=0 failed=0 skipped=0 held-by-another-sender=0",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison_fgw@example.org", "liaison_jyt@example.org"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert resends().count() == 3 and Delivery.objects.filter(enqueued_at__isnull=False).count() == 0


def test_superusers_resend_a_channels_failures_from_the_admin(client, outage, settings):
    changelist = reverse("admin:notifications_delivery_changelist")
    client.force_login(outage.superuser)
    assert "resend_failed" in client.get(changelist).content.decode()
    inapp = Delivery.objects.filter(channel="inapp").first()
    first = Delivery.objects.filter(channel="email").order_by("pk").first()
    # A selection: the page asks why, and resends only what failed.
    response = client.post(changelist, {"action": "resend_failed", "index": "0", "_selected_action": [first.pk, inapp.pk]})
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    assert "电子邮件：1" in response.content.decode()
    assert Delivery.objects.get(pk=first.pk).status == "failed"
    response = client.post(changelist, {"action": "resend_failed", "index": "0", "_selected_action": [first.pk, inapp.pk],
                                        "reason": "逐条补发"})
    assert response.status_code == 302 and Delivery.objects.get(pk=first.pk).status == "pending"
    assert Delivery.objects.get(pk=inapp.pk).status == "sent"
    # Every failed e-mail: filter by channel and status, select them all.
    send_due()
    filtered = changelist + "?channel=email&status__exact=failed"
    response = client.post(filtered, {"action": "resend_failed", "index": "0", "select_across": "1",
                                      "_selected_action": [first.pk], "reason": "邮件服务器恢复"})
    assert response.status_code == 302
    assert set(Delivery.objects.filter(channel="email").values_list("status", flat=True)) == {"pending"}
    entries = list(resends().order_by("pk"))
    assert [e.changes["resent"]["after"] for e in entries] == [1, 2] and {e.actor for e in entries} == {outage.superuser}
    assert entries[1].subject == first  # the first delivery resent, the row counting them all
    assert entries[1].reason == "邮件服务器恢复" and entries[1].changes["channels"]["after"] == [{"pk": "email", "label": "电子邮件 2"}]
    # Staff who are not superusers do not see the outbox in the admin at all.
    outage.office_province.is_staff = True
    outage.office_province.save()
    client.force_login(outage.office_province)
    assert client.get(changelist).status_code == 403
    assert client.post(changelist, {"action": "resend_failed", "index": "0", "_selected_action": [first.pk],
                                    "reason": "x"}).status_code == 403


# --- send_reminders' report ----------------------------------------------------------------------


def send_reminders(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def test_send_reminders_reports_reminders_digests_and_deliveries_apart(people, settings):
    smtp_down(settings)
    settings.REMINDER_RETRY_WINDOW_HOURS = 0
    people.liaison_organ2.email = ""
    people.liaison_organ2.save()
    # The mail server is down: each reminder still reaches its person in the app, so it is sent.
    assert send_reminders("--now", "2014-01-03T09:00+08:00") == [
        "digests: 2",
        "deliveries inapp: sent=2 retry=0 failed=0 skipped=0",
        "deliveries email: sent=0 retry=0 failed=1 skipped=1",
        "reminders: created=2 sent=2 failed=0",
    ]
    # By e-mail alone, the reminders themselves fail: one e-mail failed, one person has no address.
    settings.NOTIFICATION_CHANNELS = ["email"]
    assert send_reminders("--now", "2014-01-07T09:00+08:00") == [
        "digests: 2",
        "deliveries email: sent=0 retry=0 failed=1 skipped=1",
        "reminders: created=2 sent=0 failed=2",
    ]
    # Both failed e-mails resent once the server is back: the next run sends them. Only one
    # reminder is newly sent: the other (3 January) had reached its person in the app already.
    mail_server_back(settings)
    call_command("resend_deliveries", "--channel", "email", "--reason", "恢复", stdout=io.StringIO())
    assert send_reminders("--now", "2014-01-07T09:00+08:00") == [
        "digests: 0",
        "deliveries email: sent=2 retry=0 failed=0 skipped=0",
        "reminders: created=0 sent=1 failed=0",
    ]
    assert len(mail.outbox) == 2
