"""Meetings get a state (planned → held), moved by campaign.meetings' transition."""

from django.db import migrations, models


def held_meetings(apps, schema_editor):
    Meeting = apps.get_model("campaign", "Meeting")
    Meeting.objects.filter(held_on__isnull=False).update(status="held")


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0006_meetings_reviews_and_phase_progress_move_here"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="status",
            field=models.CharField(
                choices=[("planned", "筹备中"), ("held", "已召开")], default="planned", max_length=8, verbose_name="状态"
            ),
        ),
        migrations.RunPython(held_meetings, migrations.RunPython.noop),
    ]
