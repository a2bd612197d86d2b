"""004's triple routing: 省直各单位情况按党组织隶属关系同时分别报省直机关工委、省委教育工委、省国资委党委.

One submission by a provincial unit reaches the office it is submitted to and, at the same time,
exactly the body its Party organisation belongs to; each body sees and reviews its part and
nothing else; the office's decision is untouched by the bodies.
"""

import datetime as dt

import pytest
from django.urls import reverse

from access.policy import can
from audit.models import AuditEntry
from campaign import workflow
from campaign.actions import fan_out, review_affiliation_part
from campaign.models import AffiliationReview, Directive, Obligation, Requirement, Review, Route
from campaign.status import ObligationStatus
from tests.conftest import make_unit, make_user
from tests.workspace.workspace_helpers import PDF, logged_in, upload
from units.models import Level, UnitMembership, UnitType


class Bodies:
    pass


@pytest.fixture
def bodies(world):
    """省直机关工委 (the organ's body) and 省委教育工委 (the education department's body), one office
    login each, and a look-back requirement of 004 on the triple route over the provincial organs."""
    b = Bodies()
    b.jg = make_unit(code="330000-JG", name="中共浙江省直属机关工作委员会", short_name="省直机关工委",
                     parent=world.province, level=Level.PROVINCE, unit_type=UnitType.WORK_COMMITTEE)
    b.jy = make_unit(code="330000-JY", name="中共浙江省委教育工作委员会", short_name="省委教育工委",
                     parent=world.province, level=Level.PROVINCE, unit_type=UnitType.WORK_COMMITTEE)
    b.office_jg = make_user("szjg_office")
    b.office_jy = make_user("jygw_office")
    UnitMembership.objects.create(user=b.office_jg, unit=b.jg, role=UnitMembership.Role.OFFICE)
    UnitMembership.objects.create(user=b.office_jy, unit=b.jy, role=UnitMembership.Role.OFFICE)
    world.organ.party_affiliation = b.jg
    world.organ.save()
    world.organ2.party_affiliation = b.jy
    world.organ2.save()
    directive = Directive(
        campaign=world.campaign, doc_type="通知", issuing_unit=world.province, issuer_name="省委整改办",
        title="关于开展整改落实“回头看”的通知", signed_on=dt.date(2015, 1, 15),
    )
    directive.set_number("浙整改办发〔2015〕2号")
    directive.save()
    b.requirement = Requirement(
        directive=directive, title="省直单位整改落实“回头看”自查情况报告", scope_unit=world.province,
        submit_to=world.province, target_levels=["province"], target_unit_types=["organ"], deadline_text="2月底前",
        route=Route.OFFICE_AND_AFFILIATION,
    )
    b.requirement.resolve_deadline()
    b.requirement.save()
    fan_out(b.requirement, actor=None)
    b.organ = b.requirement.obligations.get(unit=world.organ)
    b.organ2 = b.requirement.obligations.get(unit=world.organ2)
    return b


def url(name, obligation):
    return reverse(name, kwargs={"obligation_id": obligation.pk})


def submit(client, world, obligation, liaison, text="回头看自查报告"):
    client.force_login(liaison)
    response = client.post(url("campaign:obligation_submit", obligation),
                           {"text": text, "files": [upload("自查报告.pdf", PDF, "application/pdf")]})
    assert response.status_code == 302
    obligation.refresh_from_db()
    return obligation


