"""Seed the work calendar from the installed chinesecalendar package, every year it covers.

A data migration of its own (PostgreSQL cannot change a table's schema and fill it in one
transaction when constraints are deferred). Reversing it empties the calendar.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from core import calendar_seed  # imported here: a migration reads the package when it runs

    calendar_seed.seed(apps.get_model("core", "CalendarDay"), apps.get_model("core", "CalendarYear"))


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.all().delete()
    apps.get_model("core", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_work_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
