"""Directive registry: search and filters, number errors on the field, forwarding both ways, scoping."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from campaign.models import Directive


def directive_post(world, number, **overrides):
    data = {"number_text": number, "campaign": world.campaign.pk, "doc_type": "通知", "issuing_unit": world.province.pk,
            "issuer_name": "中共浙江省委党的群众路线教育实践活动领导小组", "title": "关于转发总结工作通知的通知",
            "signed_on": "2013-12-24", "printed_on": "2013-12-25", "urgency": "", "secrecy": "",
            "body": "初步的书面总结在2014年1月10日前报送。"}
    data.update(overrides)
    return data


def test_search_and_filters(office, world):
    url = reverse("campaign:directives")
    listed = lambda **q: {d.pk for d in office.get(url, q).context["page"]}  # noqa: E731
    assert listed() == {world.zj_48.pk, world.central_29.pk}
    assert listed(q="群组发〔2013〕29") == {world.central_29.pk}
    assert listed(q="浙江省委") == {world.zj_48.pk}
    assert listed(year=2013) == {world.zj_48.pk, world.central_29.pk}
    assert listed(year=2014) == set()
    assert listed(doc_type="意见") == set()
    assert listed(issuer="中央") == {world.central_29.pk}
    assert listed(campaign=world.campaign.pk) == {world.zj_48.pk, world.central_29.pk}
    assert office.get(url, {"year": "abc"}).status_code == 200


@pytest.mark.parametrize("number, message", [("浙群组发2013第48号", "六角括号"), ("浙群组发〔2013〕048号", "不编虚位"),
                                             ("群组发〔2013〕29号", "已被登记")])
def test_number_errors_show_on_the_field(office, world, number, message):
    response = office.post(reverse("campaign:directive_create"), directive_post(world, number))
    assert response.status_code == 200
    errors = re.findall(r'data-field-error="number_text">([^<]+)<', response.content.decode())
    assert errors and message in errors[0]


def test_forward_prefills_and_links_both_ways(office, world):
    page = office.get(reverse("campaign:directive_forward", args=[world.central_29.pk]))
    assert "关于转发《关于认真做好第一批" in page.content.decode()
    response = office.post(reverse("campaign:directive_forward", args=[world.central_29.pk]),
                           directive_post(world, "浙群组发[2013]49号"))
    assert response.status_code == 302
    created = Directive.objects.get(number="浙群组发〔2013〕49号")
    assert list(created.forwards.all()) == [world.central_29]
    assert AuditEntry.objects.filter(action="create", object_id=created.pk).exists()
    upper = office.get(reverse("campaign:directive", args=[world.central_29.pk])).context
    assert {d.pk for d in upper["forwarded_by"]} == {world.zj_48.pk, created.pk}
    assert office.get(reverse("campaign:directive", args=[created.pk])).context["forwards"] == [world.central_29]


def test_edit_records_changes(office, world):
    response = office.post(reverse("campaign:directive_edit", args=[world.zj_48.pk]),
                           directive_post(world, "浙群组发〔2013〕48号", title="新标题"))
    assert response.status_code == 302
    world.zj_48.refresh_from_db()
    assert world.zj_48.title == "新标题"
    assert AuditEntry.objects.filter(action="edit", object_id=world.zj_48.pk).exists()


def test_scoping(client, world):
    client.force_login(world.office_ningbo)
    assert client.get(reverse("campaign:directive_edit", args=[world.zj_48.pk])).status_code == 403
    client.force_login(world.liaison_organ)
    assert client.get(reverse("campaign:directive_create")).status_code == 403
    client.logout()
    assert client.get(reverse("campaign:directives")).status_code == 302
