"""Notifications stored before digests were bounded (0010) kept every item of a digest: at 50,000
units the province office's were 7 MB each, one per sweep. Each is trimmed to what a notification
holds now: its first LISTED items (notifications.summary.LISTED when this was written) with
item_count saying how many it had, and its body (not shown beside a list of items) cut to its first
lines. Read and written one row at a time, so memory stays flat whatever their size."""

from django.db import migrations
from django.db.models.functions import Length

LISTED = 20
BODY_LINES = LISTED + 10
MIN_BODY = LISTED * 20


def trim_old_digests(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    # Rows written since 0010 carry their item_count; only the older ones can hold more items, and
    # more than LISTED items make a body longer than this (one line each, with its link).
    candidates = list(Notification.objects.filter(item_count=0).annotate(size=Length("body")).filter(size__gt=MIN_BODY)
                      .values_list("pk", flat=True).order_by("pk"))
    for pk in candidates:
        notification = Notification.objects.only("pk", "items", "body").get(pk=pk)
        items = notification.items if isinstance(notification.items, list) else []
        if len(items) <= LISTED:
            continue
        lines = notification.body.splitlines()
        notification.item_count = len(items)
        notification.items = items[:LISTED]
        if len(lines) > BODY_LINES:
            notification.body = "\n".join(lines[:BODY_LINES] + ["……"])
        notification.save(update_fields=["item_count", "items", "body"])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0011_reminder_log_order_index"),
    ]

    operations = [
        migrations.RunPython(trim_old_digests, migrations.RunPython.noop, elidable=True),
    ]