def test_one_submission_reaches_the_office_and_exactly_its_body(world, bodies, client):
    as_user = logged_in(client)
    ob = submit(client, world, bodies.organ, world.liaison_organ)
    submission = ob.submissions.get()
    file = submission.files.get()

    # The office the report is submitted to finds it in its queue and may decide.
    office = as_user(world.office_province)
    assert "省直单位整改落实" in office.get(reverse("campaign:review_queue")).content.decode()
    assert can(world.office_province, "review", ob)
    assert ob in workflow.office_review_queue(world.office_province)

    # The organ's body, 省直机关工委: in its list, the report, the version and the file.
    jg = as_user(bodies.office_jg)
    page = jg.get(reverse("campaign:affiliation_queue")).content.decode()
    assert "省发展改革委" in page and url("campaign:obligation", ob) in page
    assert jg.get(url("campaign:obligation", ob)).status_code == 200
    assert jg.get(reverse("campaign:submission", kwargs={"submission_id": submission.pk})).status_code == 200
    response = jg.get(reverse("campaign:file", kwargs={"file_id": file.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # ... and its review queue page lists the part waiting for it.
    assert url("campaign:obligation", ob) in jg.get(reverse("campaign:review_queue")).content.decode()

    # Another body, 省委教育工委: not listed, not found.
    jy = as_user(bodies.office_jy)
    assert "省发展改革委" not in jy.get(reverse("campaign:affiliation_queue") + "?show=all").content.decode()
    assert url("campaign:obligation", ob) not in jy.get(reverse("campaign:review_queue")).content.decode()
    for target in (url("campaign:obligation", ob), reverse("campaign:submission", kwargs={"submission_id": submission.pk}),
                   reverse("campaign:file", kwargs={"file_id": file.pk})):
        assert jy.get(target).status_code in (403, 404), target
    assert not Obligation.objects.restrict(bodies.office_jy).filter(pk=ob.pk).exists()
    assert set(Obligation.objects.restrict(bodies.office_jg, "affiliation")) == {ob}
    assert set(Obligation.objects.restrict(bodies.office_jy, "affiliation")) == {bodies.organ2}


def test_a_body_sees_nothing_on_other_routes_and_no_other_units(world, bodies, client):
    """The body's view is its part on the 004 route only: the organ's report on the supervision-first
    route, its unit page, its rectification plan stay out of reach."""
    as_user = logged_in(client)
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初步总结")
    jg = as_user(bodies.office_jg)
    assert jg.get(url("campaign:obligation", world.obligation_organ)).status_code == 404
    assert jg.get(reverse("units:detail", kwargs={"unit_id": world.organ.pk})).status_code == 404
    assert not can(bodies.office_jg, "view", world.obligation_organ)
    assert not can(bodies.office_jg, "review_affiliation", world.obligation_organ)
    # The provincial office, above every body, is no body: it reviews as the office, not their part.
    submit(client, world, bodies.organ, world.liaison_organ)
    assert not can(world.office_province, "review_affiliation", bodies.organ)
    assert not Obligation.objects.restrict(world.office_province, "affiliation").exists()


def test_each_body_reviews_its_part_audited_and_the_office_decision_is_unaffected(world, bodies, client):
    as_user = logged_in(client)
    ob = submit(client, world, bodies.organ, world.liaison_organ)
    ob2 = submit(client, world, bodies.organ2, world.liaison_organ2)

    jg = as_user(bodies.office_jg)
    assert 'id="affiliation-form"' in jg.get(url("campaign:obligation", ob)).content.decode()
    response = jg.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree", "opinion": ""})
    assert response.status_code == 302
    jy = as_user(bodies.office_jy)
    response = jy.post(url("campaign:obligation_affiliation_review", ob2),
                       {"decision": "opinion", "opinion": "整改措施与本系统要求不一致"})
    assert response.status_code == 302

    part = AffiliationReview.objects.get(obligation=ob)
    assert (part.body, part.reviewer, part.decision, part.submission.version) == (bodies.jg, bodies.office_jg, "agree", 1)
    part2 = AffiliationReview.objects.get(obligation=ob2)
    assert (part2.body, part2.decision, part2.opinion) == (bodies.jy, "opinion", "整改措施与本系统要求不一致")
    # Audited on the report's trail, with who and why.
    entry = AuditEntry.objects.filter(object_id=ob2.pk, action="affiliation_review").get()
    assert entry.actor == bodies.office_jy and entry.reason == "整改措施与本系统要求不一致"
    assert entry.changes["affiliation_review"]["after"] == "中共浙江省委教育工作委员会：提出意见"

    # The office's state machine did not move, and the bodies wrote no office review.
    for obligation in (ob, ob2):
        obligation.refresh_from_db()
        assert obligation.status == ObligationStatus.SUBMITTED and obligation.accepted_at is None
    assert not Review.objects.filter(obligation__in=[ob, ob2]).exists()
    # Everyone who sees the report reads the body's review; the office still decides.
    office = as_user(world.office_province)
    page = office.get(url("campaign:obligation", ob2)).content.decode()
    assert "整改措施与本系统要求不一致" in page and 'id="review-form"' in page and 'id="affiliation-form"' not in page
    assert "整改措施与本系统要求不一致" in as_user(world.liaison_organ2).get(url("campaign:obligation", ob2)).content.decode()
    as_user(world.office_province).post(url("campaign:obligation_review", ob), {"decision": "approve"})
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.ACCEPTED
    assert AffiliationReview.objects.filter(obligation=ob).count() == 1


def test_a_body_may_not_decide_for_the_office_nor_review_another_bodys_part(world, bodies, client):
    as_user = logged_in(client)
    ob = submit(client, world, bodies.organ, world.liaison_organ)
    jg = as_user(bodies.office_jg)
    assert 'id="review-form"' not in jg.get(url("campaign:obligation", ob)).content.decode()
    assert jg.post(url("campaign:obligation_review", ob), {"decision": "approve"}).status_code == 403
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.SUBMITTED
    before = AuditEntry.objects.count()
    jy = as_user(bodies.office_jy)
    assert jy.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree"}).status_code == 404
    office = as_user(world.office_province)
    assert office.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree"}).status_code == 403
    liaison = as_user(world.liaison_organ)
    assert liaison.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree"}).status_code == 403
    assert not AffiliationReview.objects.exists() and AuditEntry.objects.count() == before


def test_the_body_reviews_each_version_once_and_a_new_version_is_due_again(world, bodies, client):
    as_user = logged_in(client)
    ob = bodies.organ
    jg = as_user(bodies.office_jg)
    # Nothing submitted: nothing to review (and no form).
    assert 'id="affiliation-form"' not in jg.get(url("campaign:obligation", ob)).content.decode()
    assert jg.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree"}).status_code == 403
    ob = submit(client, world, ob, world.liaison_organ)
    jg = as_user(bodies.office_jg)
    # An opinion needs words: a clear message, nothing saved.
    response = jg.post(url("campaign:obligation_affiliation_review", ob), {"decision": "opinion", "opinion": "  "})
    assert response.status_code == 400 and "提出意见时必须填写意见内容" in response.content.decode()
    response = jg.post(url("campaign:obligation_affiliation_review", ob), {"decision": "nonsense"})
    assert response.status_code == 400 and not AffiliationReview.objects.exists()
    assert jg.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree"}).status_code == 302
    # The same version again: refused in words (the action itself refuses, whatever the page shows).
    with pytest.raises(workflow.TransitionRefused, match="已审阅过这一版材料"):
        review_affiliation_part(ob, actor=bodies.office_jg, decision="agree")
    response = jg.post(url("campaign:obligation_affiliation_review", ob), {"decision": "agree"})
    assert response.status_code in (400, 403) and AffiliationReview.objects.count() == 1
    assert "待审阅" not in jg.get(reverse("campaign:affiliation_queue") + "?show=all").content.decode()

    # The office returns it; the unit sends a second version: the body's part is due again.
    workflow.transition(ob, "return", world.office_province, reason="请补充整改台账")
    submit(client, world, ob, world.liaison_organ, text="第二版")
    jg = as_user(bodies.office_jg)
    page = jg.get(reverse("campaign:affiliation_queue")).content.decode()
    assert url("campaign:obligation", ob) in page
    review = review_affiliation_part(ob, actor=bodies.office_jg, decision="opinion", opinion="台账已补充，同意")
    assert review.submission.version == 2
    assert url("campaign:obligation", ob) not in jg.get(reverse("campaign:affiliation_queue")).content.decode()


def test_the_affiliation_follows_the_unit(world, bodies, client):
    """A unit moved to another body is seen by that body from then on (the rule reads the unit)."""
    ob = submit(client, world, bodies.organ, world.liaison_organ)
    world.organ.party_affiliation = bodies.jy
    world.organ.save()
    assert can(bodies.office_jy, "review_affiliation", ob) and not can(bodies.office_jg, "view", ob)


def test_a_superuser_may_act_for_the_body(world, bodies, client):
    ob = submit(client, world, bodies.organ, world.liaison_organ)
    assert can(world.superuser, "review_affiliation", ob)
    assert review_affiliation_part(ob, actor=world.superuser, decision="agree").body == bodies.jg


@pytest.mark.parametrize("size", [3, 30])
def test_the_body_list_costs_the_same_queries_at_any_size(world, bodies, client, django_assert_max_num_queries, size):
    """The body's list and the review queue page: a fixed number of queries however many units."""
    units = [make_unit(code=f"330000-{n:03d}", name=f"省直单位{n}", parent=world.province, level=Level.PROVINCE,
                       unit_type=UnitType.ORGAN) for n in range(100, 100 + size)]
    for unit in units:
        unit.party_affiliation = bodies.jg
        unit.save()
    fan_out(bodies.requirement, actor=None)
    for obligation in bodies.requirement.obligations.filter(unit__in=units):
        workflow.transition(obligation, "submit", world.superuser, text="自查报告")
    client.force_login(bodies.office_jg)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("campaign:affiliation_queue")).content.decode()
    assert page.count("省直单位1") >= min(size, 10)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("campaign:affiliation_queue") + "?show=all").content.decode()
    assert "省发展改革委" in page
    with django_assert_max_num_queries(16):
        client.get(reverse("campaign:review_queue"))


def test_the_body_list_follows_the_current_campaign(world, bodies, client):
    """Like every list, the body's part shows the current campaign only (campaign.current)."""
    from campaign import actions, blueprints

    submit(client, world, bodies.organ, world.liaison_organ)
    later = actions.create_campaign("“三严三实”专题教育", "", dt.date(2015, 4, 28), None, blueprints.THEME_EDUCATION,
                                    actor=world.office_province, office=world.province)
    actions.launch_campaign(later, actor=world.office_province)
    client.force_login(bodies.office_jg)
    assert "省发展改革委" not in client.get(reverse("campaign:affiliation_queue")).content.decode()
    client.post(reverse("campaign:campaign_switch"), {"campaign": world.campaign.pk, "next": "/"})
    assert "省发展改革委" in client.get(reverse("campaign:affiliation_queue")).content.decode()
