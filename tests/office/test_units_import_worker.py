"""A large units import runs in a real Celery worker: the page polls a small status view for the
progress bar, the uploader sees the preview (or the row messages) at the end of the check and the
result at the end of the import, and a redelivered task does nothing (each step is claimed once)."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from campaign.actions import fan_out
from campaign.models import Obligation, Requirement
from tests import celery_worker
from tests.celery_worker import REDIS_URL, kill_worker, start_worker, wait_until
from units import tasks
from units.actions import import_dir
from units.models import Unit, UnitImport
from units.resources import HEADERS

pytestmark = pytest.mark.celery
redis_broker = celery_worker.redis_broker  # the shared fixture, offered to these tests

TOWNS, VILLAGES = 30, 40  # 1,230 rows: above the threshold set below, progress reported every 500 rows


def tree_file(bad_row=False):
    dataset = tablib.Dataset(headers=list(HEADERS.values()))
    for t in range(TOWNS):
        dataset.append([f"W{t:03d}", f"镇{t}", "", "330106", "乡镇、街道", "乡镇", "否", "否", "是"])
        for v in range(VILLAGES):
            dataset.append([f"W{t:03d}V{v:03d}", f"村{t}-{v}", "", f"W{t:03d}", "村、社区", "村", "否", "否", "是"])
    if bad_row:
        dataset.append(["W999V000", "=1+1", "", "W000", "村、社区", "村", "否", "否", "是"])
    return SimpleUploadedFile("large.csv", dataset.export("csv").encode("utf-8-sig"))


@pytest.fixture
def worker(transactional_db, redis_broker, world, settings, tmp_path):
    """One worker on the test database and uploads folder; this process shares its cache (Redis)."""
    settings.UNIT_IMPORT_ASYNC_ROWS = 100
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    proc = start_worker(tmp_path / "worker.log", "imports", concurrency=1, MEDIA_ROOT=settings.MEDIA_ROOT)
    yield proc
    kill_worker(proc)


def status_of(job):
    return UnitImport.objects.get(pk=job.pk).status


def poll(client, job):
    """GET the status view until the import's step ends; returns the progress values seen."""
    seen = []

    def finished():
        response = client.get(reverse("units:import_status", kwargs={"import_id": job.pk}))
        assert response.status_code == 200
        seen.append(response.context["processed"])
        return response.get("HX-Refresh") == "true"

    wait_until(finished, timeout=90, message="the import's step to finish")
    return seen


def test_a_large_import_is_checked_and_written_by_the_worker(client, world, worker):
    requirement = Requirement(directive=world.zj_48, title="村级实施方案", scope_unit=world.province, submit_to=world.province,
                              target_levels=["village"], deadline_text="2014年3月1日前")
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    client.force_login(world.office_province)

    response = client.post(reverse("units:import"), {"file": tree_file()})
    job = UnitImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-get="' + reverse("units:import_status", kwargs={"import_id": job.pk}) in page or status_of(job) == "checked"
    poll(client, job)
    job.refresh_from_db()
    assert job.status == "checked", (job.errors, worker.log.read_text()[-2000:])
    assert job.processed == 1000  # the check reported its progress in the job's row as it went
    page = client.get(job.get_absolute_url()).content.decode()
    assert "将新增 1230 个单位" in page and "确认导入" in page
    assert not Unit.objects.filter(code__startswith="W").exists()

    response = client.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}))
    assert response.status_code == 302
    poll(client, job)
    job.refresh_from_db()
    assert job.status == "done", (job.errors, worker.log.read_text()[-2000:])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "导入完成：新增 1230 个单位" in page
    assert Unit.objects.filter(code__startswith="W").count() == 1230
    # In the uploader's name: the trail and the obligations the new villages now owe.
    assert set(AuditEntry.objects.filter(action="import").values_list("actor", flat=True)) == {world.office_province.pk}
    added = Obligation.objects.filter(requirement=requirement, unit__code__startswith="W")
    assert added.count() == TOWNS * VILLAGES
    assert set(AuditEntry.objects.filter(action="obligations_issued", batch_key__in=added.values("issue_batch"))
               .values_list("actor", flat=True)) == {world.office_province.pk}

    # A redelivered message finds the step done: nothing runs twice.
    tasks.write_unit_import.delay(job.pk)
    tasks.check_unit_import.delay(job.pk)
    wait_until(lambda: worker.log.read_text().count("succeeded") >= 4, timeout=30, message="the redelivered tasks")
    assert Unit.objects.filter(code__startswith="W").count() == 1230
    assert AuditEntry.objects.filter(action="import").count() == 1230


def test_a_large_file_with_a_bad_row_shows_the_row_messages_at_the_end(client, world, worker):
    client.force_login(world.office_province)
    client.post(reverse("units:import"), {"file": tree_file(bad_row=True)})
    job = UnitImport.objects.get()
    poll(client, job)
    job.refresh_from_db()
    assert job.status == "refused"
    page = client.get(job.get_absolute_url()).content.decode()
    assert f'data-row="{TOWNS * (VILLAGES + 1) + 2}"' in page and "不能以" in page
    assert not Unit.objects.filter(code__startswith="W").exists()
    assert list(import_dir().iterdir()) == []  # the folder the worker shares with this test
