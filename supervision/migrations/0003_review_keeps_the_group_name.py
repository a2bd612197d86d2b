"""A review records in whose name it was made as text (审核方), ready to move to campaign."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_group_names(apps, schema_editor):
    Review = apps.get_model("supervision", "Review")
    SupervisionGroup = apps.get_model("supervision", "SupervisionGroup")
    Review.objects.filter(group__isnull=False).update(
        reviewed_for=Subquery(SupervisionGroup.objects.filter(pk=OuterRef("group_id")).values("name")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0002_clock_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="reviewed_for",
            field=models.CharField(blank=True, max_length=200, verbose_name="审核方"),
        ),
        migrations.RunPython(copy_group_names, migrations.RunPython.noop),
    ]
