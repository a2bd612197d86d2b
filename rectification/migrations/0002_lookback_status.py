"""Look-back reports get a state (draft → submitted → accepted / returned), moved by
rectification.lookback; reports written before count as submitted."""

from django.db import migrations, models


def already_submitted(apps, schema_editor):
    apps.get_model("rectification", "LookBackReport").objects.update(status="submitted")


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lookbackreport",
            name="status",
            field=models.CharField(
                choices=[("draft", "草稿"), ("submitted", "已报送"), ("returned", "已退回重报"), ("accepted", "已通过")],
                default="draft", max_length=12, verbose_name="状态",
            ),
        ),
        migrations.RunPython(already_submitted, migrations.RunPython.noop),
    ]
