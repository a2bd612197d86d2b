"""Celery tasks of units: the steps of a large import, beat's resumption of steps whose message
never arrived, and beat's clean-up of uploads.

Tasks carry an import's id only; each step claims its import in the database before it runs
(units.actions._claim), so a redelivered or doubled message never checks or writes a file twice.
"""

from celery import shared_task

from core.queueing import publish
from units import actions
from units.models import UnitImport


@shared_task(name="units.tasks.check_unit_import", ignore_result=True)
def check_unit_import(import_id):
    """Check an uploaded file and keep its preview (units.actions.check_unit_import)."""
    actions.check_unit_import(import_id)


@shared_task(name="units.tasks.write_unit_import", ignore_result=True)
def write_unit_import(import_id):
    """Write a confirmed import (units.actions.write_unit_import)."""
    actions.write_unit_import(import_id)


@shared_task(name="units.tasks.expire_unit_imports", ignore_result=True)
def expire_unit_imports():
    """Delete uploads left unconfirmed (units.actions.expire_unit_imports)."""
    return actions.expire_unit_imports()


# The task that runs each step of an import.
STEP_TASKS = {UnitImport.Status.CHECKING: check_unit_import, UnitImport.Status.IMPORTING: write_unit_import}


@shared_task(name="units.tasks.resume_unit_imports", ignore_result=True)
def resume_unit_imports():
    """Queue again the steps nobody took (units.actions.resume_unit_imports); how many were queued."""
    return sum(publish(STEP_TASKS[status], (import_id,)) for import_id, status in actions.resume_unit_imports())
