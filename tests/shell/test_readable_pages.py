"""People read every page: no internal codes, no Python reprs, no UTC on any page of a loaded
demo in motion (DESIGN, standards: people read it). The demo is loaded, then moved through
every kind of change the trail records, and every page each demo person reaches is read as
text, the way a person sees it (attributes and scripts are not text)."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Meeting, Obligation, Requirement, Route
from core import clock
from demo.accounts import DEMO_ACCOUNTS
from tests.conftest import load_demo

# State and choice codes of every model: in a Chinese page they must appear as their labels.
CODES = {
    "pending", "submitted", "returned", "accepted", "draft", "signed_off", "in_progress", "close_requested",
    "closed", "planned", "held", "on_track", "due_soon", "overdue", "done", "liaison", "office", "supervision",
    "democratic_life", "summary", "province", "city", "county", "township", "village", "committee", "organ",
    "obligation_added", "due_moved", "admin_change", "record_held", "request_sign_off", "approve_close",
}
FORBIDDEN = [re.compile(r"\+00:00"), re.compile(r"\[<"), re.compile(r"\b\w+_id\b"), re.compile(r"\bNone\b"),
             re.compile(r"\bUTC\b"), re.compile(r"<\w+: "),
             # Dates the Chinese way (2014年1月10日), never ISO; and people by name, never by login.
             re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), re.compile(r"\b(liaison_\w+|sup_leader|sup_member|\w+_office)\b"),
             # Django's empty choice, instead of words.
             re.compile(r"-{9}")]


class VisibleText(HTMLParser):
    """The text a person reads: no tags, no attributes, no scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def problems(text):
    found = [pattern.pattern for pattern in FORBIDDEN if pattern.search(text)]
    found += sorted(code for code in CODES if re.search(rf"(?<![\w/.-]){code}(?![\w/.-])", text))
    return found


@pytest.fixture
def demo_in_motion(db, settings, tmp_path):
    """The demo, with a version submitted late, returned with a new due date, resubmitted and
    approved; a meeting prepared; and the reminder policy changed: rows of every shape."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_demo(verbosity=0)
    from django.contrib.auth import get_user_model

    from campaign import actions, meetings

    users = {user.username: user for user in get_user_model().objects.all()}
    # The preliminary summary, which demo.motion left returned to the unit.
    obligation = Obligation.objects.get(unit__memberships__user__username="liaison_fgw",
                                        requirement__route=Route.SUPERVISION_FIRST, requirement__title="初步书面总结")
    pdf = SimpleUploadedFile("初步总结.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with clock.frozen_at(obligation.due_at + dt.timedelta(days=2)):
        actions.move_obligation(obligation, "submit", users["liaison_fgw"], files=[pdf], text="初步总结")
        actions.move_obligation(obligation, "return", users["sup_member"], reason="请补充整改成效",
                                new_due_at=obligation.due_at + dt.timedelta(days=10))
        actions.move_obligation(obligation, "submit", users["liaison_fgw"], text="修改稿")
        actions.move_obligation(obligation, "approve", users["sup_leader"])
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=obligation.unit, kind=Meeting.Kind.DEMOCRATIC_LIFE)
    meeting.planned_on, meeting.talks_logged = dt.date(2014, 3, 10), True
    meetings.prepare_meeting(meeting, actor=users["liaison_fgw"])
    requirement = obligation.requirement
    requirement.deadline_text = "2014年1月20日前"
    actions.save_requirement(requirement, actor=users["zj_office"])
    # A requirement bound by unit levels and types (their codes must read as words).
    bound = next(r for r in Requirement.objects.order_by("pk") if r.target_levels)
    return {"obligation": obligation, "meeting": meeting, "requirement": requirement, "bound": bound}


def pages(world):
    obligation, meeting, requirement = world["obligation"], world["meeting"], world["requirement"]
    return [
        reverse("home"), reverse("campaign:workspace"), reverse("campaign:review_queue"),
        reverse("campaign:directives"), reverse("campaign:dashboard"), reverse("campaign:participants"),
        obligation.get_absolute_url(), requirement.get_absolute_url(), requirement.directive.get_absolute_url(),
        meeting.get_absolute_url(), obligation.unit.get_absolute_url(), reverse("units:list"),
        reverse("supervision:workspace"), reverse("supervision:groups"), reverse("rectification:overview"),
        reverse("notifications:list"), reverse("notifications:requirement_log", args=[requirement.pk]),
        reverse("supervision:unit", args=[obligation.unit_id]),
        reverse("notifications:office_defaults", args=[requirement.directive.issuing_unit_id]),
        world["bound"].get_absolute_url(),
    ]


def test_the_scan_finds_what_it_looks_for():
    assert problems("状态：pending") == ["pending"]
    assert problems("截止 2014-01-10T15:59:59+00:00") == [r"\+00:00"]
    assert problems("指定单位：[<Unit: 省委办公厅>]") == [r"\[<", r"<\w+: "]
    assert problems("unit_id：3") == [r"\b\w+_id\b"]
    assert problems("待报送 · 2014年1月10日 23:59 · 王晓明") == []
    assert problems("截止 2014-01-10") and problems("报送人 liaison_fgw")


def test_no_page_shows_codes_reprs_or_utc(client, demo_in_motion):
    from django.contrib.auth import get_user_model

    read, seen = 0, {}
    for spec in DEMO_ACCOUNTS:
        client.force_login(get_user_model().objects.get(username=spec.username))
        for url in pages(demo_in_motion):
            response = client.get(url)
            if response.status_code != 200:
                continue
            read += 1
            found = problems(visible_text(response.content.decode()))
            if found:
                seen[f"{spec.username} {url}"] = found
    assert read >= 40
    assert seen == {}


def test_refusals_and_missing_pages_speak_chinese(client, demo_in_motion):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="liaison_fgw"))
    response = client.get(reverse("supervision:group_create"))
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    response = client.get(reverse("campaign:obligation", args=[999999]))
    assert response.status_code == 404
    text = visible_text(response.content.decode())
    assert "未找到" in text and problems(text) == [] and "matches the given query" not in text
