"""The permission matrix, generated from the URL configuration.

Every URL pattern is found by walking the resolver. A pattern with keyword arguments is an
"object URL": each kind of outsider must get 403 or 404 and the rightful user 200 (405 for
POST-only URLs, whose POST by outsiders must change nothing). Every URL that is not public
sends an anonymous visitor to the login page.

A new object URL fails this test until its kwarg (``<model>_id``) is in OBJECTS and, when its
rightful user differs from the kwarg's owner, its name is in RIGHTFUL_BY_URL. Registering
it does not make it pass: the view itself must refuse outsiders.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEntry

# kwarg -> (attribute of `world` or `things` owning the id, rightful persona)
OBJECTS = {
    "directive_id": ("hz_directive", "office_hangzhou"),
    "requirement_id": ("hz_requirement", "office_hangzhou"),
    "obligation_id": ("obligation_organ", "liaison_organ"),
    "submission_id": ("submission", "liaison_organ"),
    "file_id": ("file", "liaison_organ"),
    "unit_id": ("organ", "liaison_organ"),
    "group_id": ("group", "group_member"),
    "feedback_id": ("feedback", "group_member"),
    "meeting_id": ("meeting", "liaison_organ"),
    # A unit's progress in a phase (campaign.phases), moved by its liaison.
    "progress_id": ("phase_progress", "liaison_organ"),
    "visit_id": ("visit", "group_member"),
    "evaluation_id": ("evaluation", "group_member"),
    "plan_id": ("plan", "liaison_organ"),
    "item_id": ("item", "liaison_organ"),
    "report_id": ("lookback_report", "liaison_organ"),
    "review_id": ("review", "liaison_organ"),
    # A unit's extension request, decided on the supervision-first route by the unit's group (004).
    "request_id": ("extension_request", "group_member"),
    "notification_id": ("notification", "liaison_organ"),
    # An account is managed by the office over every unit and group it works at.
    "account_id": ("liaison_organ", "office_province"),
    "import_id": ("unit_import", "office_province"),
    # A background job (an export) is its owner's only (core.jobs), here a finished one with its file.
    "job_id": ("background_job", "office_province"),
    # A campaign Hangzhou's office is preparing (seen and changed by the offices over Hangzhou only).
    "campaign_id": ("hz_campaign", "office_hangzhou"),
    "batch_id": ("hz_batch", "office_hangzhou"),
    "phase_id": ("hz_phase", "office_hangzhou"),
    # A file hung on a row (files.Attachment): seen by whoever sees its owner, here a rectification item.
    "attachment_id": ("attachment", "liaison_organ"),
    # 002: an opinion concerning the insider unit (claimed and answered by its liaison), a study record of it.
    "opinion_id": ("opinion", "liaison_organ"),
    "record_id": ("study_record", "liaison_organ"),
    # 从文件登记: an intake is its maker's own until registered; a draft requirement is decided by the
    # offices over the directive's issuing unit.
    "intake_id": ("hz_intake", "office_hangzhou"),
    "draft_id": ("hz_draft", "office_hangzhou"),
    # A person's own API token (api.rules): revoked by its owner only (a service token also by the offices over its unit).
    "apitoken_id": ("api_token", "liaison_organ"),
}

# URL name -> rightful persona, where the page is for another role than the kwarg's owner,
# or ("attribute", persona) when it needs another object of the same kind.
RIGHTFUL_BY_URL = {
    "campaign:obligation_review": "group_member",
    "campaign:obligation_reopen": "group_member",
    "supervision:unit": "group_member",
    "supervision:visit_create": "group_member",
    "supervision:evaluation_create": "group_member",
    "supervision:feedback_create": "group_member",
    "supervision:feedback_edit": ("draft_feedback", "group_member"),
    "supervision:feedback_request": ("draft_feedback", "group_member"),
    "supervision:feedback_sign_off": ("draft_feedback", "group_leader"),
    "supervision:attend": "group_member",
    "campaign:meeting_create": "liaison_organ",
    # 002: opinions about a unit are recorded by the group supervising it (or the offices over it).
    "units:opinion_new": "group_member",
    "campaign:unit_participation": "office_province",
    "notifications:office_defaults": "office_province",
    "units:detail": "office_province",
    "units:children": "office_province",
    "units:edit": "office_province",
    "units:move": "office_province",
    "units:deactivate": "office_province",
    "supervision:group": "office_province",
    "supervision:group_member_add": "office_province",
    "supervision:group_member_remove": "office_province",
    "supervision:group_assign": "office_province",
    "rectification:item_review": "group_member",
    # 004: the affiliation body reviews its part of a report on the route that reaches it.
    "campaign:obligation_affiliation_review": ("affiliated_obligation", "office_affiliation_body"),
    # A directive's attachment (附件) and its file: seen where the directive is issued to.
    "campaign:attachment_file": ("hz_attachment", "office_hangzhou"),
    "campaign:attachment_preview": ("hz_attachment", "office_hangzhou"),
    "campaign:attachment_upload": "office_hangzhou",
}

# Outsiders of each kind: a liaison of another unit, a member of a group not assigned,
# staff of another city's office, staff of an affiliation body the insider unit does not belong to (004).
OUTSIDERS = ["liaison_organ2", "other_member", "office_ningbo", "office_other_body"]

# Names reachable without signing in (a password reset link carries its own proof: its token).
PUBLIC = {
    "login", "logout", "set_language", "javascript-catalog",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
    # A calendar feed is opened by calendar apps, which cannot sign in: its token (a revocable calendar
    # ApiToken, not an object id) is the proof, and an unknown or revoked one is a 404
    # (tests/api/test_calendar_feed.py).
    "calendar_feed",
}


@pytest.fixture
def things(things, world):
    """The shared objects plus the look-back report of the insider unit and an import by its office;
    and 004's affiliation bodies: the insider unit belongs to one (its staff are the rightful
    reviewers of its part of a report on the affiliation route), the other's staff are outsiders."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from api.actions import create_token
    from campaign.actions import create_campaign, fan_out
    from campaign.blueprints import MASS_LINE
    from campaign.models import DirectiveIntake, Requirement, RequirementDraft, Route
    from campaign.workflow import transition
    from core.models import BackgroundJob
    from rectification.models import LookBackReport
    from tests.conftest import make_unit, make_user
    from units.models import Level, UnitImport, UnitMembership, UnitType

    body = make_unit(code="330000-JG", name="省直机关工委", parent=world.province, level=Level.PROVINCE,
                     unit_type=UnitType.WORK_COMMITTEE)
    other_body = make_unit(code="330000-JY", name="省委教育工委", parent=world.province, level=Level.PROVINCE,
                           unit_type=UnitType.WORK_COMMITTEE)
    world.office_affiliation_body = make_user("szjg_office")
    world.office_other_body = make_user("jygw_office")
    UnitMembership.objects.create(user=world.office_affiliation_body, unit=body, role=UnitMembership.Role.OFFICE)
    UnitMembership.objects.create(user=world.office_other_body, unit=other_body, role=UnitMembership.Role.OFFICE)
    world.organ.party_affiliation = body
    world.organ.save()
    world.organ2.party_affiliation = other_body
    world.organ2.save()
    lookback = Requirement.objects.create(
        directive=world.zj_48, title="省直单位整改落实“回头看”自查情况报告", scope_unit=world.province,
        submit_to=world.province, target_levels=["province"], target_unit_types=["organ"], deadline_text="2月底前",
        due_at=world.requirement.due_at, route=Route.OFFICE_AND_AFFILIATION,
    )
    fan_out(lookback, actor=None)
    things.affiliated_obligation = transition(
        lookback.obligations.get(unit=world.organ), "submit", world.liaison_organ, text="回头看自查报告"
    )

    things.api_token, _text = create_token(world.liaison_organ, "手机")
    things.lookback_report = LookBackReport.objects.create(
        campaign=world.campaign, unit=world.organ, summary="整改落实情况自查", created_by=world.liaison_organ
    )
    things.unit_import = UnitImport.objects.create(
        created_by=world.office_province, file_name="units.xlsx", stored_name="matrix.xlsx", status=UnitImport.Status.CHECKED
    )
    things.background_job = BackgroundJob.objects.create(
        kind="units.export", owner_id=world.office_province.pk, title="导出单位名册（.csv）", state=BackgroundJob.State.DONE,
        result_name="units.csv", result_file=default_storage.save("jobs/matrix.csv", ContentFile(b"code\n")),
    )
    things.hz_campaign = create_campaign("杭州市专题教育", "", world.campaign.starts_on, None, MASS_LINE,
                                         actor=world.office_hangzhou, office=world.hangzhou)
    things.hz_batch, things.hz_phase = things.hz_campaign.batches.first(), things.hz_campaign.phases.first()
    things.hz_intake = DirectiveIntake.objects.create(
        campaign=world.campaign, created_by=world.office_hangzhou, text="杭群组发〔2014〕2号 关于……的通知",
        extraction={"record": {"doc_number": "杭群组发〔2014〕2号", "deadlines": []}},
    )
    things.hz_draft = RequirementDraft.objects.create(
        directive=things.hz_directive, intake=things.hz_intake, what="整改情况", deadline_text="2月底前",
    )
    return things


