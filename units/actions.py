"""The changes with a rule behind them for units: create, edit, move, deactivate, set the type of
many at once, import. One function each, called by the pages, the admin, commands and the API
alike; each keeps the trail (DESIGN rule 10) and tells the apps above which units may now owe
obligations (units.signals.units_joined, DESIGN rule 2).
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import change, created, diff, record_change, record_changes, snapshot
from core import clock
from core.security_log import security_event
from units.imports import ImportRefused, check_size, count_rows, read_rows
from units.models import Unit, UnitImport, party_affiliation_error
from units.resources import COLUMNS, UnitResource
from units.signals import collect_new_units, units_joined

logger = logging.getLogger(__name__)

UNIT_FIELDS = [
    "code", "name", "short_name", "parent", "level", "unit_type", "is_window_unit", "is_contact_point", "is_active",
    "party_affiliation",
]
# A change of these may bind the unit to requirements it was not bound to (rule 2).
BINDING_FIELDS = {"level", "unit_type", "parent"}


@transaction.atomic
def create_unit(unit, *, actor):
    """A new unit under its parent (its place in the tree is computed on save)."""
    with collect_new_units(actor=actor):
        unit.save()
        record_change(unit, "create", actor=actor, changes=created(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def edit_unit(unit, before, *, actor):
    """Save an edited unit; `before` is its snapshot(UNIT_FIELDS) from before the edit."""
    unit.save()
    entry = record_change(unit, "edit", actor=actor, before=before)
    if BINDING_FIELDS & set(entry.changes):
        units_joined.send(sender=Unit, units=[unit], actor=actor)
    return unit


@transaction.atomic
def move_unit(unit, new_parent, *, actor, reason=""):
    """Re-hang `unit` and its subtree under `new_parent` (who sees what follows at once)."""
    old_parent = unit.parent
    unit.move_to(new_parent)
    record_change(unit, "move", actor=actor, reason=reason, changes={"parent": change(old_parent, new_parent)})
    units_joined.send(sender=Unit, units=list(Unit.objects.subtree(unit)), actor=actor)
    return unit


@transaction.atomic
def deactivate_unit(unit, *, actor, reason):
    """Deactivate a unit and its whole active subtree; units are never deleted, their history
    stays (rule 10). Returns how many units were deactivated."""
    affected = list(Unit.objects.subtree(unit).filter(is_active=True).only("pk"))
    Unit.objects.filter(pk__in=[u.pk for u in affected]).update(is_active=False)
    record_changes(affected, "deactivate", actor=actor, reason=reason, changes={"is_active": change(True, False)})
    return len(affected)


@transaction.atomic
def set_unit_type(units, unit_type, *, actor):
    """Give the ticked units a unit type, in one UPDATE."""
    units = list(units)
    values = {"unit_type": unit_type}
    if not units:
        return 0
    before = {unit.pk: snapshot(unit, list(values)) for unit in Unit.objects.filter(pk__in=[u.pk for u in units])}
    Unit.objects.filter(pk__in=list(before)).update(**values)
    after = {name: change(None, value)["after"] for name, value in values.items()}
    record_changes(units, "edit", actor=actor, per_object={
        pk: {"changes": {name: {"before": old[name], "after": after[name]} for name in values if old[name] != after[name]}}
        for pk, old in before.items()
    })
    units_joined.send(sender=Unit, units=list(Unit.objects.filter(pk__in=list(before))), actor=actor)
    return len(units)


@transaction.atomic
def set_party_affiliation(units, body, *, actor, reason=""):
    """004: the units' Party organisations belong to `body` (省直机关工委, 省委教育工委, 省国资委党委), or
    to none (`body` None), in one UPDATE; each unit is held to units.models.party_affiliation_error
    (ValidationError naming the unit otherwise) and the trail records who and why. Reports on the
    route that reaches the affiliation body follow the unit at once (campaign.rules)."""
    units = list(units)
    problems = [f"{unit.name}：{problem}" for unit in units if (problem := party_affiliation_error(unit, body))]
    if problems:
        raise ValidationError(problems)
    changed = [unit for unit in units if unit.party_affiliation_id != getattr(body, "pk", None)]
    if not changed:
        return 0
    before = {unit.pk: unit.party_affiliation for unit in Unit.objects.filter(pk__in=[u.pk for u in changed]).select_related(
        "party_affiliation")}
    Unit.objects.filter(pk__in=list(before)).update(party_affiliation=body)
    record_changes(changed, "edit", actor=actor, reason=reason, per_object={
        pk: {"changes": {"party_affiliation": change(old, body)}} for pk, old in before.items()
    })
    for unit in changed:
        unit.party_affiliation = body
    return len(changed)


# --- import: a file of units, checked with a preview of every change, then written ------------

# A step claimed longer ago than this was lost with its worker (the writing transaction rolled
# back): it may be claimed again. Far above the time of the largest file the caps allow.
IMPORT_LEASE = dt.timedelta(hours=1)


def kept_since(now):
    """Imports opened before this moment are past UNIT_IMPORT_KEEP_HOURS: no step of theirs starts
    any more (neither confirmed nor claimed), so that the expiry never races a running step."""
    return now - dt.timedelta(hours=settings.UNIT_IMPORT_KEEP_HOURS)


def import_reason(file_name):
    return _("单位导入：%(file)s") % {"file": file_name}


def import_dir():
    """Where uploaded import files wait for their check and confirmation (under MEDIA_ROOT)."""
    folder = Path(settings.MEDIA_ROOT) / "unit-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class ImportOutcome:
    """What an import found or did: `errors` [(row number in the file, [messages])], 0 for the
    file as a whole; the counts; the preview of the changes (UnitResource.preview)."""

    errors: list = field(default_factory=list)
    rows: int = 0
    new: int = 0
    updated: int = 0
    deactivated: int = 0
    preview: dict = field(default_factory=dict)


def _import_errors(result, numbers):
    """Row-by-row problems: [(row number in the file, [messages])]."""
    rows = []
    for invalid in result.invalid_rows:
        messages = [f"{COLUMNS.get(name, name)}：{message}" for name, errors in invalid.error_dict.items() for message in errors]
        rows.append((numbers[invalid.number - 1], messages))
    for number, errors in result.row_errors():
        for error in errors:
            logger.error("units import: row %s failed: %s", number, error.traceback)
        rows.append((numbers[number - 1], [_("这一行无法导入，请检查各列内容。")]))
    rows.extend((0, [str(message) for message in getattr(error.error, "messages", [error.error])]) for error in result.base_errors)
    return sorted(rows, key=lambda item: item[0])


def _formula_errors(formula_rows):
    return [
        (number, [_("%(columns)s：是公式，导入只接受文字和数字。请在表格中复制这些单元格，“选择性粘贴”为数值后再上传。")
                  % {"columns": "、".join(columns)}])
        for number, columns in formula_rows
    ]


def import_units(path, *, actor, dry_run, file_name="", progress=None):
    """Check (dry run) or write a file of units; nothing is written unless every row is valid.

    The file is read defensively (units.imports: caps, formula cells refused); every row is held
    to the same rules as a unit made on a page (UnitResource.validate_instance). The check writes
    nothing and needs no transaction (a long check holds no lock). The writing pass reads every
    row again inside one transaction, inserts the new units in bulk (parents first), saves the
    changed ones, deactivates with their subtrees the ones the file marks inactive, records every
    change in the trail with the file's name as the reason, and announces the new units (rule 2;
    their obligations name `actor`), all or nothing. Returns an ImportOutcome.
    """
    try:
        rows = read_rows(path)
    except ImportRefused as exc:
        return ImportOutcome(errors=[(0, [str(exc)])])
    if rows.formula_rows:
        return ImportOutcome(errors=_formula_errors(rows.formula_rows))
    resource = UnitResource(roots=list(Unit.objects.office_roots(actor)), write=not dry_run, progress=progress)
    total = len(rows.dataset)
    reason = import_reason(file_name or path.name)
    if dry_run:
        # dry_run=False: the rows themselves write nothing (resource.write decides), and no
        # per-row savepoint is needed.
        result = resource.import_data(rows.dataset, dry_run=False, use_transactions=False, raise_errors=False)
        errors = _import_errors(result, rows.numbers)
        return ImportOutcome(errors=errors, rows=total, preview=_preview(resource.preview), **_counts(resource.preview))
    with transaction.atomic(), collect_new_units(actor=actor) as new_units:
        result = resource.import_data(rows.dataset, dry_run=False, use_transactions=False, raise_errors=False)
        errors = _import_errors(result, rows.numbers)
        if errors:
            transaction.set_rollback(True)
            return ImportOutcome(errors=errors, rows=total)
        made = resource.create_new_units()
        new_units.extend(made)
        record_changes(made, "import", actor=actor, reason=reason,
                       per_object={unit.pk: {"changes": created(unit, UNIT_FIELDS)} for unit in made})
        changed = {}
        for unit in resource.updated:
            found = diff(unit._before_import, snapshot(unit, list(unit._before_import)))
            if found:
                changed[unit.pk] = {"changes": found}
        record_changes([u for u in resource.updated if u.pk in changed], "import", actor=actor, reason=reason,
                       per_object=changed)
        units_joined.send(sender=Unit, units=[u for u in resource.updated if u.pk in changed], actor=actor)
        deactivated = sum(deactivate_unit(unit, actor=actor, reason=reason) for unit in resource.deactivated)
    counts = _counts(resource.preview)
    return ImportOutcome(rows=total, new=len(made), updated=counts["updated"], deactivated=deactivated,
                         preview=_preview(resource.preview))


def _counts(preview):
    return {"new": preview["new_count"], "updated": preview["changed_count"], "deactivated": preview["deactivated_count"]}


def _preview(preview):
    """The resource's preview with the size of each listed deactivation (the unit and its active
    subtree, as deactivate_unit takes them): one query per listed unit."""
    preview = {**preview, "deactivated": [dict(entry) for entry in preview["deactivated"]]}
    for entry in preview["deactivated"]:
        entry["subtree"] = Unit.objects.filter(path__startswith=entry.pop("path"), is_active=True).count()
    return preview


def progress_key(job_id):
    return f"units:import-progress:{job_id}"


class ImportProgress:
    """Rows done by a step, for the progress bar: in the job's row while no transaction is open
    (the check), and in the cache (shared by the web and the worker when REDIS_URL is set) inside
    the writing transaction, whose updates nobody else could see before it ends."""

    def __init__(self, job_id):
        self.job_id = job_id

    def __call__(self, done):
        cache.set(progress_key(self.job_id), done, timeout=int(IMPORT_LEASE.total_seconds()))
        if not connection.in_atomic_block:
            UnitImport.objects.filter(pk=self.job_id).update(processed=done)


def rows_processed(job):
    """How many rows the running step of `job` has done."""
    return max(job.processed, cache.get(progress_key(job.pk)) or 0)


def start_unit_import(upload, *, actor, language=""):
    """Keep an uploaded file and open its import (UnitImport), refusing it before it is read
    when it is over the size cap and, after a cheap count, over the row cap (ImportRefused; the
    file is then deleted). The caller then runs check_unit_import, in the request or the worker."""
    check_size(upload.size)
    path = import_dir() / f"{uuid.uuid4().hex}{Path(upload.name.lower()).suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        rows = count_rows(path)
        job = UnitImport.objects.create(
            created_by=actor, file_name=upload.name[:200], stored_name=path.name, rows=rows, language=language,
            queued_at=clock.now(),
        )
        security_event("import", kind="units", stage="upload", import_id=job.pk, file=job.file_name, rows=rows)
        return job
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _claim(job_id, status):
    """Take the step `status` of an import for this process: True for exactly one caller (a
    guarded update), or again once a lost claim is older than IMPORT_LEASE; never for an import
    past UNIT_IMPORT_KEEP_HOURS (kept_since)."""
    now = clock.now()
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - IMPORT_LEASE)
    return UnitImport.objects.filter(
        unclaimed, pk=job_id, status=status, created_at__gte=kept_since(now)
    ).update(claimed_at=now, processed=0) == 1


def _run_step(job, dry_run):
    path = import_dir() / job.stored_name
    if not path.exists():
        return ImportOutcome(errors=[(0, [_("导入文件已失效，请重新上传。")])])
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            return import_units(path, actor=job.created_by, dry_run=dry_run, file_name=job.file_name,
                                progress=ImportProgress(job.pk))
        except Exception:
            logger.exception("units import %s failed", job.pk)
            return ImportOutcome(errors=[(0, [_("处理文件时出错，未导入任何数据。请稍后重试；问题仍在时请联系管理员。")])])


def _finish(job, from_status, outcome, *, success, failure, keep_file):
    # Messages quote cells through core.validators.shown; a NUL byte from elsewhere would still
    # make PostgreSQL refuse the whole row of JSON.
    errors = [(number, [message.replace("\x00", "") for message in messages]) for number, messages in outcome.errors]
    values = {"errors": errors, "finished_at": clock.now()}
    if outcome.rows:  # the rows read, where the upload's count was an estimate
        values["rows"] = outcome.rows
    if outcome.errors:
        values["status"] = failure
    else:
        values.update(status=success, preview=outcome.preview,
                      result={"new": outcome.new, "updated": outcome.updated, "deactivated": outcome.deactivated})
    if outcome.errors or not keep_file:
        (import_dir() / job.stored_name).unlink(missing_ok=True)
    UnitImport.objects.filter(pk=job.pk, status=from_status).update(**values)
    cache.delete(progress_key(job.pk))


def check_unit_import(job_id):
    """Check an uploaded file (nothing written) and keep the preview of its changes for the
    uploader to confirm; or refuse it with a message per row and delete it. Runs once per
    import whoever calls it (_claim)."""
    if not _claim(job_id, UnitImport.Status.CHECKING):
        return False
    job = UnitImport.objects.select_related("created_by").get(pk=job_id)
    outcome = _run_step(job, dry_run=True)
    _finish(job, UnitImport.Status.CHECKING, outcome, success=UnitImport.Status.CHECKED,
            failure=UnitImport.Status.REFUSED, keep_file=True)
    return True


def confirm_unit_import(job):
    """The uploader confirms a checked import: True once (a second click finds it confirmed), and
    only while the import is kept (kept_since)."""
    now = clock.now()
    confirmed = UnitImport.objects.filter(pk=job.pk, status=UnitImport.Status.CHECKED, created_at__gte=kept_since(now)).update(
        status=UnitImport.Status.IMPORTING, claimed_at=None, processed=0, queued_at=now
    ) == 1
    if confirmed:
        security_event("import", kind="units", stage="confirm", import_id=job.pk, file=job.file_name, rows=job.rows)
    return confirmed


def write_unit_import(job_id):
    """Write a confirmed import (import_units, all or nothing) in the uploader's name, then delete
    its file. Runs once per import whoever calls it (_claim)."""
    if not _claim(job_id, UnitImport.Status.IMPORTING):
        return False
    job = UnitImport.objects.select_related("created_by").get(pk=job_id)
    outcome = _run_step(job, dry_run=False)
    _finish(job, UnitImport.Status.IMPORTING, outcome, success=UnitImport.Status.DONE,
            failure=UnitImport.Status.FAILED, keep_file=False)
    return True


def resume_unit_imports(now=None):
    """The running steps to hand to the worker again, as [(import id, status)], marked queued now:
    those nobody claimed within UNIT_IMPORT_RESUME_SECONDS of being queued (the message was lost,
    or never sent because the broker was down) and those whose claim is older than IMPORT_LEASE
    (the worker died, and no redelivery came after the lease), while the import is kept
    (kept_since: a step that kills its worker every time ends with the expiry, not in a loop).
    A step queued twice still runs once (_claim). Run by beat (units.tasks.resume_unit_imports)."""
    now = now or clock.now()
    due = UnitImport.objects.filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - dt.timedelta(seconds=settings.UNIT_IMPORT_RESUME_SECONDS)),
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - IMPORT_LEASE),
        status__in=UnitImport.RUNNING, created_at__gte=kept_since(now),
    )
    steps = list(due.values_list("pk", "status"))
    UnitImport.objects.filter(pk__in=[pk for pk, _status in steps]).update(queued_at=now)
    return steps


def expire_unit_imports(now=None):
    """Delete what uploads leave behind after UNIT_IMPORT_KEEP_HOURS: checked files never
    confirmed (the import expires), files of steps whose worker was lost or that never ran (the
    import fails: none can start any more, kept_since), and files no live import names. Run by
    beat (units.tasks) and `manage.py expire_unit_imports`. Returns how many files were deleted."""
    now = now or clock.now()
    cutoff = kept_since(now)
    folder = import_dir()
    lost = _("处理中断，未导入任何数据。请重新上传。")
    deleted = 0
    # A claim younger than IMPORT_LEASE may still be running: its worker finishes or it is lost.
    not_running = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - IMPORT_LEASE)
    for status, outcome, condition in [
        (UnitImport.Status.CHECKED, UnitImport.Status.EXPIRED, Q()),
        (UnitImport.Status.CHECKING, UnitImport.Status.FAILED, not_running),
        (UnitImport.Status.IMPORTING, UnitImport.Status.FAILED, not_running),
    ]:
        for job in UnitImport.objects.filter(condition, status=status, created_at__lt=cutoff):
            values = {"status": outcome, "finished_at": now}
            if outcome == UnitImport.Status.FAILED:
                values["errors"] = [(0, [lost])]
            if UnitImport.objects.filter(pk=job.pk, status=status).update(**values):
                path = folder / job.stored_name
                if path.exists():
                    path.unlink(missing_ok=True)
                    deleted += 1
    live = set(UnitImport.objects.filter(status__in=[*UnitImport.RUNNING, UnitImport.Status.CHECKED]).values_list(
        "stored_name", flat=True))
    for path in folder.iterdir():
        if path.is_file() and path.name not in live and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
