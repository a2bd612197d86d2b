"""The forwarding notice (转发通知) an office drafts for a directive it received: issuer, title, body.

Real forwards (seeds 000, 001; DESIGN): "现将《……》（浙委办发〔2014〕2号）转发给你们，请结合实际认真贯彻落实。"
issued by the committee's leading group, 中共浙江省委党的群众路线教育实践活动领导小组.
"""

import datetime as dt

import pytest
from django.urls import reverse

from campaign.forms import forward_initial
from campaign.models import Campaign, Directive
from tests.conftest import make_user
from units.models import UnitMembership

MASS_LINE = "党的群众路线教育实践活动"


def directive(world, unit, title, number="", campaign=None, issuer="", **fields):
    made = Directive(
        campaign=campaign or world.campaign, doc_type="通知", issuing_unit=unit, issuer_name=issuer or unit.name,
        title=title, signed_on=fields.pop("signed_on", dt.date(2015, 1, 15)), **fields,
    )
    made.set_number(number)
    made.save()
    return made


def office_at(unit, username):
    user = make_user(username)
    UnitMembership.objects.create(user=user, unit=unit, role=UnitMembership.Role.OFFICE)
    return user


def forward(world, source, user, number):
    """Register the drafted forward as the office would, linked to its source."""
    draft = forward_initial(source, user)
    made = directive(world, world.province, draft["title"], number, issuer=draft["issuer_name"])
    made.issuing_unit_id = draft["issuing_unit"]
    made.body = draft["body"]
    made.save()
    made.forwards.add(source)
    return made, draft


def test_forward_of_a_forward_alternates_book_title_marks(world):
    """Province → city → county: each level's title holds the one below in 《》, and marks inside
    marks alternate 《〈《… (GB/T 15834 4.15), never 《《. The source's own title contains 《》."""
    source = directive(world, world.province, "关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知",
                       "浙整改办发〔2015〕2号")
    city, city_draft = forward(world, source, world.office_hangzhou, "杭群组发〔2015〕3号")
    assert city_draft["title"] == "关于转发《关于印发〈开展教育实践活动整改落实情况“回头看”的实施方案〉的通知》的通知"
    assert city_draft["body"] == (
        "现将《关于印发〈开展教育实践活动整改落实情况“回头看”的实施方案〉的通知》（浙整改办发〔2015〕2号）"
        "转发给你们，请结合实际认真贯彻落实。"
    )

    county_draft = forward_initial(city, office_at(world.xihu, "office_xh"))
    assert county_draft["title"] == (
        "关于转发《关于转发〈关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知〉的通知》的通知"
    )
    assert county_draft["body"] == (
        "现将《关于转发〈关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知〉的通知》"
        "（杭群组发〔2015〕3号）转发给你们，请结合实际认真贯彻落实。"
    )
    assert "《《" not in county_draft["title"] and "〈〈" not in county_draft["title"]
    assert city.forwarding_chain_up() == [source]


def test_nested_marks_are_rewritten_by_depth_even_when_stored_wrong(world):
    """A title saved earlier with 《》 inside 《》 (as the old template wrote it) is set right by depth."""
    source = directive(world, world.province, "关于转发《关于印发《实施方案》的通知》的通知", "浙群组发〔2015〕9号")
    draft = forward_initial(source, world.office_hangzhou)
    assert draft["title"] == "关于转发《关于转发〈关于印发《实施方案》的通知〉的通知》的通知"


def test_unnumbered_source_has_no_empty_parentheses(world):
    source = directive(world, world.province, "关于做好教育实践活动总结工作的通知")
    assert source.number == ""
    draft = forward_initial(source, world.office_hangzhou)
    assert draft["body"] == "现将《关于做好教育实践活动总结工作的通知》转发给你们，请结合实际认真贯彻落实。"
    assert "（）" not in draft["body"] and "()" not in draft["body"]


@pytest.mark.parametrize("office, issuer", [
    ("office_province", "中共浙江省委党的群众路线教育实践活动领导小组"),
    ("office_hangzhou", "中共杭州市委党的群众路线教育实践活动领导小组"),
    ("office_xihu", "中共杭州市西湖区委党的群众路线教育实践活动领导小组"),
])
def test_issuer_is_the_committees_leading_group(world, office, issuer):
    """The masthead names the Party committee (中共浙江省委, 中共杭州市委, and a city's district with
    its city, 中共杭州市西湖区委), never the campaign's name glued onto a region (中共浙江省党的…)."""
    user = office_at(world.xihu, "office_xh") if office == "office_xihu" else getattr(world, office)
    draft = forward_initial(world.central_29, user)
    assert draft["issuer_name"] == issuer
    assert not draft["issuer_name"].startswith(("中共浙江省党", "中共杭州市党", "中共西湖区党"))


