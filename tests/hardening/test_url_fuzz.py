"""Every URL, asked with NUL bytes, huge integers and invalid UTF-8 in its path and query, answers
with a page (200/30x/400/403/404/405), never a server error; on SQLite and PostgreSQL (where a NUL
in a query or an integer beyond bigint used to reach the database and fail)."""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

HUGE = "9" * 30
QUERY_KEYS = [
    "q", "page", "status", "level", "unit_type", "campaign", "batch", "phase", "requirement", "unit", "parent",
    "format", "year", "month", "week", "day", "kind", "decision", "member", "unread", "term", "token", "light",
    "sort", "order", "due", "overdue", "group", "view", "next", "deadline", "deadline_inclusive", "active",
]
HOSTILE_VALUES = ["%00", "a%00b", HUGE, "-" + HUGE, "%ff%fe%80", "1e309", "nan", "%E2%80%AE", "'--", "0x10"]
ALLOWED = {200, 301, 302, 400, 403, 404, 405}
# The JSON API also answers 401 (no token: the anonymous persona), 409 (the state refuses the action) and
# 422 (a value its schema refuses).
ALLOWED_API = ALLOWED | {401, 409, 422}


def patterns(resolvers=None, prefix=""):
    """(route template, converter names) of every URL outside the admin."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "accounts/logout/")):
            continue
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, dict(entry.pattern.converters)


def fill(route, converters, value_for):
    path = route.lstrip("^").rstrip("$")
    for name, converter in converters.items():
        kind = type(converter).__name__
        for placeholder in (f"<int:{name}>", f"<str:{name}>", f"<slug:{name}>", f"<path:{name}>", f"<uuid:{name}>",
                            f"<{name}>"):
            path = path.replace(placeholder, value_for(kind))
    return "/" + path


def int_or_text(huge):
    def value_for(kind):
        return HUGE if (kind == "IntConverter" and huge) else ("0" if kind == "IntConverter" else "%00x%ff")
    return value_for


def real_ids(world):
    """Keys of the test province's objects, so that hostile queries reach the views' real work."""
    from campaign import workflow
    from campaign.models import Meeting, SubmissionFile
    from notifications.models import Notification
    from rectification.models import LookBackReport, RectificationItem, RectificationPlan
    from supervision.models import Feedback
    from tests.workspace.workspace_helpers import PDF, upload

    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("总结.pdf", PDF)])
    file_obj = SubmissionFile.objects.get()
    plan = RectificationPlan.objects.create(unit=world.organ, campaign=world.campaign, title="整改方案", responsible_person="李四")
    item = RectificationItem.objects.create(plan=plan, problem="文山会海", measures="精简", owner="张三",
                                            due_on=world.campaign.starts_on)
    report = LookBackReport.objects.create(unit=world.organ, campaign=world.campaign, created_by=world.liaison_organ,
                                           summary="回头看")
    feedback = Feedback.objects.create(group=world.group, unit=world.organ, subject="反馈", text="意见",
                                       drafted_by=world.group_member)
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE)
    note = Notification.objects.create(user=world.liaison_organ, title="提醒")
    from units.models import Opinion, StudyRecord

    opinion = Opinion.objects.create(collected_by=world.province, concerned_unit=world.organ, text="意见",
                                     channel=Opinion.Channel.FACE_TO_FACE, collected_on=world.campaign.starts_on)
    record = StudyRecord.objects.create(unit=world.organ, kind=StudyRecord.Kind.FILM, held_on=world.campaign.starts_on,
                                        topic="焦裕禄")
    return {
        "opinion_id": opinion.pk, "record_id": record.pk,
        "directive_id": world.zj_48.pk, "requirement_id": world.requirement.pk, "unit_id": world.organ.pk,
        "obligation_id": world.obligation_organ.pk, "submission_id": file_obj.submission_id, "file_id": file_obj.pk,
        "meeting_id": meeting.pk, "group_id": world.group.pk, "feedback_id": feedback.pk, "plan_id": plan.pk,
        "item_id": item.pk, "report_id": report.pk, "notification_id": note.pk,
    }


def other_state_ids(world, ids):
    """A second object of each kind in the state where its other forms show: an open obligation
    (submit), feedback awaiting sign-off, an item whose closing awaits review, a look-back report
    awaiting review."""
    from campaign.actions import fan_out
    from campaign.models import Requirement
    from rectification.models import LookBackReport, RectificationItem
    from supervision.models import Feedback

    requirement = Requirement(
        directive=world.zj_48, title="对照检查材料", phase=world.phase_summary, scope_unit=world.province,
        submit_to=world.province, target_batch=world.batch1, deadline_text="2014年1月10日前", route="supervision",
    )
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    feedback = Feedback.objects.create(group=world.group, unit=world.organ, subject="待签发", text="意见",
                                       drafted_by=world.group_member, status=Feedback.Status.PENDING)
    item = RectificationItem.objects.create(plan_id=ids["plan_id"], problem="会风不正", measures="精简会议", owner="王五",
                                            due_on=world.campaign.starts_on, evidence="台账",
                                            status=RectificationItem.Status.CLOSE_REQUESTED)
    report = LookBackReport.objects.create(unit=world.xihu, campaign=world.campaign, created_by=world.liaison_xihu,
                                           summary="回头看", status=LookBackReport.Status.SUBMITTED)
    return {**ids, "obligation_id": requirement.obligations.get(unit=world.organ).pk, "requirement_id": requirement.pk,
            "feedback_id": feedback.pk, "item_id": item.pk, "report_id": report.pk}


def fill_real(route, converters, ids):
    path = route
    for name in converters:
        path = path.replace(f"<int:{name}>", str(ids.get(name, 0))).replace(f"<{name}>", str(ids.get(name, 0)))
    return "/" + path


@pytest.fixture
def personas(world):
    return [None, world.office_province, world.liaison_organ, world.group_leader, world.superuser]


def check(client, method, url):
    """The API is called with the persona's token (client.api_headers), the pages with its session."""
    api = url.startswith("/api/")
    response = getattr(client, method)(url, **(getattr(client, "api_headers", {}) if api else {}))
    assert response.status_code in (ALLOWED_API if api else ALLOWED), (method, url, response.status_code)


