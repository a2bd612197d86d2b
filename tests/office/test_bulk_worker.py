"""A fan-out over BULK_INLINE_LIMIT runs in a real Celery worker (core.tasks.run_job): the page
answers at once, the requirement shows 生成中 until the worker has written every batch."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from campaign import bulk
from campaign.models import Requirement
from core.models import BackgroundJob
from tests import celery_worker
from tests.celery_worker import kill_worker, start_worker, wait_until
from tests.office.test_fan_out import requirement_post
from units.models import Level, Unit, UnitType

pytestmark = pytest.mark.celery
redis_broker = celery_worker.redis_broker  # the shared fixture, offered to these tests


@pytest.fixture
def worker(transactional_db, redis_broker, world, settings, tmp_path):
    proc = start_worker(tmp_path / "worker.log", "bulk", concurrency=1, MEDIA_ROOT=settings.MEDIA_ROOT)
    yield proc
    kill_worker(proc)


def test_a_large_fan_out_is_written_by_the_worker(client, world, worker, settings):
    settings.BULK_INLINE_LIMIT = 10
    for n in range(30):
        Unit.objects.create(code=f"330000-9{n:03d}", name=f"省直单位{n}", parent=world.province, level=Level.PROVINCE,
                            unit_type=UnitType.ORGAN)
    client.force_login(world.office_province)
    response = client.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]),
                           requirement_post(world, target_batch="", target_unit_types=["organ"]))
    job = BackgroundJob.objects.get(kind=bulk.FAN_OUT_JOB)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    requirement = Requirement.objects.get(pk=job.params["requirement"])

    def finished():
        return BackgroundJob.objects.get(pk=job.pk).state in ("done", "failed")

    wait_until(finished, timeout=90, message="the fan-out job to end")
    job.refresh_from_db()
    assert (job.state, job.message) == ("done", "已生成 32 项报送任务"), worker.log.read_text()[-2000:]
    requirement.refresh_from_db()
    assert not requirement.issuing and requirement.obligations.count() == 32
    assert AuditEntry.objects.for_object(requirement).get(action="obligations_issued").count == 32
