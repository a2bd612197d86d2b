"""Receipts (签收): when a unit was given each obligation and when one of its liaisons first opened it.

Existing obligations count from their requirement's creation (when they were fanned out, as a
rule); one the unit already submitted was evidently received, at its first submission (by
whom is not known)."""

import core.clock
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def backfill(apps, schema_editor):
    Obligation = apps.get_model("campaign", "Obligation")
    Requirement = apps.get_model("campaign", "Requirement")
    Obligation.objects.update(
        assigned_at=Subquery(Requirement.objects.filter(pk=OuterRef("requirement_id")).values("created_at")[:1])
    )
    Obligation.objects.filter(first_submitted_at__isnull=False).update(received_at=F("first_submitted_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('campaign', '0017_chases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='obligation',
            name='assigned_at',
            field=models.DateTimeField(default=core.clock.now, verbose_name='下达时间'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='received_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='签收时间'),
        ),
        migrations.AddField(
            model_name='obligation',
            name='received_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签收人'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
