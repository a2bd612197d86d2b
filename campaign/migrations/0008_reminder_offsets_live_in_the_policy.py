"""A requirement's reminder offsets are edited in one place, its reminder policy (notifications
0005 moved any it set there)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0007_meeting_status"),
        ("notifications", "0005_requirement_offsets_into_policies"),
    ]

    operations = [
        migrations.RemoveField(model_name="requirement", name="reminder_offsets"),
    ]
