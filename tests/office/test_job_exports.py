"""The large exports run as background jobs: the button POSTs and lands on the job's page; the
worker's file holds every row the list or the dashboard shows, readable by openpyxl; each export
is logged as a security event; the query count does not grow with the rows."""

import csv
import io
import logging

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook

from campaign.models import Obligation
from core import jobs
from core.models import BackgroundJob
from tests.conftest import make_unit
from tests.exports import export
from units.models import Level, Unit, UnitType
from units.resources import COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client


def sheet_rows(content):
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def expected_units(queryset):
    return [
        (code, name, short or None, parent or None)
        for code, name, short, parent in queryset.order_by("path").values_list("code", "name", "short_name", "parent__code")
    ]


def test_the_button_starts_a_job_and_opens_its_page(office, world):
    response = office.post(reverse("units:export") + "?format=xlsx&q=330")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and resolve(response["Location"]).kwargs == {"job_id": job.pk}
    assert (job.kind, job.owner_id, job.state, job.title) == ("units.export", world.office_province.pk, "queued",
                                                               "导出单位名册（.xlsx）")
    assert job.params == {"format": "xlsx", "query": {"q": ["330"]}}
    page = office.get(response["Location"]).content.decode()
    assert "导出单位名册（.xlsx）" in page and "every 1s" in page
    assert office.get(reverse("units:export") + "?format=xlsx").status_code == 405  # a link starts nothing
    assert office.post(reverse("units:export") + "?format=pdf").status_code == 400


def test_the_units_xlsx_holds_every_unit_of_the_list(office, world):
    make_unit(code="330000-77", name="省A&B<委>", short_name="甲", parent=world.province, level=Level.PROVINCE,
              unit_type=UnitType.ORGAN, batch=world.batch1)
    downloaded = export(office, reverse("units:export"), {"format": "xlsx"})
    assert downloaded.status_code == 200 and downloaded["Content-Disposition"].endswith('filename="units.xlsx"')
    header, *rows = sheet_rows(downloaded.content)
    assert list(header) == list(COLUMNS.values())
    visible = Unit.objects.restrict(world.office_province).filter(is_active=True)
    assert [row[:4] for row in rows] == expected_units(visible)
    organ = next(row for row in rows if row[0] == world.organ.code)
    assert organ[4:9] == (str(Level(world.organ.level).label), str(UnitType(world.organ.unit_type).label), "否", "否", "是")
    job = BackgroundJob.objects.get()
    assert job.message == f"已导出 {len(rows)} 个单位。" and job.done == job.total == len(rows)


def test_the_units_csv_follows_the_filters(office, world):
    downloaded = export(office, reverse("units:export"), {"format": "csv", "under": world.hangzhou.pk})
    text = downloaded.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    assert header == list(COLUMNS.values())
    subtree = Unit.objects.subtree(world.hangzhou).filter(is_active=True)
    assert [row[0] for row in rows] == list(subtree.order_by("path").values_list("code", flat=True))


def test_the_progress_export_holds_the_obligations_of_the_view(office, world, caplog):
    with caplog.at_level(logging.INFO, logger="security"):
        downloaded = export(office, reverse("campaign:dashboard_export"), {"unit": world.province.pk})
    header, *rows = sheet_rows(downloaded.content)
    assert header[:2] == ("单位代码", "单位名称")
    expected = Obligation.objects.in_campaign(world.campaign).filter(unit__path__startswith=world.province.path)
    assert sorted(row[0] for row in rows) == sorted(expected.values_list("unit__code", flat=True))
    job = BackgroundJob.objects.get()
    assert f"export file=progress-{world.province.code}.xlsx rows={len(rows)} job={job.pk}" in caplog.text
    assert "download" in caplog.text


def test_an_outsider_cannot_export_another_office(client, world):
    client.force_login(world.office_hangzhou)
    response = client.post(reverse("campaign:dashboard_export") + f"?unit={world.ningbo.pk}")
    assert response.status_code in (403, 404) and not BackgroundJob.objects.exists()


def test_a_job_whose_owner_lost_the_unit_fails_in_words(office, world):
    office.post(reverse("campaign:dashboard_export") + f"?unit={world.hangzhou.pk}")
    job = BackgroundJob.objects.get()
    job.params["unit"] = world.province.pk
    BackgroundJob.objects.filter(pk=job.pk).update(params=job.params, owner_id=world.office_hangzhou.pk)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.error == "您已无权查看该单位的进度，未导出。" and not job.result_file


def test_the_export_queries_do_not_grow_with_the_units(office, world, django_assert_max_num_queries):
    for size in (5, 60):
        for number in range(size):
            make_unit(code=f"Q{size}-{number}", name=f"单位{number}", parent=world.province, level=Level.PROVINCE,
                      unit_type=UnitType.ORGAN)
        office.post(reverse("units:export") + "?format=xlsx")
        job = BackgroundJob.objects.latest("pk")
        with django_assert_max_num_queries(12):
            jobs.run(job.pk)
        job.refresh_from_db()
        assert job.state == "done"
