"""Receipts (签收) of signed-off feedback: the unit's first reading by one of its liaisons."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0006_dates_that_make_sense'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='feedback',
            name='received_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='签收时间'),
        ),
        migrations.AddField(
            model_name='feedback',
            name='received_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签收人'),
        ),
    ]
