"""An export started from the page runs in a real Celery worker: the message is queued on commit,
the worker claims and writes the file, the page's progress fragment says it is done, the owner
downloads it and is notified; a redelivered message runs nothing twice."""

import io

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook

from core.models import BackgroundJob
from core.tasks import run_job
from notifications.models import Notification
from tests import celery_worker
from tests.celery_worker import REDIS_URL, kill_worker, start_worker, wait_until
from units.models import Unit

pytestmark = pytest.mark.celery
redis_broker = celery_worker.redis_broker  # the shared fixture, offered to these tests


@pytest.fixture
def worker(transactional_db, redis_broker, world, settings, tmp_path):
    """One worker on the test database and storage folder; this process shares its cache (Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    proc = start_worker(tmp_path / "worker.log", "jobs", concurrency=1, MEDIA_ROOT=settings.MEDIA_ROOT)
    yield proc
    kill_worker(proc)


def test_an_export_started_from_the_page_completes_in_the_worker(client, world, worker):
    client.force_login(world.office_province)
    response = client.post(reverse("units:export") + "?format=xlsx")
    assert response.status_code == 302
    job_id = resolve(response["Location"]).kwargs["job_id"]
    progress = reverse("core:job_progress", args=[job_id])

    def finished():
        answer = client.get(progress)
        assert answer.status_code == 200
        return answer.get("HX-Refresh") == "true"

    wait_until(finished, timeout=90, message="the export job to finish")
    job = BackgroundJob.objects.get(pk=job_id)
    assert job.state == "done", (job.error, worker.log.read_text()[-3000:])
    page = client.get(response["Location"]).content.decode()
    download = reverse("core:job_download", args=[job_id])
    assert download in page
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(download).streaming_content)), read_only=True)
                .active.iter_rows(values_only=True))
    assert len(rows) - 1 == Unit.objects.restrict(world.office_province).filter(is_active=True).count()
    assert Notification.objects.filter(user=world.office_province, url=response["Location"]).count() == 1

    run_job.delay(job_id)  # a redelivered message finds the job done
    wait_until(lambda: worker.log.read_text().count("succeeded") >= 2, timeout=30, message="the redelivered task")
    assert BackgroundJob.objects.get(pk=job_id).attempt == 1
    assert Notification.objects.filter(user=world.office_province).count() == 1
