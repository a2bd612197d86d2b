"""Mass opinions (002: “下去一把抓、回来再分家，涉及哪个单位的意见，哪个单位要主动认领”): recorded by an
office or a supervision group member, claimed by the unit concerned, answered by the claiming unit."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from units.models import Opinion

pytestmark = pytest.mark.django_db

OPINION = {"text": "窗口办事要跑好几趟", "source": "办事群众座谈会", "channel": "face", "four_winds": "bureaucratism",
           "collected_on": "2014-03-05"}


def opinion_about(world, unit, **extra):
    return Opinion.objects.create(collected_by=world.province, recorded_by=world.office_province, concerned_unit=unit,
                                  text="会议太多", channel="back", collected_on=dt.date(2014, 3, 1), **extra)


def test_group_member_records_for_a_supervised_unit_only(client, world):
    client.force_login(world.group_member)
    response = client.post(reverse("units:opinion_new", kwargs={"unit_id": world.organ.pk}), OPINION)
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.concerned_unit, opinion.recorded_by, opinion.collected_by) == (world.organ, world.group_member, None)
    assert AuditEntry.objects.filter(object_id=opinion.pk, action="create").exists()
    assert "办事群众座谈会" in client.get(response.url).content.decode()
    # The group's dossier of the unit lists it, and links to the form.
    dossier = client.get(reverse("supervision:unit", kwargs={"unit_id": world.organ.pk})).content.decode()
    assert f'data-opinion="{opinion.pk}"' in dossier
    assert reverse("units:opinion_new", kwargs={"unit_id": world.organ.pk}) in dossier

    # Another group's unit: not reachable, nothing recorded.
    other = client.post(reverse("units:opinion_new", kwargs={"unit_id": world.organ2.pk}), OPINION)
    assert other.status_code in (403, 404)
    # A liaison does not record opinions about its own unit here.
    client.force_login(world.liaison_organ)
    assert client.get(reverse("units:opinion_new", kwargs={"unit_id": world.organ.pk})).status_code == 403
    assert Opinion.objects.count() == 1


def test_office_records_as_its_office_and_the_form_refuses_bad_input(client, world):
    client.force_login(world.office_province)
    url = reverse("units:opinion_new", kwargs={"unit_id": world.xihu.pk})
    bad = client.post(url, {**OPINION, "text": "  ", "collected_on": "2999-01-01", "channel": "carrier-pigeon"})
    assert bad.status_code == 400 and not Opinion.objects.exists()
    assert client.post(url, OPINION).status_code == 302
    assert Opinion.objects.get().collected_by == world.province


def test_unit_concerned_claims_and_answers(client, world):
    opinion = opinion_about(world, world.organ)
    detail = reverse("units:opinion", kwargs={"opinion_id": opinion.pk})
    claim = reverse("units:opinion_claim", kwargs={"opinion_id": opinion.pk})
    answer = reverse("units:opinion_answer", kwargs={"opinion_id": opinion.pk})
    client.force_login(world.liaison_organ)
    assert f'data-opinion="{opinion.pk}"' in client.get(reverse("units:opinion_queue")).content.decode()
    # Answering comes after claiming.
    assert client.post(answer, {"answer": "已精简会议"}).status_code == 403
    assert client.post(claim).status_code == 302
    opinion.refresh_from_db()
    assert opinion.claimed_by == world.organ and opinion.claimed_at is not None
    assert f'data-opinion="{opinion.pk}"' not in client.get(reverse("units:opinion_queue")).content.decode()
    assert f'data-opinion="{opinion.pk}"' in client.get(reverse("units:opinion_queue") + "?tab=answer").content.decode()
    assert client.post(answer, {"answer": " "}).status_code == 400
    assert client.post(answer, {"answer": "已精简会议，每周例会改为两周一次"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.answered_by == world.liaison_organ and "两周一次" in client.get(detail).content.decode()
    assert set(AuditEntry.objects.filter(object_id=opinion.pk).values_list("action", flat=True)) >= {"claim", "answer"}


def test_no_other_unit_claims_and_a_claim_is_final(client, world):
    opinion = opinion_about(world, world.organ)
    claim = reverse("units:opinion_claim", kwargs={"opinion_id": opinion.pk})
    client.force_login(world.liaison_organ2)
    assert client.post(claim).status_code in (403, 404)
    client.force_login(world.group_member)  # sees it (supervises the unit) but is not the unit
    assert client.post(claim).status_code == 403
    client.force_login(world.liaison_organ)
    client.post(claim)
    # Once claimed, nobody claims it again, not even the office over the unit.
    client.force_login(world.office_province)
    client.post(claim)
    opinion.refresh_from_db()
    assert opinion.claimed_by == world.organ
    assert AuditEntry.objects.filter(object_id=opinion.pk, action="claim").count() == 1
    client.force_login(world.liaison_organ2)
    assert client.post(reverse("units:opinion_answer", kwargs={"opinion_id": opinion.pk}),
                       {"answer": "x"}).status_code in (403, 404)


def test_unit_list_filters(client, world):
    face = opinion_about(world, world.organ, four_winds="formalism")
    answered = opinion_about(world, world.organ, claimed_by=world.organ, answered_at=dt.datetime(2014, 3, 3, tzinfo=dt.UTC),
                             answer="已改")
    client.force_login(world.liaison_organ)
    url = reverse("units:opinions", kwargs={"unit_id": world.organ.pk})
    page = client.get(url + "?four_winds=formalism").content.decode()
    assert f'data-opinion="{face.pk}"' in page and f'data-opinion="{answered.pk}"' not in page
    page = client.get(url + "?answered=yes").content.decode()
    assert f'data-opinion="{face.pk}"' not in page and f'data-opinion="{answered.pk}"' in page
    refused = client.get(url + "?claimed=maybe")
    assert refused.status_code == 200 and "invalid-feedback" in refused.content.decode()


def test_office_counts_by_four_winds_and_unit_and_exports(client, world):
    opinion_about(world, world.organ, four_winds="formalism")
    opinion_about(world, world.organ, four_winds="formalism")
    opinion_about(world, world.xihu, four_winds="hedonism")
    client.force_login(world.office_province)
    page = client.get(reverse("units:opinion_counts")).content.decode()
    assert f'data-unit="{world.organ.pk}"' in page and f'data-unit="{world.xihu.pk}"' in page
    row = page.split(f'data-unit="{world.organ.pk}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="text-end">2</td>' in row
    content = client.get(reverse("units:opinion_counts_export") + "?format=csv").content.decode("utf-8-sig")
    assert "省发展改革委" in content and "形式主义" in content
    client.force_login(world.office_hangzhou)
    page = client.get(reverse("units:opinion_counts")).content.decode()
    assert f'data-unit="{world.organ.pk}"' not in page and f'data-unit="{world.xihu.pk}"' in page
    client.force_login(world.liaison_organ)
    assert client.get(reverse("units:opinion_counts")).status_code == 403


@pytest.mark.parametrize("size", [2, 15])
def test_opinion_lists_query_counts_do_not_grow(client, world, size, django_assert_max_num_queries):
    for i in range(size):
        opinion_about(world, world.organ if i % 2 else world.xihu, four_winds="formalism")
    client.force_login(world.office_province)
    for url in (reverse("units:opinions", kwargs={"unit_id": world.organ.pk}), reverse("units:opinion_counts"),
                reverse("units:opinion_queue")):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
