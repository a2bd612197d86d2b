"""催办 pages (issue 13): the late units of a requirement with days late and the liaison beside
them, chasing one or all with a note, the once-a-day confirmation, the overdue list, and refusals."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from campaign.models import Chase
from units.models import UnitMembership


@pytest.fixture
def office(world, client):
    world.liaison_organ.full_name, world.liaison_organ.mobile = "王晓明", "13800000000"
    world.liaison_organ.save()
    client.force_login(world.office_province)
    return client


def requirement_url(world, **query):
    url = reverse("campaign:requirement", args=[world.requirement.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_only_late_units_with_days_late_and_their_liaison(world, office):
    page = office.get(requirement_url(world, status="overdue")).content.decode()
    assert 'data-testid="days-late"' in page and "已逾期" in page
    assert "王晓明" in page and "tel:13800000000" in page
    assert 'data-testid="chase-all"' in page
    assert office.get(requirement_url(world, status="nonsense")).status_code == 200


def test_chase_all_late_units_with_a_note_then_confirm_a_second_chase(world, office):
    back = requirement_url(world, status="overdue")
    response = office.post(reverse("campaign:chase"), {"all_overdue": "on", "requirement": world.requirement.pk,
                                                       "note": "请今天报送", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    chased = set(Chase.objects.values_list("obligation__unit__name", flat=True))
    assert chased == {"浙江省", "省发展改革委", "省教育厅"}
    entry = AuditEntry.objects.for_object(world.obligation_organ).get(action="chase")
    assert entry.actor == world.office_province and entry.reason == "请今天报送"
    page = office.get(back).content.decode()
    assert "已催办 1 次" in page

    again = office.post(reverse("campaign:chase"), {"obligation": [world.obligation_organ.pk], "next": back})
    assert again.status_code == 200 and "今天已经催办过" in again.content.decode()
    assert Chase.objects.filter(obligation=world.obligation_organ).count() == 1
    confirmed = office.post(reverse("campaign:chase"), {"obligation": [world.obligation_organ.pk], "confirm": "on",
                                                        "next": back})
    assert confirmed.status_code == 302
    assert Chase.objects.filter(obligation=world.obligation_organ).count() == 2
    assert "已催办 2 次" in office.get(back).content.decode()


def test_the_overdue_list_and_the_dashboard_link_to_it(world, office):
    page = office.get(reverse("campaign:overdue") + f"?unit={world.province.pk}").content.decode()
    assert "省发展改革委" in page and "省教育厅" in page and "王晓明" in page
    assert office.get(reverse("campaign:overdue") + "?unit=abc&requirement=-1&page=x").status_code == 200
    dashboard = office.get(reverse("campaign:dashboard")).content.decode()
    assert reverse("campaign:overdue") in dashboard or "status=overdue" in dashboard


def test_who_may_chase(world, client):
    # A liaison cannot chase (not even its own unit); a group member chases the units of its group.
    client.force_login(world.liaison_organ)
    client.post(reverse("campaign:chase"), {"obligation": [world.obligation_organ.pk]})
    assert not Chase.objects.exists()
    client.force_login(world.group_member)
    client.post(reverse("campaign:chase"), {"obligation": [world.obligation_organ.pk, world.obligation_organ2.pk]})
    assert list(Chase.objects.values_list("obligation_id", flat=True)) == [world.obligation_organ.pk]
    # An office of another subtree cannot chase the province's organs.
    client.force_login(world.office_ningbo)
    client.post(reverse("campaign:chase"), {"obligation": [world.obligation_organ2.pk]})
    assert Chase.objects.count() == 1


@pytest.mark.parametrize("data", [
    {}, {"obligation": ["x"]}, {"obligation": ["-5"]}, {"obligation": ["99999999999999"]},
    {"all_overdue": "on", "requirement": "abc"}, {"obligation": ["1"], "note": "长" * 600},
    {"all_overdue": "on", "unit": "999999"},
])
def test_bad_input_is_refused_in_words(world, office, data):
    response = office.post(reverse("campaign:chase"), data)
    assert response.status_code in (200, 302)
    assert not Chase.objects.exists()


def test_the_requirement_page_stays_bounded(world, office, django_assert_max_num_queries):
    from tests.conftest import make_unit

    for n in range(30):
        unit = make_unit(code=f"330000-9{n:02d}", name=f"省直单位{n}", parent=world.province, level="province",
                         unit_type="organ", batch=world.batch1)
        UnitMembership.objects.create(user=world.liaison_organ2, unit=unit, role=UnitMembership.Role.LIAISON)
    from campaign.actions import fan_out

    fan_out(world.requirement, actor=None)
    with django_assert_max_num_queries(40):
        office.get(requirement_url(world, status="overdue"))
    for n in range(30, 90):
        make_unit(code=f"330000-9{n:02d}", name=f"省直单位{n}", parent=world.province, level="province",
                  unit_type="organ", batch=world.batch1)
    fan_out(world.requirement, actor=None)
    with django_assert_max_num_queries(40):
        office.get(requirement_url(world, status="overdue"))
