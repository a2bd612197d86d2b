"""Meetings and phase progress belong to campaign now (their gates read obligations): they leave
units' state; their tables were taken over and renamed by campaign 0006."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0005_review_moves_to_campaign"),
        ("units", "0002_guardian_view_of_memberships"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="unitphaseprogress", name="phase"),
                migrations.RemoveField(model_name="unitphaseprogress", name="unit"),
                migrations.DeleteModel(name="Meeting"),
                migrations.DeleteModel(name="UnitPhaseProgress"),
            ],
        ),
    ]
