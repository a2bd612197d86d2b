"""Study records against 002's thresholds (群组发〔2014〕7号: 市、县领导班子集中学习时间一般5天左右;
每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from units.models import StudyRecord

pytestmark = pytest.mark.django_db


def bar(html, threshold):
    """The aria-valuenow of a threshold's progress bar on a page."""
    block = html.split(f'data-threshold="{threshold.pk}"', 1)[1]
    return int(re.search(r'aria-valuenow="(\d+)"', block).group(1))


def concentrated_of_county(thresholds):
    return next(t for t in thresholds if t.kind == "concentrated" and t.level == "county")


def test_liaison_records_study_and_sees_the_bar_move(client, world, thresholds):
    client.force_login(world.liaison_xihu)
    url = reverse("units:study", kwargs={"unit_id": world.xihu.pk})
    threshold = concentrated_of_county(thresholds)
    assert bar(client.get(url).content.decode(), threshold) == 0

    response = client.post(url, {"kind": "concentrated", "held_on": "2014-03-03", "days": "2",
                                 "topic": "学习习近平总书记兰考重要讲话", "participants": "12"})
    assert response.status_code == 302
    record = StudyRecord.objects.get(unit=world.xihu)
    assert AuditEntry.objects.filter(object_id=record.pk, action="create").exists()
    page = client.get(url).content.decode()
    assert bar(page, threshold) == 40
    assert "2 / 5" in page and "2014年3月3日" in page

    # Corrected by the liaison, then removed: the bar follows.
    edit = reverse("units:study_record_edit", kwargs={"record_id": record.pk})
    client.post(edit, {"kind": "concentrated", "held_on": "2014-03-03", "days": "5.5", "topic": "集中学习",
                       "participants": "12"})
    assert bar(client.get(url).content.decode(), threshold) == 100
    client.post(reverse("units:study_record_delete", kwargs={"record_id": record.pk}))
    assert not StudyRecord.objects.filter(pk=record.pk).exists()
    assert AuditEntry.objects.filter(object_id=record.pk, action="delete").exists()


def test_study_form_refuses_the_future_and_others_cannot_record(client, world, thresholds):
    client.force_login(world.liaison_xihu)
    url = reverse("units:study", kwargs={"unit_id": world.xihu.pk})
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    response = client.post(url, {"kind": "lecture", "held_on": future, "days": "1", "topic": "党课", "participants": "1"})
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode() and "党课请填写主讲人" in response.content.decode()
    client.force_login(world.liaison_organ)
    assert client.post(url, {"kind": "film", "held_on": "2014-03-03", "days": "1", "topic": "焦裕禄",
                             "participants": "3"}).status_code in (403, 404)
    assert not StudyRecord.objects.exists()


def test_village_is_held_to_one_of_each(client, world, thresholds, village):
    client.force_login(world.liaison_village)
    url = reverse("units:study", kwargs={"unit_id": village.pk})
    page = client.get(url).content.decode()
    assert "至少开展1次集中学习讨论" in page and "至少看1次专题教育片" in page and "至少上1次党课" in page
    assert "市、县领导班子" not in page  # the county's threshold does not bind a community


def test_office_sees_which_units_are_behind_and_exports(client, world, thresholds, village):
    StudyRecord.objects.create(unit=world.xihu, kind="concentrated", held_on=dt.date(2014, 3, 1), days=5, topic="集中学习")
    StudyRecord.objects.create(unit=world.xihu, kind="lecture", held_on=dt.date(2014, 3, 2), topic="党课", speaker="区委书记")
    client.force_login(world.office_hangzhou)
    page = client.get(reverse("campaign:study_overview")).content.decode()
    assert f'data-unit="{world.xihu.pk}"' in page and f'data-unit="{village.pk}"' in page
    behind = client.get(reverse("campaign:study_overview") + "?behind=on").content.decode()
    assert f'data-unit="{world.xihu.pk}"' not in behind and f'data-unit="{village.pk}"' in behind
    assert f'data-unit="{world.organ.pk}"' not in page  # outside Hangzhou's subtree

    village.name = "=HYPERLINK(\"http://evil.example\")"
    village.save()
    response = client.get(reverse("campaign:study_export") + "?format=csv&behind=on")
    content = response.content.decode()
    assert response.status_code == 200 and "'=HYPERLINK" in content and "西湖区" not in content
    assert client.get(reverse("campaign:study_export") + "?format=exe").status_code == 400

    client.force_login(world.liaison_xihu)
    assert client.get(reverse("campaign:study_overview")).status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_study_pages_query_counts_do_not_grow(client, world, thresholds, village, size, django_assert_max_num_queries):
    from tests.conftest import make_unit
    from units.models import Level, UnitType

    for i in range(size):
        unit = make_unit(code=f"330106001{i + 2:03d}", name=f"社区{i}", parent=world.street, level=Level.VILLAGE,
                         unit_type=UnitType.COMMUNITY)
        StudyRecord.objects.create(unit=unit, kind="film", held_on=dt.date(2014, 3, 1), topic="焦裕禄")
        StudyRecord.objects.create(unit=village, kind="discussion", held_on=dt.date(2014, 3, 1), topic=f"讨论{i}")
    client.force_login(world.office_hangzhou)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("campaign:study_overview")).status_code == 200
    client.force_login(world.liaison_village)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("units:study", kwargs={"unit_id": village.pk})).status_code == 200
