"""The API as another system meets it: `requests` against a real gunicorn serving the test database.

The office's OA link registers a directive and adds a requirement; the liaison's phone app submits a
PDF; the supervision group's token approves it; the office reads the dashboard's counts."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from api import actions
from tests.celery_worker import database_url_for_worker

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(world, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url_for_worker(), "DEBUG": "0", "SECRET_KEY": "live-api-test-" + "x" * 40,
           "ALLOWED_HOSTS": "127.0.0.1", "VAR_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "uploads"),
           "PYTHONPATH": str(ROOT), "CAMPAIGN_CLOCK": "2014-01-08T10:00+08:00"}
    (tmp_path / "broker" / "queue").mkdir(parents=True)
    (tmp_path / "broker" / "processed").mkdir(parents=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "60"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{url}/me", timeout=10)
            break
        except (requests.ConnectionError, requests.Timeout):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise AssertionError(server.stdout.read().decode()) from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(10)


def client_for(user, name):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {actions.create_token(user, name)[1]}"
    return session


def test_an_other_system_runs_the_core_loop_through_the_api(transactional_db, world, gunicorn):
    # transactional_db: the rows are committed, so that gunicorn's processes see them.
    office, liaison = client_for(world.office_province, "省委办公厅OA"), client_for(world.liaison_organ, "手机")
    group = client_for(world.group_leader, "督导组平板")

    directive = office.post(f"{gunicorn}/directives", timeout=30, json={
        "number": "浙群组发〔2014〕3号", "doc_type": "通知", "issuing_unit": world.province.pk, "signed_on": "2014-01-06",
        "issuer_name": "中共浙江省委党的群众路线教育实践活动领导小组", "title": "关于报送整改落实情况的通知",
    })
    assert directive.status_code == 201, directive.text
    requirement = office.post(f"{gunicorn}/directives/{directive.json()['id']}/requirements", timeout=60, json={
        "title": "整改落实情况", "deadline": "2014年1月20日前", "unit_codes": [world.organ.code], "route": "supervision",
    })
    assert requirement.status_code == 201 and requirement.json()["obligations_added"] == 1, requirement.text

    mine = liaison.get(f"{gunicorn}/obligations", params={"requirement": requirement.json()["id"]}, timeout=30).json()
    [obligation] = mine["items"]
    submitted = liaison.post(f"{gunicorn}/obligations/{obligation['id']}/submit", timeout=30, data={"text": "整改落实情况报告"},
                             files={"files": ("整改落实情况.pdf", PDF, "application/pdf")})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted", submitted.text
    approved = group.post(f"{gunicorn}/obligations/{obligation['id']}/review", json={"decision": "approve"}, timeout=30)
    assert approved.status_code == 200 and approved.json()["status"] == "accepted", approved.text

    counts = office.get(f"{gunicorn}/dashboard", params={"unit": world.province.pk}, timeout=30)
    assert counts.status_code == 200, counts.text
    assert counts.json()["total"]["accepted"] == 1 and counts.json()["total"]["submitted"] == 0

    # Another unit's token cannot read this obligation, in the list or by its id.
    other = client_for(world.liaison_organ2, "另一单位")
    assert other.get(f"{gunicorn}/obligations/{obligation['id']}", timeout=30).status_code == 404
    assert obligation["id"] not in [o["id"] for o in other.get(f"{gunicorn}/obligations", timeout=30).json()["items"]]
