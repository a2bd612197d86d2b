"""The read side of the API: the same restrict() scoping as the pages (a token sees what its owner
sees, and an object outside that is a 404), the filters, cursor paging, bounded queries, the
dashboard's numbers, and no 500 whatever is typed into a query string."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api import actions
from campaign import dashboard, workflow
from campaign.actions import fan_out
from campaign.deadlines import SHANGHAI
from campaign.models import Campaign, Directive, Obligation, Requirement
from core import clock
from units.models import Level, Unit, UnitType


def at(month, day, hour=10):
    return dt.datetime(2014, month, day, hour, tzinfo=SHANGHAI)


class Reader:
    """An API client holding one person's token."""

    def __init__(self, client, user):
        self.client, self.text = client, actions.create_token(user, "读取")[1]

    def get(self, url, **params):
        return self.client.get(f"/api/v1{url}", params, HTTP_AUTHORIZATION=f"Bearer {self.text}")

    def ok(self, url, **params):
        answer = self.get(url, **params)
        assert answer.status_code == 200, answer.content
        return answer.json()

    def ids(self, url, **params):
        return {item["id"] for item in self.ok(url, limit=500, **params)["items"]}


@pytest.fixture
def hz(world, client, settings):
    """Hangzhou's own directive and requirement (its batch-2 subtree: 杭州市, 西湖区, 北山街道),
    西湖区's version returned by the Hangzhou office, and a token for each persona."""
    settings.API_RATE_LIMIT = "100000/m"
    directive = Directive(campaign=world.campaign, doc_type="通知", issuing_unit=world.hangzhou,
                          issuer_name="中共杭州市委教育实践活动领导小组", title="关于报送整改方案的通知",
                          signed_on=dt.date(2014, 1, 20))
    directive.set_number("杭群组发〔2014〕3号")
    directive.save()
    directive.forwards.add(world.zj_48)
    requirement = Requirement(directive=directive, title="整改方案", scope_unit=world.hangzhou,
                              submit_to=world.hangzhou, target_batch=world.batch2, deadline_text="2014年2月28日前")
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    xihu = requirement.obligations.get(unit=world.xihu)
    with clock.frozen_at(at(2, 20)):
        workflow.transition(xihu, "submit", world.liaison_xihu,
                            files=[SimpleUploadedFile("整改方案.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")])
        workflow.transition(xihu, "return", world.office_hangzhou, reason="请补充整改时限")
    world.hz_directive, world.hz_requirement, world.hz_obligation = directive, requirement, xihu
    world.hz_draft_campaign = Campaign.objects.create(name="杭州市筹备中的活动", starts_on=dt.date(2015, 1, 1),
                                                      status=Campaign.Status.DRAFT, office=world.hangzhou)
    world.readers = {name: Reader(client, getattr(world, name)) for name in
                     ("office_province", "office_hangzhou", "office_ningbo", "liaison_xihu", "liaison_organ")}
    return world


def test_each_object_is_read_by_its_rightful_token_and_is_a_404_to_an_outsider(hz):
    r = hz.readers
    matrix = [  # (url, rightful persona, outsider persona)
        (f"/campaigns/{hz.hz_draft_campaign.pk}", "office_hangzhou", "office_ningbo"),
        (f"/directives/{hz.hz_directive.pk}", "office_hangzhou", "office_ningbo"),
        (f"/directives/{hz.hz_directive.pk}", "liaison_xihu", "liaison_organ"),
        (f"/requirements/{hz.hz_requirement.pk}", "office_hangzhou", "office_ningbo"),
        (f"/obligations/{hz.hz_obligation.pk}", "liaison_xihu", "liaison_organ"),
        (f"/obligations/{hz.hz_obligation.pk}", "office_province", "office_ningbo"),
        (f"/units/{hz.xihu.pk}", "liaison_xihu", "office_ningbo"),
    ]
    for url, rightful, outsider in matrix:
        assert r[rightful].get(url).status_code == 200, (url, rightful)
        refused = r[outsider].get(url)
        assert refused.status_code == 404 and refused.json()["detail"] == "未找到，或您无权查看。", (url, outsider)
    # The same rule in the lists: absent, not refused.
    assert hz.hz_directive.pk not in r["office_ningbo"].ids("/directives")
    assert hz.hz_requirement.pk not in r["office_ningbo"].ids("/requirements")
    assert hz.hz_draft_campaign.pk not in r["office_ningbo"].ids("/campaigns")
    assert hz.xihu.pk not in r["office_ningbo"].ids("/units")


