"""Setting up a campaign in the browser's pages: from a template (an earlier campaign, the two
shipped shapes, blank), its batches and phases, launching it; who may; clear messages."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from campaign import actions, blueprints
from campaign.forms_setup import CampaignCreateForm
from campaign.models import Batch, Campaign, Phase, Requirement
from core import clock
from tests.conftest import make_user
from units.models import UnitMembership


def create(world, template, name="“不忘初心、牢记使命”主题教育", starts_on=dt.date(2019, 6, 1), ends_on=None, office=None):
    return actions.create_campaign(name, "主题教育", starts_on, ends_on, template, actor=world.office_province,
                                   office=office or world.province)


def test_copy_of_an_earlier_campaign_shifts_the_batch_dates(world):
    Batch.objects.filter(pk=world.batch1.pk).update(starts_on=dt.date(2013, 6, 18), ends_on=dt.date(2014, 1, 31), min_months=4)
    Batch.objects.filter(pk=world.batch2.pk).update(starts_on=dt.date(2014, 1, 1), ends_on=dt.date(2014, 9, 30))
    new = create(world, blueprints.from_campaign(world.campaign), starts_on=dt.date(2015, 6, 18))
    batches = list(new.batches.order_by("ordinal").values_list("ordinal", "name", "starts_on", "ends_on", "min_months"))
    assert batches == [(1, "第一批", dt.date(2015, 6, 18), dt.date(2016, 1, 31), 4),
                       (2, "第二批", dt.date(2016, 1, 1), dt.date(2016, 9, 30), 3)]
    assert list(new.phases.values_list("ordinal", "code", "name")) == list(
        world.campaign.phases.values_list("ordinal", "code", "name"))
    assert new.status == Campaign.Status.DRAFT and new.office == world.province
    # the earlier campaign is untouched
    assert world.campaign.batches.count() == 2 and world.campaign.phases.count() == 5
    entry = AuditEntry.objects.get(object_id=new.pk, content_type__model="campaign", action="create")
    assert entry.actor == world.office_province
    assert entry.changes["phases"]["after"] == ["学习教育、听取意见", "查摆问题、开展批评", "整改落实、建章立制", "总结", "回头看"]


def test_mass_line_template(world):
    new = create(world, blueprints.MASS_LINE)
    assert list(new.batches.values_list("name", "min_months", "starts_on")) == [("第一批", 3, None), ("第二批", 3, None)]
    assert list(new.phases.values_list("name", flat=True)) == [
        "学习教育、听取意见", "查摆问题、开展批评", "整改落实、建章立制", "总结", "回头看"]


def test_theme_education_template(world):
    new = create(world, blueprints.THEME_EDUCATION)
    assert not new.batches.exists()
    assert list(new.phases.values_list("name", flat=True)) == ["学习教育", "调查研究", "检视整改", "总结"]


def test_blank_template(world):
    new = create(world, blueprints.BLANK)
    assert not new.batches.exists() and not new.phases.exists()


def test_demo_builds_on_the_shipped_template():
    from demo import campaign_data

    assert campaign_data.PHASES == [(p.code, p.name) for p in blueprints.MASS_LINE.phases]


# --- the pages ----------------------------------------------------------------------------------


def create_post(**overrides):
    data = {"template": "theme_education", "name": "学习贯彻习近平新时代中国特色社会主义思想主题教育", "short_name": "主题教育",
            "starts_on": "2023-04-01", "ends_on": "2023-12-31", "description": ""}
    data.update(overrides)
    return data


def test_office_creates_edits_and_launches(office, world):
    response = office.post(reverse("campaign:campaign_create"), create_post(office=world.province.pk))
    new = Campaign.objects.get(short_name="主题教育")
    assert response.status_code == 302 and response.url == reverse("campaign:campaign", args=[new.pk])
    assert new.is_draft and new.phases.count() == 4
    # the new campaign is the current one at once
    page = office.get(reverse("campaign:directives"))
    assert page.context["campaign"] == new
    response = office.post(reverse("campaign:campaign_edit", args=[new.pk]), create_post(description="2023年4月起开展"))
    assert response.status_code == 302
    assert Campaign.objects.get(pk=new.pk).description == "2023年4月起开展"
    assert office.post(reverse("campaign:campaign_launch", args=[new.pk])).status_code == 302
    assert Campaign.objects.get(pk=new.pk).status == Campaign.Status.LAUNCHED
    assert AuditEntry.objects.filter(object_id=new.pk, content_type__model="campaign", action="launch",
                                     from_state="draft", to_state="launched").exists()
    assert AuditEntry.objects.filter(object_id=new.pk, content_type__model="campaign", action="edit").exists()


def test_copy_choice_lists_earlier_campaigns(office, world):
    page = office.get(reverse("campaign:campaign_create")).content.decode()
    assert f'value="campaign:{world.campaign.pk}"' in page
    office.post(reverse("campaign:campaign_create"), create_post(template=f"campaign:{world.campaign.pk}", office=world.province.pk))
    assert Campaign.objects.get(short_name="主题教育").batches.count() == 2


@pytest.mark.parametrize("overrides, field, message", [
    ({"ends_on": "2023-03-01"}, "ends_on", "结束日期不能早于开始日期"),
    ({"name": "党的群众路线教育实践活动"}, "name", "已有同名"),
    ({"template": "nonsense"}, "template", "选择"),
    ({"starts_on": "2013-99-01"}, "starts_on", ""),
])
def test_create_form_says_what_is_wrong(office, world, overrides, field, message):
    response = office.post(reverse("campaign:campaign_create"), create_post(office=world.province.pk, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Campaign.objects.filter(short_name="主题教育").exists()


def test_template_batches_must_fit_the_end_date(office, world):
    Batch.objects.filter(pk=world.batch2.pk).update(starts_on=dt.date(2014, 1, 1), ends_on=dt.date(2014, 9, 30))
    response = office.post(reverse("campaign:campaign_create"), create_post(
        template=f"campaign:{world.campaign.pk}", office=world.province.pk, starts_on="2023-01-01", ends_on="2023-03-31"))
    assert response.status_code == 400
    assert "第二批" in response.context["form"].errors["ends_on"][0]


@pytest.fixture
def draft(world):
    return create(world, blueprints.MASS_LINE, starts_on=dt.date(2019, 6, 1), ends_on=dt.date(2020, 1, 31))


def test_batches_inside_the_campaign_and_unique(office, world, draft):
    url = reverse("campaign:batch_create", args=[draft.pk])
    batch = {"ordinal": 3, "name": "第三批", "starts_on": "2019-05-01", "ends_on": "2019-09-30", "min_months": 3}
    response = office.post(url, batch)
    assert response.status_code == 400 and "须在活动的起止日期" in response.content.decode()
    response = office.post(url, {**batch, "starts_on": "2019-09-30", "ends_on": "2019-07-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()
    response = office.post(url, {**batch, "ordinal": 1, "starts_on": "2019-07-01"})
    assert response.status_code == 400 and "该活动已有此序号的批次" in response.content.decode()
    assert office.post(url, {**batch, "starts_on": "2019-07-01"}).status_code == 302
    made = draft.batches.get(ordinal=3)
    assert AuditEntry.objects.filter(object_id=made.pk, content_type__model="batch", action="create").exists()
    # the campaign's dates cannot then leave the batch out
    response = office.post(reverse("campaign:campaign_edit", args=[draft.pk]),
                           create_post(name=draft.name, starts_on="2019-06-01", ends_on="2019-08-31"))
    assert response.status_code == 400 and "第三批" in response.content.decode()


def test_phases_unique_reordered_and_removed_while_unused(office, world, draft):
    url = reverse("campaign:phase_create", args=[draft.pk])
    response = office.post(url, {"ordinal": 6, "code": "study", "name": "再学习"})
    assert response.status_code == 400 and "该活动已有此代码的环节" in response.content.decode()
    response = office.post(url, {"ordinal": 1, "code": "again", "name": "再学习"})
    assert response.status_code == 400 and "该活动已有此顺序的环节" in response.content.decode()
    response = office.post(url, {"ordinal": 6, "code": "学习", "name": "再学习"})
    assert response.status_code == 400
    assert office.post(url, {"ordinal": 6, "code": "again", "name": "再学习"}).status_code == 302
    study, examination = draft.phases.get(code="study"), draft.phases.get(code="examination")
    office.post(reverse("campaign:phase_move", args=[study.pk]), {"direction": "down"})
    assert list(draft.phases.order_by("ordinal").values_list("code", flat=True))[:2] == ["examination", "study"]
    office.post(reverse("campaign:phase_move", args=[examination.pk]), {"direction": "up"})  # already first
    assert draft.phases.order_by("ordinal").first().code == "examination"
    again = draft.phases.get(code="again")
    assert office.post(reverse("campaign:phase_delete", args=[again.pk])).status_code == 302
    assert not Phase.objects.filter(pk=again.pk).exists()
    assert AuditEntry.objects.filter(object_id=again.pk, content_type__model="phase", action="delete").exists()


def test_used_batches_and_phases_stay(office, world):
    world.campaign.office = world.province
    world.campaign.save()
    office.post(reverse("campaign:batch_delete", args=[world.batch1.pk]))
    office.post(reverse("campaign:phase_delete", args=[world.phase_summary.pk]))
    assert Batch.objects.filter(pk=world.batch1.pk).exists() and Phase.objects.filter(pk=world.phase_summary.pk).exists()
    # the code of a used phase cannot change (campaign.gates finds phases by code)
    office.post(reverse("campaign:phase_edit", args=[world.phase_summary.pk]),
                {"ordinal": 4, "code": "renamed", "name": "总结提高"})
    phase = Phase.objects.get(pk=world.phase_summary.pk)
    assert (phase.code, phase.name) == ("summary", "总结提高")
    unused = Phase.objects.get(campaign=world.campaign, code="lookback")
    office.post(reverse("campaign:phase_delete", args=[unused.pk]))
    assert not Phase.objects.filter(pk=unused.pk).exists()


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["liaison_organ", "group_member", "group_leader"])
def test_liaisons_and_supervisors_cannot_create_or_edit(client, world, draft, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("campaign:campaign_create")).status_code == 403
    assert client.post(reverse("campaign:campaign_create"), create_post()).status_code == 403
    assert client.get(reverse("campaign:campaigns")).status_code == 403
    # a draft is not visible to them; a launched campaign is, but not editable
    assert client.get(reverse("campaign:campaign", args=[draft.pk])).status_code == 404
    actions.launch_campaign(draft, actor=world.office_province)
    assert client.get(reverse("campaign:campaign", args=[draft.pk])).status_code == 200
    assert client.post(reverse("campaign:campaign_edit", args=[draft.pk]), create_post()).status_code == 403
    assert client.post(reverse("campaign:batch_create", args=[draft.pk]), {}).status_code == 403
    assert client.post(reverse("campaign:campaign_launch", args=[draft.pk])).status_code == 403


def test_an_office_edits_only_its_own_campaigns_and_those_below(client, world):
    ningbo = create(world, blueprints.BLANK, name="宁波市的活动", office=world.ningbo)
    client.force_login(world.office_hangzhou)
    assert client.get(reverse("campaign:campaign", args=[ningbo.pk])).status_code == 404  # a draft of another office
    actions.launch_campaign(ningbo, actor=world.office_ningbo)
    assert client.get(reverse("campaign:campaign", args=[ningbo.pk])).status_code == 200
    assert client.post(reverse("campaign:campaign_edit", args=[ningbo.pk]), create_post()).status_code == 403
    assert client.post(reverse("campaign:phase_create", args=[ningbo.pk]), {}).status_code == 403
    # the province's office is over Ningbo's
    client.force_login(world.office_province)
    assert client.get(reverse("campaign:campaign_edit", args=[ningbo.pk])).status_code == 200
    # campaigns made before (no office) are the superusers'
    assert client.get(reverse("campaign:campaign_edit", args=[world.campaign.pk])).status_code == 403


def test_an_office_at_a_department_cannot_create(client, world):
    user = make_user("office_fgw")
    UnitMembership.objects.create(user=user, unit=world.organ, role=UnitMembership.Role.OFFICE)
    client.force_login(user)
    assert client.get(reverse("campaign:campaign_create")).status_code == 403


def test_the_office_choice_is_the_users_own(office, world):
    response = office.post(reverse("campaign:campaign_create"), create_post(office=world.ningbo.pk))
    assert response.status_code == 400 and "office" in response.context["form"].errors


# --- Hypothesis on the create form ----------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(max_size=220), starts=st.one_of(st.dates().map(str), st.text(max_size=12)),
    ends=st.one_of(st.just(""), st.dates().map(str), st.text(max_size=12)),
    template=st.sampled_from(["mass_line", "theme_education", "blank", "campaign:1", "campaign:x", ""]),
)
def test_create_form_validates_anything(world, name, starts, ends, template):
    form = CampaignCreateForm(
        {"template": template, "name": name, "short_name": "", "starts_on": starts, "ends_on": ends, "description": "",
         "office": world.province.pk},
        user=world.office_province, earlier=list(Campaign.objects.all()),
    )
    if form.is_valid():
        data = form.cleaned_data
        assert data["name"].strip() and len(data["name"]) <= 200
        assert data["ends_on"] is None or data["ends_on"] >= data["starts_on"]
        assert dt.date(1949, 1, 1) <= data["starts_on"] <= dt.date(clock.today().year + 5, 12, 31)
        new = actions.create_campaign(data["name"], "", data["starts_on"], data["ends_on"], data["template"],
                                      actor=world.office_province, office=data["office"])
        assert new.phases.count() == len(data["template"].phases)
        new.phases.all().delete()
        new.batches.all().delete()
        new.delete()
    else:
        assert form.errors
        for messages in form.errors.values():
            assert all(message.strip() for message in messages)


def test_requirement_counts_follow_campaigns(world):
    """The queryset methods are the one way to scope rows to a campaign."""
    other = create(world, blueprints.BLANK)
    assert set(Requirement.objects.in_campaign(world.campaign)) == {world.requirement}
    assert not Requirement.objects.in_campaign(other).exists()
    assert not Requirement.objects.in_campaign(None).exists()
