"""The calendar feed (/calendar/<token>.ics): a valid iCalendar of the person's own due moments,
opened by a calendar token in the address; any other token is a 404."""

import datetime as dt

from django.utils import timezone

from api import actions
from api.models import ApiToken
from campaign.models import Meeting
from core import clock

TODAY = dt.datetime(2014, 1, 5, 10, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))


def calendar_token(user):
    return actions.create_token(user, "手机日历", purpose=ApiToken.Purpose.CALENDAR)


def unfold(body):
    """The content lines of an iCalendar body, checking its form on the way: CRLF only, no physical
    line over 75 octets, BEGIN/END balanced."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical), [line for line in physical if len(line.encode()) > 75]
    lines = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert not stack and lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    return lines


def events(lines):
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def unescape(value):
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_the_feed_is_valid_icalendar_with_the_liaisons_own_due_moments(world, client, settings):
    settings.SITE_URL = "https://qzlx.example.gov.cn"
    world.requirement.title = "初步书面总结，含问题清单；整改方案\\附件（以及对照检查材料、征求意见情况和下一步整改落实的具体安排）"
    world.requirement.save()
    Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20))
    token, text = calendar_token(world.liaison_organ)

    with clock.frozen_at(TODAY):
        answer = client.get(f"/calendar/{text}.ics")
    assert answer.status_code == 200 and answer["Content-Type"] == "text/calendar; charset=utf-8"
    lines = unfold(answer.content)
    assert "VERSION:2.0" in lines and "X-WR-TIMEZONE:Asia/Shanghai" in lines
    assert any(line.startswith("X-WR-CALNAME:") for line in lines)
    found = {event["UID"]: event for event in events(lines)}

    obligation = found[f"obligation-{world.obligation_organ.pk}@qzlx.example.gov.cn"]
    due_utc = world.obligation_organ.due_at.astimezone(dt.UTC)
    assert obligation["DTSTART"] == due_utc.strftime("%Y%m%dT%H%M%SZ") == "20140110T155959Z"  # 23:59:59 in Beijing
    assert unescape(obligation["SUMMARY"]) == f"报送截止：{world.requirement.title}（省发展改革委）"
    assert obligation["URL"] == f"https://qzlx.example.gov.cn{world.obligation_organ.get_absolute_url()}"
    assert all("DTSTAMP" in event for event in found.values())
    meeting = next(event for event in found.values() if event["UID"].startswith("meeting-"))
    assert meeting["DTSTART;VALUE=DATE"] == "20140120" and "专题民主生活会" in unescape(meeting["SUMMARY"])
    assert f"obligation-{world.obligation_organ2.pk}@qzlx.example.gov.cn" not in found  # another unit's
    token.refresh_from_db()
    assert token.last_used_at == TODAY

    # The same UID on the next fetch (calendar apps update events by it); nothing outside the window.
    with clock.frozen_at(TODAY + dt.timedelta(days=60)):
        later = {event["UID"] for event in events(unfold(client.get(f"/calendar/{text}.ics").content))}
    assert f"obligation-{world.obligation_organ.pk}@qzlx.example.gov.cn" not in later


def test_the_group_member_sees_the_meeting_to_attend_and_no_obligation(world, client):
    Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20))
    _token, text = calendar_token(world.group_member)
    with clock.frozen_at(TODAY):
        found = events(unfold(client.get(f"/calendar/{text}.ics").content))
    assert [event["DTSTART;VALUE=DATE"] for event in found] == ["20140120"]


def test_a_revoked_unknown_or_api_token_opens_no_feed(world, client):
    token, text = calendar_token(world.liaison_organ)
    _api, api_text = actions.create_token(world.liaison_organ, "脚本")
    actions.revoke_token(token, actor=world.liaison_organ)
    for wrong in (text, api_text, "cwt_12345678_nothing", "x"):
        answer = client.get(f"/calendar/{wrong}.ics")
        assert answer.status_code == 404 and "令牌" not in answer.content.decode()
