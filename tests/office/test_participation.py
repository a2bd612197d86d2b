"""A unit's batch belongs to its participation in a campaign (003): set by the offices over it,
for a subtree at once or unit by unit; the units then owe what that batch's requirements ask."""

from django.urls import reverse

from audit.models import AuditEntry
from campaign.actions import fan_out
from campaign.models import Participation, Requirement
from units.models import Level


def test_an_office_puts_a_subtree_into_a_batch_and_the_units_owe_its_requirements(office, world):
    requirement = Requirement(directive=world.zj_48, title="县级实施方案", scope_unit=world.province, submit_to=world.province,
                              target_batch=world.batch2, target_levels=[Level.COUNTY], deadline_text="2014年3月1日前")
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    before = set(requirement.obligations.values_list("unit__code", flat=True))
    assert before == {"330106", "330206"}  # the counties already in batch 2 (the fixture)
    Participation.objects.filter(unit=world.beilun).delete()
    response = office.post(reverse("campaign:participants"), {
        "campaign": world.campaign.pk, "batch": world.batch2.pk, "under": "330200", "levels": [Level.COUNTY],
        "joined_on": "2014-01-15",
    })
    assert response.status_code == 302
    beilun = Participation.objects.get(unit=world.beilun)
    assert (beilun.batch, str(beilun.joined_on)) == (world.batch2, "2014-01-15")
    assert requirement.obligations.filter(unit=world.beilun).count() == 1
    entry = AuditEntry.objects.for_object(beilun).get(action="enrol")
    assert entry.actor == world.office_province and entry.changes["batch"]["after"]["label"] == "第二批"


def test_an_office_reaches_only_its_own_units(client, world):
    client.force_login(world.office_ningbo)
    response = client.post(reverse("campaign:participants"), {
        "campaign": world.campaign.pk, "batch": world.batch1.pk, "codes": "330106",
    })
    assert response.status_code == 400
    assert "不在管辖范围内" in response.content.decode()
    assert Participation.objects.get(unit=world.xihu).batch == world.batch2
    page = client.get(reverse("campaign:participants")).content.decode()
    assert "北仑区" in page and "西湖区" not in page


def test_only_offices_open_the_page(client, world):
    client.force_login(world.liaison_organ)
    assert client.get(reverse("campaign:participants")).status_code == 403


def test_the_page_costs_the_same_queries_for_few_and_many_units(office, world, django_assert_max_num_queries):
    from tests.conftest import make_unit

    with django_assert_max_num_queries(14):
        office.get(reverse("campaign:participants"))
    for i in range(60):
        make_unit(code=f"3301069{i:02d}", name=f"村{i}", parent=world.street, level=Level.VILLAGE, unit_type="village",
                  batch=world.batch2)
    with django_assert_max_num_queries(14):
        office.get(reverse("campaign:participants"))
