"""An index on Obligation.updated_at: the dashboard's cache fingerprint reads MAX(updated_at)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campaign", "0002_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS obligation_updated_at_idx ON campaign_obligation (updated_at)",
            "DROP INDEX IF EXISTS obligation_updated_at_idx",
        ),
    ]