def walk(patterns=None, prefix="", namespace=""):
    """(name, route, kwarg names, pattern) for every URL pattern, depth first."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin is covered by test_access_admin.py
            if entry.namespace == "api":
                continue  # the API answers tokens, not sessions: tests/api/test_api_matrix.py
            ns = entry.namespace or ""
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            kwargs = set(getattr(entry.pattern, "converters", {}) or {}) | set(entry.pattern.regex.groupindex)
            yield f"{namespace}{entry.name}" if entry.name else None, prefix + str(entry.pattern), kwargs, entry


def object_urls():
    return [(name, route, kwargs) for name, route, kwargs, _entry in walk() if kwargs and name not in PUBLIC]


def plain_urls():
    return [(name, route) for name, route, kwargs, _entry in walk() if not kwargs]


def resolve_target(world, things, name, kwarg):
    attribute, rightful = OBJECTS[kwarg]
    override = RIGHTFUL_BY_URL.get(name)
    if isinstance(override, tuple):
        attribute, rightful = override
    elif override:
        rightful = override
    source = things if hasattr(things, attribute) else world
    return getattr(source, attribute), getattr(world, rightful)


def state_of(obj):
    obj = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    obj.pop("updated_at", None)
    return obj


def test_every_object_url_is_registered():
    problems = []
    for name, route, kwargs in object_urls():
        if name is None:
            problems.append(f"{route}: give the URL pattern a name")
        for kwarg in kwargs - set(OBJECTS):
            problems.append(
                f"{name} ({route}): unknown URL kwarg {kwarg!r}; name it <model>_id and register it in "
                f"tests/access/test_access_matrix.py OBJECTS with an object and its rightful user"
            )
    assert not problems, "\n".join(problems)


def test_there_are_object_urls_to_check():
    assert object_urls(), "the URL configuration has no object URLs"


@pytest.mark.parametrize("name,route,kwargs", object_urls(), ids=lambda value: value if isinstance(value, str) else "")
def test_outsiders_are_refused_and_the_rightful_user_gets_the_page(client, world, things, name, route, kwargs):
    assert set(kwargs) <= set(OBJECTS), f"register {sorted(set(kwargs) - set(OBJECTS))} in OBJECTS"
    targets = {}
    rightful = None
    for kwarg in kwargs:
        target, rightful = resolve_target(world, things, name, kwarg)
        targets[kwarg] = target
    url = reverse(name, kwargs={kwarg: target.pk for kwarg, target in targets.items()})

    for persona in OUTSIDERS:
        outsider = getattr(world, persona)
        if outsider == rightful:
            continue
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code in (403, 404, 405), f"{name}: {persona} got {response.status_code} on GET {url}"
        if response.status_code == 405:
            before = {kwarg: state_of(target) for kwarg, target in targets.items()}
            audit_rows = AuditEntry.objects.count()
            response = client.post(url, {"reason": "x", "text": "x", "decision": "approve"})
            assert response.status_code in (403, 404), f"{name}: {persona} got {response.status_code} on POST {url}"
            assert {kwarg: state_of(target) for kwarg, target in targets.items()} == before, f"{name}: POST changed data"
            assert AuditEntry.objects.count() == audit_rows, f"{name}: POST by {persona} wrote an audit row"
        client.logout()

    client.force_login(rightful)
    response = client.get(url)
    assert response.status_code in (200, 405), f"{name}: rightful {rightful} got {response.status_code} on GET {url}"


def test_outsiders_are_refused_by_every_object_url_even_with_post(client, world, things):
    """POST to every object URL: no outsider changes anything or writes an audit row."""
    for name, _route, kwargs in object_urls():
        targets = {kwarg: resolve_target(world, things, name, kwarg)[0] for kwarg in kwargs}
        url = reverse(name, kwargs={kwarg: target.pk for kwarg, target in targets.items()})
        for persona in OUTSIDERS:
            before = {kwarg: state_of(target) for kwarg, target in targets.items()}
            audit_rows = AuditEntry.objects.count()
            client.force_login(getattr(world, persona))
            response = client.post(url, {"reason": "x", "text": "x", "subject": "x", "decision": "approve"})
            if response.status_code in (403, 404, 405):
                assert {kwarg: state_of(target) for kwarg, target in targets.items()} == before, name
                assert AuditEntry.objects.count() == audit_rows, name
            else:
                # Only a rightful user could get further; outsiders never may.
                rightful = resolve_target(world, things, name, next(iter(kwargs)))[1]
                pytest.fail(f"{name}: {persona} got {response.status_code} on POST {url} (rightful: {rightful})")


@pytest.mark.parametrize(
    "name,route", [(n, r) for n, r in plain_urls() if n not in PUBLIC], ids=lambda value: value if isinstance(value, str) else ""
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, name, route):
    assert name, f"{route}: give the URL pattern a name"
    response = client.get(reverse(name))
    assert response.status_code == 302, f"{name} answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith(reverse(settings.LOGIN_URL)), f"{name} redirected to {response['Location']}"


def test_anonymous_visitors_get_no_object_page(client, world, things):
    for name, _route, kwargs in object_urls():
        if name in PUBLIC:
            continue
        url = reverse(name, kwargs={kwarg: resolve_target(world, things, name, kwarg)[0].pk for kwarg in kwargs})
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL)), (
            f"{name} answered {response.status_code} to an anonymous visitor"
        )


def test_the_admin_sends_anonymous_visitors_to_its_login(client, db):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_models_with_pages_have_absolute_urls(world, things):
    """DESIGN/issue item 6: a model whose <model>_id URL exists implements get_absolute_url."""
    for name, _route, kwargs in object_urls():
        if len(kwargs) != 1:
            continue
        (kwarg,) = kwargs
        target = resolve_target(world, things, name, kwarg)[0]
        url = target.get_absolute_url()
        assert url, f"{type(target).__name__} has no get_absolute_url"
        assert str(target.pk) in url


def test_a_member_sees_only_their_own_groups_findings_on_a_shared_unit(client, world, things):
    """Two groups assigned to the same unit: each member reads their own group's visits and
    evaluations on the unit page, never the other group's (001: 明察暗访 findings)."""
    import datetime as dt

    from supervision.models import Evaluation, GroupAssignment, Visit

    GroupAssignment.objects.create(group=world.other_group, unit=world.organ, starts_on=dt.date(2013, 6, 1))
    Visit.objects.create(group=world.other_group, unit=world.organ, kind=Visit.Kind.UNANNOUNCED,
                         visited_on=dt.date(2014, 3, 2), findings="第二组暗访：公车私用", recorded_by=world.other_member)
    Evaluation.objects.create(group=world.other_group, unit=world.organ, subject=Evaluation.Subject.INSTITUTIONS,
                              rating=Evaluation.Rating.POOR, text="第二组评估：制度空转", evaluated_by=world.other_member)
    client.force_login(world.group_member)
    page = client.get(reverse("supervision:unit", kwargs={"unit_id": world.organ.pk})).content.decode()
    assert things.visit.findings in page and things.evaluation.text in page
    assert "第二组暗访" not in page and "第二组评估" not in page
    client.force_login(world.other_member)
    page = client.get(reverse("supervision:unit", kwargs={"unit_id": world.organ.pk})).content.decode()
    assert "第二组暗访" in page and things.visit.findings not in page


def test_the_group_list_shows_liaisons_nothing_and_members_their_own_groups(client, world, things):
    client.force_login(world.liaison_organ)
    page = client.get(reverse("supervision:groups")).content.decode()
    assert world.group.name not in page and world.other_group.name not in page
    client.force_login(world.group_member)
    page = client.get(reverse("supervision:groups")).content.decode()
    assert world.group.name in page and world.other_group.name not in page


def test_a_superuser_may_review_and_sees_the_group_review_queue(client, world, things):
    """can() and the queue are one rule: whoever may review a submission finds it in the queue."""
    from access.policy import can
    from campaign import workflow

    world.obligation_organ.status = "submitted"
    world.obligation_organ.save()
    for user in (world.superuser, world.group_member):
        assert can(user, "review", world.obligation_organ)
        assert world.obligation_organ in workflow.group_review_queue(user)
    assert world.obligation_organ not in workflow.group_review_queue(world.other_member)
