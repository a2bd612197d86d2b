"""Celery tasks of units: the steps of a large import, and beat's clean-up of uploads.

Tasks carry an import's id only; each step claims its import in the database before it runs
(units.actions._claim), so a redelivered or doubled message never checks or writes a file twice.
"""

from celery import shared_task

from units import actions


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
