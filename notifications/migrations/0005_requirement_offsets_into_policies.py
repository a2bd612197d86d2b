"""Reminder offsets a requirement set for itself move into its reminder policy (the one place
they are edited); the old default [7, 3, 1] that every requirement carried is dropped, so that
an office's defaults take effect (campaign 0008 removes the field)."""

from django.db import migrations

OLD_DEFAULT = [7, 3, 1]


def into_policies(apps, schema_editor):
    Requirement = apps.get_model("campaign", "Requirement")
    ReminderPolicy = apps.get_model("notifications", "ReminderPolicy")
    for requirement_id, offsets in Requirement.objects.values_list("pk", "reminder_offsets"):
        if not offsets or sorted(offsets, reverse=True) == OLD_DEFAULT:
            continue
        policy, _created = ReminderPolicy.objects.get_or_create(requirement_id=requirement_id)
        if policy.before_offsets is None:
            policy.before_offsets = sorted({int(day) for day in offsets}, reverse=True)
            policy.save(update_fields=["before_offsets"])


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0007_meeting_status"),
        ("notifications", "0004_clock_defaults"),
    ]

    operations = [
        migrations.RunPython(into_policies, migrations.RunPython.noop),
    ]
