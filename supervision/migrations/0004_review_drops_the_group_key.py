"""The group's name is kept on the review (0003); the key goes, in a migration of its own
(PostgreSQL cannot alter a table with pending trigger events in the same transaction)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0003_review_keeps_the_group_name"),
    ]

    operations = [
        migrations.RemoveField(model_name="review", name="group"),
    ]