# Three hostile queries per URL: NUL bytes, numbers beyond any column, broken UTF-8 and bidi marks.
QUERIES = [
    "&".join(f"{key}={value}" for key in QUERY_KEYS)
    for value in ("a%00b", HUGE, "%ff%fe%80%E2%80%AE")
] + ["&".join(f"{key}={HOSTILE_VALUES[i % len(HOSTILE_VALUES)]}" for i, key in enumerate(QUERY_KEYS))]


@pytest.mark.parametrize("persona_index", range(5))
def test_every_url_survives_hostile_paths_and_queries(world, client, personas, persona_index):
    user = personas[persona_index]
    if user is not None:
        from api.actions import create_token  # the API's hostile calls come with the persona's token

        client.force_login(user)
        client.api_headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, '模糊测试')[1]}"}
    ids = real_ids(world)
    routes = list(patterns())
    assert len(routes) > 40
    for route, converters in routes:
        check(client, "get", fill(route, converters, int_or_text(True)))
        check(client, "post", fill(route, converters, int_or_text(True)))
        real = fill_real(route, converters, ids)
        for query in QUERIES:
            check(client, "get", f"{real}?{query}")
        check(client, "post", f"{real}?{QUERIES[0]}")
        check(client, "post", f"{real}?{QUERIES[1]}")


def test_invalid_utf8_and_nul_in_the_path(world, client):
    client.force_login(world.office_province)
    for path in ("/units/%ff%fe/", "/units/%00/", "/%00", "/directives/%c0%af/", "/units/" + HUGE + "/"):
        check(client, "get", path)
