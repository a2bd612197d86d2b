"""Reviews and meetings now belong to campaign: the attendance points at campaign's meeting, and
the review leaves supervision's state (its table is campaign's since campaign 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0006_meetings_reviews_and_phase_progress_move_here"),
        ("supervision", "0004_review_drops_the_group_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="meetingattendance",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="attendances", to="campaign.meeting"
            ),
        ),
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[migrations.DeleteModel(name="Review")]),
    ]