def test_a_liaison_sees_its_units_obligations_an_office_its_subtree_another_city_none(hz):
    r = hz.readers
    hz_obligations = set(hz.hz_requirement.obligations.values_list("pk", flat=True))
    assert {Obligation.objects.get(pk=pk).unit for pk in hz_obligations} == {hz.hangzhou, hz.xihu, hz.street}
    assert r["liaison_xihu"].ids("/obligations") == {hz.hz_obligation.pk}
    assert r["office_hangzhou"].ids("/obligations") == hz_obligations
    assert r["office_ningbo"].ids("/obligations") == set()
    assert hz_obligations < r["office_province"].ids("/obligations")
    # ?unit= is that unit's whole subtree, and only within what the token sees.
    xihu_down = set(hz.hz_requirement.obligations.filter(unit__in=[hz.xihu, hz.street]).values_list("pk", flat=True))
    assert r["office_province"].ids("/obligations", unit=hz.xihu.pk) == xihu_down
    assert r["office_ningbo"].get("/obligations", unit=hz.xihu.pk).status_code == 404


def test_an_obligation_reads_with_its_status_versions_files_and_reviews_in_chinese(hz):
    with clock.frozen_at(at(3, 3)):
        detail = hz.readers["liaison_xihu"].ok(f"/obligations/{hz.hz_obligation.pk}")
    assert detail["status"] == "returned" and detail["status_label"] == "已退回"
    assert detail["unit"] == {"id": hz.xihu.pk, "code": "330106", "name": "西湖区"}
    assert detail["requirement"] == {"id": hz.hz_requirement.pk, "title": "整改方案"}
    assert detail["due_at"].endswith("+08:00") and detail["submitted_at"].startswith("2014-02-20T10:00:00+08:00")
    assert detail["is_overdue"] and detail["light"] == "overdue" and detail["light_label"] == "有逾期"
    assert detail["days_late"] == Obligation.objects.with_status(at(3, 3)).get(pk=hz.hz_obligation.pk).days_late >= 2
    [version] = detail["submissions"]
    [file] = version["files"]
    assert version["version"] == 1 and file["name"] == "整改方案.pdf"
    assert file["download_url"].endswith(reverse("campaign:file", args=[file["id"]]))
    [review] = detail["reviews"]
    assert review["decision"] == "return" and review["decision_label"] == "退回" and review["reason"] == "请补充整改时限"
    assert review["reviewer"] == "office_hz" and review["submission_version"] == 1


def test_the_state_overdue_and_updated_since_filters(hz, world):
    r = hz.readers["office_province"]
    with clock.frozen_at(at(1, 9)):
        workflow.transition(world.obligation_organ2, "submit", world.liaison_organ2,
                            files=[SimpleUploadedFile("总结.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")])
    ours = {"requirement": world.requirement.pk}
    open_ones = set(world.requirement.obligations.exclude(pk=world.obligation_organ2.pk).values_list("pk", flat=True))
    with clock.frozen_at(at(1, 9, 12)):  # before the due moment (10 January): nothing overdue yet
        assert r.ids("/obligations", overdue="true", **ours) == set()
        assert r.ids("/obligations", state="due_soon", **ours) == open_ones
    with clock.frozen_at(at(1, 12)):
        assert r.ids("/obligations", overdue="true", **ours) == open_ones
        assert r.ids("/obligations", state="overdue", **ours) == open_ones
        assert r.ids("/obligations", overdue="false", **ours) == {world.obligation_organ2.pk}
        assert r.ids("/obligations", state="submitted", **ours) == {world.obligation_organ2.pk}
        assert r.ids("/obligations", state="pending", **ours) == open_ones
        since = Obligation.objects.get(pk=world.obligation_organ2.pk).updated_at
        assert world.obligation_organ2.pk in r.ids("/obligations", updated_since=since.isoformat())
        assert r.ids("/obligations", updated_since="2999-01-01T00:00:00+08:00") == set()
    refused = r.get("/obligations", state="late")
    assert refused.status_code == 400 and "已报送待审核" in refused.json()["detail"]
    assert r.get("/obligations", updated_since="昨天").status_code == 400
    assert r.get("/obligations", overdue="也许").status_code == 422
    assert r.ids("/requirements", directive=hz.hz_directive.pk) == {hz.hz_requirement.pk}
    directive = r.ok(f"/directives/{hz.hz_directive.pk}")
    assert directive["forwards"] == ["浙群组发〔2013〕48号"] and directive["requirement_ids"] == [hz.hz_requirement.pk]


