"""The units import against careless and hostile files: caps checked before reading, every value
held to the model's rules at the check (never a database error at confirm), a preview of every
change, each step run once, nothing left on disk after a refusal or a day without confirmation,
and never a server error."""

import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from core import clock
from units import actions
from units.imports import count_rows, read_rows
from units.models import Unit, UnitImport
from units.resources import HEADERS

COLUMNS = list(HEADERS.values())


def csv_file(rows, name="units.csv"):
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append(row)
    return SimpleUploadedFile(name, dataset.export("csv").encode("utf-8-sig"))


def row(code, name, parent, level="乡镇、街道", unit_type="街道", active="是", contact="否"):
    return [code, name, "", parent, level, unit_type, "否", contact, active]


def upload(client, file):
    return client.post(reverse("units:import"), {"file": file}, follow=True)


def files_left():
    return sorted(path.name for path in actions.import_dir().iterdir())


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client


def sheet_xml(rows, dimension=True):
    """The XML of a sheet of `rows` one-cell rows (code only), written directly: fast for 300,000."""
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    if dimension:
        parts.append(f'<dimension ref="A1:I{rows + 1}"/>')
    parts.append('<sheetData><row r="1">')
    parts += [f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{title}</t></is></c>' for i, title in enumerate(COLUMNS)]
    parts.append("</row>")
    parts += [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>T{n}</t></is></c></row>' for n in range(2, rows + 2)]
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def long_workbook(rows, dimension=True):
    """An .xlsx of `rows` data rows: openpyxl's own parts, the sheet replaced."""
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet_xml(rows, dimension).encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return rebuilt.getvalue()


# --- lengths, caps ----------------------------------------------------------------------------


def test_a_name_of_5000_characters_is_refused_at_the_check_on_its_row(office, world):
    """It used to pass the preview and fail at confirm with a DataError on PostgreSQL."""
    response = upload(office, csv_file([row("330106009", "长" * 5000, "330106"), row("330106010", "灵隐街道", "330106")]))
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == "refused"
    assert [number for number, _messages in job.errors] == [2]
    assert "单位名称" in job.errors[0][1][0] and "200" in job.errors[0][1][0]
    assert not Unit.objects.filter(code__in=["330106009", "330106010"]).exists()
    assert files_left() == []


@pytest.mark.parametrize("bad, column, message", [
    (row(",,,", "灵隐街道", "330106"), "单位代码", "格式不正确"),
    (row("33010\u202e6009", "灵隐街道", "330106"), "单位代码", "不可见字符"),
    (row("330106009", "灵隐\u202e街道", "330106"), "单位名称", "不可见字符"),
    (row("330106009", "某某高级中学", "330106001", level="省", unit_type="事业单位"), "层级", "应与上级单位同一层级"),
    (row("330000901", "某村", "330000", level="村、社区", unit_type="村"), "层级", "应直接隶属于乡镇、街道一级"),
], ids=["commas-code", "bidi-code", "bidi-name", "province-school-under-street", "village-under-province"])
def test_the_unit_rules_hold_for_every_imported_row(office, world, bad, column, message):
    response = upload(office, csv_file([row("330106010", "文新街道", "330106"), bad]))
    job = response.context["job"]
    assert job.status == "refused"
    assert [number for number, _messages in job.errors] == [3]
    assert job.errors[0][1][0].startswith(f"{column}：") and message in job.errors[0][1][0]
    assert files_left() == [] and not Unit.objects.filter(code="330106010").exists()


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(office, world):
    padding = "x" * 1000
    rows = [row(f"P{n:06d}", f"单位{n}{padding}", "330106") for n in range(11_000)]  # about 10.9 MB
    file = csv_file(rows)
    assert file.size > 10 * 1024 * 1024
    started = time.monotonic()
    response = upload(office, file)
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert not UnitImport.objects.exists() and files_left() == []


@pytest.mark.parametrize("dimension", [True, False], ids=["recorded-dimension", "no-dimension"])
def test_a_file_of_300000_rows_is_refused_without_being_loaded(office, world, dimension):
    content = long_workbook(300_000, dimension)
    assert len(content) < 10 * 1024 * 1024
    started = time.monotonic()
    response = upload(office, SimpleUploadedFile("units.xlsx", content))
    seconds = time.monotonic() - started
    assert response.status_code == 200
    assert "文件超过 60,000 行" in response.content.decode()
    assert seconds < 20, seconds
    assert not UnitImport.objects.exists() and files_left() == []


def test_rows_are_counted_and_read_even_when_the_recorded_dimension_is_false(tmp_path):
    """A file claiming one row while holding 150 is counted as 150 (it goes to the worker like any
    file above UNIT_IMPORT_ASYNC_ROWS instead of tying up the request) and all 150 rows are read
    (none is silently left out)."""
    path = tmp_path / "units.xlsx"
    source = zipfile.ZipFile(io.BytesIO(long_workbook(150)))
    with zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:I151"/>', b'<dimension ref="A1:A1"/>')
            target.writestr(info.filename, data)
    assert count_rows(path) == 150
    assert len(read_rows(path).dataset) == 150


def test_the_caps_are_settings(office, world, settings):
    settings.UNIT_IMPORT_MAX_ROWS = 2
    response = upload(office, csv_file([row(f"33010600{n}", f"街道{n}", "330106") for n in range(3)]))
    assert "文件超过 2 行" in response.content.decode() and files_left() == []
    settings.UNIT_IMPORT_MAX_BYTES = 100
    response = upload(office, csv_file([row("330106009", "街道", "330106")]))
    assert "文件过大" in response.content.decode() and files_left() == []


# --- broken and hostile files -----------------------------------------------------------------


def zip_of(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb():
    """A small .xlsx whose sheet unpacks to far more than the cap allows."""
    return zip_of({"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": b"<" + b" " * (300 * 1024 * 1024)})


HOSTILE = {
    "random-bytes.xlsx": bytes(range(256)) * 40,
    "empty.xlsx": b"",
    "empty.csv": b"",
    "zip-without-workbook.xlsx": zip_of({"hello.txt": "hi"}),
    "broken-workbook.xlsx": zip_of({"[Content_Types].xml": "<Types", "xl/workbook.xml": "<<<"}),
    "zip-bomb.xlsx": zip_bomb(),
    "not-text.csv": b"\xff\xfe\x80\x81\x00" * 100,
    "nul-bytes.csv": ",".join(COLUMNS).encode() + b"\n330106009,\x00\x00,,330106,x,y,,,\n",
    "huge-cell.csv": ",".join(COLUMNS).encode() + b"\n" + b"a" * 200_000 + b",b\n",
    "only-headers.csv": ",".join(COLUMNS).encode() + b"\n",
    "wrong-headers.csv": b"a,b,c\n1,2,3\n",
    "xlsx-named-csv.csv": long_workbook(3),
    "csv-named-xlsx.xlsx": ",".join(COLUMNS).encode() + b"\n",
    "chart-only.xlsx": zip_of({"[Content_Types].xml": "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>"}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_broken_or_hostile_file_gets_a_message_never_a_server_error(office, world, name):
    response = upload(office, SimpleUploadedFile(name, HOSTILE[name]))
    assert response.status_code == 200
    html = response.content.decode()
    job = response.context.get("job")
    if job is None:  # refused before an import was opened
        assert 'data-field-error="file"' in html
    else:
        assert job.status == "refused" and job.errors
        assert "Traceback" not in html and "Error" not in html and "<class" not in html
    assert files_left() == []
    assert not Unit.objects.filter(code="330106009").exists()


# --- the preview, and each step once ----------------------------------------------------------


def test_the_preview_lists_every_change_before_anything_is_written(office, world):
    village = Unit.objects.create(code="330106001001", name="北山村", parent=world.street, level="village", unit_type="village")
    chengxi = Unit.objects.create(code="330106002", name="城西街道", parent=world.xihu, level="township", unit_type="street")
    Unit.objects.create(code="330106002001", name="城西社区", parent=chengxi, level="village", unit_type="community")
    response = upload(office, csv_file([
        row("330106001", "北山街道（新）", "330106", contact="是"),            # renamed, now a contact point
        row("330106002", "城西街道", "330106", active="否"),                 # deactivated with its community
        row("330106003", "文新街道", "330106"),                               # new
    ]))
    job = response.context["job"]
    assert job.status == "checked", job.errors
    html = response.content.decode()
    changed = html[html.index('data-testid="preview-changed"'):]
    assert "北山街道（新）" in changed and "北山街道" in changed and "联系点" in changed and "否" in changed and "是" in changed
    deactivated = html[html.index('data-testid="preview-deactivated"'):]
    assert "城西街道（330106002）" in deactivated and "2 个" in deactivated
    new = html[html.index('data-testid="preview-new"'):]
    assert "文新街道" in new and "西湖区（330106）" in new and "乡镇、街道" in new
    # Nothing written yet.
    world.street.refresh_from_db()
    assert world.street.name == "北山街道" and not Unit.objects.filter(code="330106003").exists()
    assert Unit.objects.get(code="330106002001").is_active and village.is_active
    # Confirmed: written, in the uploader's name with the file as the reason, and the file is gone.
    response = office.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"new": 1, "updated": 1, "deactivated": 2}
    assert "导入完成：新增 1 个单位，修改 1 个，撤销 2 个。" in response.content.decode()
    assert not Unit.objects.get(code="330106002001").is_active
    entry = AuditEntry.objects.for_object(Unit.objects.get(code="330106003")).get(action="import")
    assert entry.actor == world.office_province and entry.reason == "单位导入：units.csv"
    assert files_left() == []


def test_each_step_runs_once_whoever_calls_it(office, world):
    response = upload(office, csv_file([row("330106003", "文新街道", "330106")]))
    job = response.context["job"]
    assert job.status == "checked"
    assert actions.check_unit_import(job.pk) is False  # already checked: a redelivered task does nothing
    assert actions.confirm_unit_import(job) is True
    assert actions.confirm_unit_import(job) is False  # a second click
    assert actions.write_unit_import(job.pk) is True
    assert actions.write_unit_import(job.pk) is False  # a redelivered task
    assert Unit.objects.filter(code="330106003").count() == 1
    assert AuditEntry.objects.filter(action="import").count() == 1
    again = office.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
    assert "已经确认过" in again.content.decode()


def test_a_lost_step_may_be_claimed_again_after_its_lease(office, world):
    response = upload(office, csv_file([row("330106003", "文新街道", "330106")]))
    job = response.context["job"]
    actions.confirm_unit_import(job)
    UnitImport.objects.filter(pk=job.pk).update(claimed_at=clock.now())  # a worker took it, then died
    assert actions.write_unit_import(job.pk) is False
    with clock.frozen_at(clock.now() + actions.IMPORT_LEASE + dt.timedelta(minutes=1)):
        assert actions.write_unit_import(job.pk) is True
    assert Unit.objects.filter(code="330106003").count() == 1


# --- unconfirmed uploads are deleted after a day ----------------------------------------------


def test_unconfirmed_uploads_are_deleted_after_a_day(office, world):
    response = upload(office, csv_file([row("330106003", "文新街道", "330106")]))
    job = response.context["job"]
    stray = actions.import_dir() / "0123456789abcdef.csv"  # a request that died before opening an import
    stray.write_text("x")
    assert len(files_left()) == 2
    with clock.frozen_at(clock.now() + dt.timedelta(hours=23)):
        assert actions.expire_unit_imports() == 0
    assert len(files_left()) == 2
    with clock.frozen_at(clock.now() + dt.timedelta(hours=25)):
        assert actions.expire_unit_imports() == 2
    assert files_left() == []
    job.refresh_from_db()
    assert job.status == "expired"
    page = office.get(job.get_absolute_url()).content.decode()
    assert "文件已删除，未导入任何数据" in page
    response = office.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
    assert "已经确认过，或已失效" in response.content.decode()
    assert not Unit.objects.filter(code="330106003").exists()


def test_the_expiry_command_and_beat_schedule(office, world, settings):
    upload(office, csv_file([row("330106003", "文新街道", "330106")]))
    out = io.StringIO()
    later = (clock.now() + dt.timedelta(hours=25)).isoformat()
    call_command("expire_unit_imports", "--now", later, stdout=out)
    assert "deleted 1 file(s)" in out.getvalue() and files_left() == []
    assert settings.CELERY_BEAT_SCHEDULE["unit-import-expiry"]["task"] == "units.tasks.expire_unit_imports"


# --- nothing is left on disk after a failed step, a killed one, or the keeping time ------------


def test_a_write_that_fails_deletes_its_file(office, world):
    """Checked, then someone outside the office takes the new unit's code before the confirmation:
    the write is refused on its row, writes nothing, and its stored file is gone."""
    response = upload(office, csv_file([row("330106003", "文新街道", "330106")]))
    job = response.context["job"]
    assert job.status == "checked" and len(files_left()) == 1
    Unit.objects.create(code="330106003", name="别处的单位", parent=world.central, level="province", unit_type="organ")
    response = office.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
    job.refresh_from_db()
    assert job.status == "failed" and "已被本单位管辖范围以外的单位使用" in response.content.decode()
    assert files_left() == []
    assert not world.xihu.children.filter(code="330106003").exists()


def left_running(office, settings, step, claimed_after):
    """An import whose step `step` a worker claimed `claimed_after` its upload, then died with
    (SIGKILL: nothing after the claim ran)."""
    if step == "checking":
        settings.UNIT_IMPORT_ASYNC_ROWS = 0  # the check goes to the worker (its message is never run here)
        job = upload(office, csv_file([row("330106003", "文新街道", "330106")])).context["job"]
    else:
        job = upload(office, csv_file([row("330106003", "文新街道", "330106")])).context["job"]
        assert actions.confirm_unit_import(job)
    UnitImport.objects.filter(pk=job.pk).update(claimed_at=job.created_at + claimed_after)
    job.refresh_from_db()
    assert job.status == step and len(files_left()) == 1
    return job


@pytest.mark.parametrize("step", ["checking", "importing"])
@pytest.mark.parametrize("claimed_after", [dt.timedelta(seconds=5), dt.timedelta(hours=23, minutes=30)])
def test_a_killed_step_fails_and_its_file_is_deleted_by_the_expiry(office, world, settings, step, claimed_after):
    """Once the import is past its keeping time and its claim past the lease (the step cannot still
    be running), whenever the step was claimed: not a day after a late claim."""
    job = left_running(office, settings, step, claimed_after)
    keep = dt.timedelta(hours=settings.UNIT_IMPORT_KEEP_HOURS)
    with clock.frozen_at(job.created_at + keep - dt.timedelta(hours=1)):
        assert actions.expire_unit_imports() == 0
    with clock.frozen_at(max(job.created_at + keep, job.claimed_at + actions.IMPORT_LEASE) - dt.timedelta(minutes=1)):
        assert actions.expire_unit_imports() == 0  # the step may still be at work
    assert len(files_left()) == 1
    with clock.frozen_at(max(job.created_at + keep, job.claimed_at + actions.IMPORT_LEASE) + dt.timedelta(minutes=1)):
        assert actions.check_unit_import(job.pk) is False and actions.write_unit_import(job.pk) is False  # too late to start
        assert actions.expire_unit_imports() == 1
    assert files_left() == []
    job.refresh_from_db()
    assert job.status == "failed" and job.errors == [[0, ["处理中断，未导入任何数据。请重新上传。"]]]
    assert "处理中断" in office.get(job.get_absolute_url()).content.decode()


def test_no_step_starts_once_an_import_is_past_its_keeping_time(office, world, settings):
    """Neither a confirmation nor a redelivered message starts a step of an import older than
    UNIT_IMPORT_KEEP_HOURS, so that the expiry, which may come up to an hour later, never fails
    an import under a running step."""
    job = upload(office, csv_file([row("330106003", "文新街道", "330106")])).context["job"]
    with clock.frozen_at(job.created_at + dt.timedelta(hours=settings.UNIT_IMPORT_KEEP_HOURS, minutes=1)):
        assert actions.confirm_unit_import(job) is False
        response = office.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
        assert "已经确认过，或已失效" in response.content.decode()
    assert UnitImport.objects.get(pk=job.pk).status == "checked"
    assert not world.xihu.children.filter(code="330106003").exists()


# --- a step nobody took is queued again (beat: units.tasks.resume_unit_imports) ----------------


def test_a_step_nobody_took_is_queued_again_and_a_lost_one_after_its_lease(office, world, settings):
    settings.UNIT_IMPORT_ASYNC_ROWS = 0  # the check goes to the worker; its message is never run here
    job = upload(office, csv_file([row("330106003", "文新街道", "330106")])).context["job"]
    assert job.status == "checking" and job.queued_at is not None
    period = dt.timedelta(seconds=settings.UNIT_IMPORT_RESUME_SECONDS)
    assert actions.resume_unit_imports() == []  # just queued: its worker may still take it
    start = job.queued_at + period + dt.timedelta(seconds=1)
    with clock.frozen_at(start):
        assert actions.resume_unit_imports() == [(job.pk, "checking")]
        assert actions.resume_unit_imports() == []  # queued again now: not twice in one period
    UnitImport.objects.filter(pk=job.pk).update(claimed_at=start)  # a worker took it...
    with clock.frozen_at(start + 2 * period):
        assert actions.resume_unit_imports() == []  # ...and may still be at work within its lease
    with clock.frozen_at(start + actions.IMPORT_LEASE + dt.timedelta(minutes=1)):
        assert actions.resume_unit_imports() == [(job.pk, "checking")]  # ...or died with it
        assert actions.check_unit_import(job.pk) is True  # the step runs once more, and only once
        assert actions.check_unit_import(job.pk) is False
    assert UnitImport.objects.get(pk=job.pk).status == "checked"
    assert settings.CELERY_BEAT_SCHEDULE["unit-import-resume"]["task"] == "units.tasks.resume_unit_imports"


def test_a_confirmed_step_is_queued_again_but_none_past_the_keeping_time(office, world, settings):
    job = upload(office, csv_file([row("330106003", "文新街道", "330106")])).context["job"]
    assert actions.confirm_unit_import(job)  # the write's message lost
    job.refresh_from_db()
    period = dt.timedelta(seconds=settings.UNIT_IMPORT_RESUME_SECONDS)
    with clock.frozen_at(job.queued_at + period + dt.timedelta(seconds=1)):
        assert actions.resume_unit_imports() == [(job.pk, "importing")]
    with clock.frozen_at(job.created_at + dt.timedelta(hours=settings.UNIT_IMPORT_KEEP_HOURS, minutes=1)):
        assert actions.resume_unit_imports() == []  # left to the expiry
        assert actions.expire_unit_imports() == 1
    assert UnitImport.objects.get(pk=job.pk).status == "failed" and files_left() == []