def test_issuer_the_tree_cannot_name_is_a_placeholder_the_form_refuses(world, client):
    """An office held at a unit that is not a Party committee (a department: 党组 or 党委? the tree
    does not say) gets a marked placeholder to fill in, and the form does not save it as it is."""
    user = office_at(world.organ, "office_fgw")
    draft = forward_initial(world.central_29, user)
    assert draft["issuing_unit"] == world.organ.pk
    assert "请填写" in draft["issuer_name"] and "省发展改革委" not in draft["issuer_name"]
    assert MASS_LINE not in draft["issuer_name"]

    client.force_login(user)
    url = reverse("campaign:directive_forward", args=[world.central_29.pk])
    page = client.get(url).content.decode()
    assert "请填写" in page
    data = {"number_text": "", "campaign": world.campaign.pk, "doc_type": "通知", "issuing_unit": world.organ.pk,
            "issuer_name": draft["issuer_name"], "title": draft["title"], "signed_on": "2013-12-24",
            "printed_on": "", "urgency": "", "secrecy": "", "body": draft["body"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "issuer_name" in response.context["form"].errors
    data["issuer_name"] = "中共浙江省发展和改革委员会党组党的群众路线教育实践活动领导小组"
    assert client.post(url, data).status_code == 302


def test_campaign_name_comes_from_the_directives_campaign(world):
    three = Campaign.objects.create(name="“三严三实”专题教育", short_name="三严三实", starts_on=dt.date(2015, 4, 28))
    source = directive(world, world.central, "关于在县处级以上领导干部中开展“三严三实”专题教育的方案",
                       "群组发〔2015〕1号", campaign=three)
    draft = forward_initial(source, world.office_hangzhou)
    assert draft["issuer_name"] == "中共杭州市委“三严三实”专题教育领导小组"
    assert MASS_LINE not in draft["issuer_name"]
    # and the first campaign's forwards keep its own name
    assert forward_initial(world.central_29, world.office_hangzhou)["issuer_name"] == f"中共杭州市委{MASS_LINE}领导小组"


def test_forward_page_shows_the_draft(office, world):
    page = office.get(reverse("campaign:directive_forward", args=[world.central_29.pk])).content.decode()
    assert "中共浙江省委党的群众路线教育实践活动领导小组" in page
    assert "（群组发〔2013〕29号）转发给你们" in page


@pytest.mark.parametrize("name, level, unit_type, parent, organ", [
    ("中央", "central", "committee", None, "中共中央"),
    ("淳安县", "county", "committee", ("杭州市", "city"), "中共淳安县委"),
    ("建德市", "county", "committee", ("杭州市", "city"), "中共建德市委"),
    ("杭州市西湖区", "county", "committee", ("杭州市", "city"), "中共杭州市西湖区委"),
    ("广西壮族自治区", "province", "committee", ("中央", "central"), "中共广西壮族自治区委员会"),
    ("中共浙江省委", "province", "committee", ("中央", "central"), "中共浙江省委"),
    ("新疆生产建设兵团", "province", "committee", ("中央", "central"), None),
    ("省委办公厅", "province", "organ", ("浙江省", "province"), "中共浙江省委办公厅"),
    ("浙江省委办公厅", "province", "organ", ("浙江省", "province"), "中共浙江省委办公厅"),
    ("中央办公厅", "central", "organ", ("中央", "central"), "中共中央办公厅"),
    ("省发展改革委", "province", "organ", ("浙江省", "province"), None),
    ("北山街道", "township", "street", ("西湖区", "county"), None),
])
def test_issuing_organ_from_the_unit_tree(name, level, unit_type, parent, organ):
    """The organ's name as the tree gives it; None (a blank for the clerk) where it cannot say."""
    from campaign.forwarding import issuing_organ
    from units.models import Unit

    upper = Unit(pk=1, name=parent[0], level=parent[1], unit_type="committee") if parent else None
    unit = Unit(name=name, level=level, unit_type=unit_type, parent=upper)
    assert issuing_organ(unit) == organ


def test_book_title_marks_alternate_at_every_depth():
    from campaign.forwarding import book_title, mark_book_titles

    assert book_title("甲") == "《甲》"
    assert book_title("关于《乙》") == "《关于〈乙〉》"
    assert book_title("一《二〈三《四》〉》") == "《一〈二《三〈四〉》〉》"
    assert book_title("一《二《三《四》》》") == "《一〈二《三〈四〉》〉》"
    assert mark_book_titles("关于转发〈方案〉的通知", depth=0) == "关于转发《方案》的通知"
    assert mark_book_titles("》多余") == "》多余"