def test_the_cursor_walks_a_list_without_repeats_or_gaps(hz):
    r = hz.readers["office_province"]
    everything = r.ids("/units")
    assert len(everything) == 8  # the province's subtree
    seen, cursor = [], None
    while True:
        page = r.ok("/units", limit=3, **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == everything
    refused = r.get("/units", cursor="not-a-cursor")
    assert refused.status_code == 400 and "cursor" in refused.json()["detail"]


def test_listing_obligations_costs_the_same_queries_for_2_or_20_units(hz, django_assert_max_num_queries):
    r = hz.readers["office_ningbo"]

    def units_with_obligations(count, start):
        for n in range(start, start + count):
            unit = Unit.objects.create(code=f"330206{n:03d}", name=f"北仑街道{n}", parent=hz.beilun,
                                       level=Level.TOWNSHIP, unit_type=UnitType.STREET)
            Obligation.objects.create(requirement=hz.requirement, unit=unit, due_at=hz.requirement.due_at)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            assert len(r.ok("/obligations", limit=500)["items"]) == Obligation.objects.filter(unit__path__startswith=hz.ningbo.path).count()
        return len(queries)

    r.ok("/me")  # the token's first use is written once; later ones within the minute are not
    units_with_obligations(2, 1)
    small = counted()
    units_with_obligations(18, 3)
    assert counted() == small
    with django_assert_max_num_queries(small):
        r.ok("/obligations", limit=500)


def test_the_dashboard_counts_are_the_dashboard_pages(hz, world):
    r = hz.readers["office_hangzhou"]
    with clock.frozen_at(at(3, 3)):
        answer = r.ok("/dashboard")
        children = list(Unit.objects.filter(parent=world.hangzhou).order_by("path"))
        progress = dashboard.progress_for(world.hangzhou, children, world.campaign, use_cache=False)
    assert answer["unit"]["id"] == world.hangzhou.pk and answer["campaign"]["id"] == world.campaign.pk
    fields = ("total", "pending", "submitted", "returned", "accepted", "exempt", "overdue", "due_soon", "on_time", "late")
    assert {f: answer["total"][f] for f in fields} == {f: getattr(progress.total, f) for f in fields}
    assert answer["total"]["total"] == 3 and answer["total"]["overdue"] == 3 and answer["total"]["light_label"] == "有逾期"
    assert [(c["unit"]["id"], c["counts"]["total"]) for c in answer["children"]] == [
        (c.unit.pk, c.counts.total) for c in progress.children]
    assert [row["requirement_id"] for row in answer["by_requirement"]] == [hz.hz_requirement.pk]
    # The province's office may look at Hangzhou; Ningbo's cannot see it, a liaison is no office.
    assert hz.readers["office_province"].ok("/dashboard", unit=world.hangzhou.pk)["total"] == answer["total"]
    assert hz.readers["office_ningbo"].get("/dashboard", unit=world.hangzhou.pk).status_code == 404
    assert hz.readers["liaison_xihu"].get("/dashboard").status_code == 403


TEXT = st.text(max_size=40)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.fixed_dictionaries({}, optional={
    name: TEXT for name in ("requirement", "unit", "state", "overdue", "updated_since", "cursor", "limit", "campaign",
                            "under", "q", "level")
}), path=st.sampled_from(["/obligations", "/units"]), detail=TEXT)
def test_no_query_string_makes_a_500(hz, params, path, detail):
    r = hz.readers["office_hangzhou"]
    answer = r.get(path, **params)
    assert answer.status_code < 500, (path, params)
    if answer.status_code >= 400:
        assert answer.status_code in (400, 404, 422)
        # A NUL character is refused before the API by core's middleware, in its own words (an HTML page).
        assert answer.json()["detail"] if not any("\x00" in v for v in params.values()) else answer.status_code == 400
    by_id = r.get(f"{path}/{detail}")
    assert by_id.status_code < 500, detail


def test_every_read_endpoint_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/campaigns", "/campaigns/{campaign_id}", "/directives", "/directives/{directive_id}", "/requirements",
                 "/requirements/{requirement_id}", "/obligations", "/obligations/{obligation_id}", "/units",
                 "/units/{unit_id}", "/dashboard"):
        operation = paths[f"/api/v1{path}"]["get"]
        assert operation["summary"] and operation["description"], path
