"""Background jobs (core.jobs): claimed once, failed with a message, resumed when lost, their
pages their owner's only, their files purged, their owner notified."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core import clock, jobs
from core.models import BackgroundJob
from core.tasks import purge_job_results, resume_jobs
from notifications.models import Notification

State = BackgroundJob.State
runs = []


def counting(job, progress):
    runs.append(job.pk)
    for done in range(1, 11):
        progress(done, total=10 if done == 1 else None)
    return {"message": "已生成 10 项"}


def writing(job, progress):
    with jobs.result_writer(job, "结果.csv") as out:
        out.write("代码,名称\n".encode())
    progress(1, total=1)
    return {"message": "已导出 1 行"}


def refusing(job, progress):
    raise jobs.JobFailed("没有可导出的数据。")


def crashing(job, progress):
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def kinds():
    for kind, runner in [("test.count", counting), ("test.write", writing), ("test.refuse", refusing),
                         ("test.crash", crashing)]:
        jobs.register(kind, runner)
    runs.clear()
    yield
    for kind in ("test.count", "test.write", "test.refuse", "test.crash"):
        jobs._runners.pop(kind, None)


def start(kind, owner, **more):
    return jobs.start(kind, owner=owner, title="测试任务", params={}, **more)


def test_a_job_runs_once_however_often_its_message_comes(world, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "queue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        job = start("test.count", world.office_province)
    assert queued == [job.pk]  # queued on commit
    assert jobs.run(job.pk) is True
    assert jobs.run(job.pk) is False
    job.refresh_from_db()
    assert runs == [job.pk]
    assert (job.state, job.done, job.total, job.message, job.attempt) == (State.DONE, 10, 10, "已生成 10 项", 1)
    assert job.started_at and job.finished_at


def test_a_refused_job_fails_with_its_message_and_a_crash_with_a_general_one(world, caplog):
    refused, crashed = start("test.refuse", world.office_province), start("test.crash", world.office_province)
    jobs.run(refused.pk)
    jobs.run(crashed.pk)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.state, refused.error) == (State.FAILED, "没有可导出的数据。")
    assert crashed.state == State.FAILED and "处理时出错" in crashed.error
    assert "boom" in caplog.text  # the exception is logged, not shown
    unknown = jobs.start("test.nobody", owner=world.office_province, title="未知", params={})
    jobs.run(unknown.pk)
    unknown.refresh_from_db()
    assert unknown.state == State.FAILED and unknown.error


def test_progress_is_written_through_the_current_claim_only(world):
    job = start("test.count", world.office_province)
    claimed = jobs._claim(job.pk)
    progress = jobs.Progress(claimed)
    progress(5, total=20)
    job.refresh_from_db()
    assert (job.done, job.total, jobs.percent(job)) == (5, 20, 25)
    # Another worker took the job over: the first one's progress and outcome change nothing.
    BackgroundJob.objects.filter(pk=job.pk).update(attempt=2)
    progress(19, total=20)
    jobs._finish(claimed, {"message": "旧的"}, "")
    job.refresh_from_db()
    assert (job.state, job.done, job.message) == (State.RUNNING, 5, "")


def test_beat_queues_again_a_lost_message_and_a_dead_worker_job_then_gives_up(world, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "queue", lambda job_id: queued.append(job_id) or True)
    now = clock.wall_now()
    lost = start("test.count", world.office_province)
    fresh = start("test.count", world.office_province)
    BackgroundJob.objects.filter(pk=lost.pk).update(queued_at=now - jobs.RESUME_AFTER - dt.timedelta(seconds=1))
    dead = start("test.count", world.office_province)
    BackgroundJob.objects.filter(pk=dead.pk).update(state=State.RUNNING, attempt=1,
                                                    heartbeat_at=now - jobs.LEASE - dt.timedelta(seconds=1))
    hopeless = start("test.count", world.office_province)
    BackgroundJob.objects.filter(pk=hopeless.pk).update(state=State.RUNNING, attempt=jobs.MAX_ATTEMPTS,
                                                        heartbeat_at=now - jobs.LEASE - dt.timedelta(seconds=1))
    assert resume_jobs() == 1  # the lost message; the dead worker's job waits RESUME_AFTER in the queue again
    assert queued == [lost.pk]
    dead.refresh_from_db()
    hopeless.refresh_from_db()
    assert dead.state == State.QUEUED and hopeless.state == State.FAILED and hopeless.error
    assert Notification.objects.filter(user=world.office_province, url=hopeless.get_absolute_url()).exists()
    assert sorted(jobs.resume(now + jobs.RESUME_AFTER + dt.timedelta(seconds=1))) == sorted([lost.pk, fresh.pk, dead.pk])
    jobs.run(dead.pk)
    dead.refresh_from_db()
    assert (dead.state, dead.attempt) == (State.DONE, 2)


def test_the_owner_is_notified_with_the_link_to_the_job(world):
    job = start("test.count", world.office_province)
    jobs.run(job.pk)
    notice = Notification.objects.get(user=world.office_province)
    assert notice.url == reverse("core:job", args=[job.pk]) and "测试任务" in notice.title and notice.body == "已生成 10 项"


def test_the_pages_are_the_owners_only(client, world):
    job = start("test.write", world.office_province)
    jobs.run(job.pk)
    urls = [reverse(name, args=[job.pk]) for name in ("core:job", "core:job_progress", "core:job_download")]
    client.force_login(world.office_hangzhou)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert job.pk not in [row.pk for row in client.get(reverse("core:jobs")).context["rows"]]
    client.force_login(world.office_province)
    page = client.get(urls[0])
    assert page.status_code == 200 and urls[2] in page.content.decode()
    download = client.get(urls[2])
    assert download.status_code == 200 and b"".join(download.streaming_content).decode() == "代码,名称\n"
    assert "attachment" in download["Content-Disposition"] and download["Content-Type"].startswith("text/csv")
    listing = client.get(reverse("core:jobs"))
    assert [row.pk for row in listing.context["rows"]] == [job.pk]


def test_the_progress_fragment_polls_until_the_job_ends(client, world):
    job = start("test.count", world.office_province)
    client.force_login(world.office_province)
    url = reverse("core:job_progress", args=[job.pk])
    queued = client.get(url)
    assert 'hx-trigger="every 1s"' in queued.content.decode() and "HX-Refresh" not in queued
    claimed = jobs._claim(job.pk)
    jobs.Progress(claimed)(3, total=4)
    running = client.get(url)
    assert running.context["percent"] == 75 and 'value="75"' in running.content.decode()
    jobs._finish(claimed, {"message": "好了"}, "")
    done = client.get(url)
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "好了" in page and 'data-state="done"' in page


def test_the_list_is_paged_with_bounded_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.office_province)
    for size in (3, 60):
        BackgroundJob.objects.bulk_create(BackgroundJob(kind="test.count", owner_id=world.office_province.pk, title=f"任务{n}")
                                          for n in range(size))
        with django_assert_max_num_queries(9):
            response = client.get(reverse("core:jobs"))
        assert response.status_code == 200 and len(response.context["rows"]) <= 50


def test_old_result_files_are_purged(world, settings):
    settings.JOB_RESULT_RETENTION_DAYS = 7
    old, recent = start("test.write", world.office_province), start("test.write", world.office_province)
    jobs.run(old.pk)
    jobs.run(recent.pk)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert default_storage.exists(old.result_file) and old.result_file.startswith("jobs/")
    BackgroundJob.objects.filter(pk=old.pk).update(finished_at=clock.wall_now() - dt.timedelta(days=8))
    assert purge_job_results() == 1
    assert not default_storage.exists(old.result_file) and default_storage.exists(recent.result_file)
    old.refresh_from_db()
    assert old.result_file == "" and old.result_name == "结果.csv"
