"""Trigram indexes for the unit search (UnitQuerySet.search), on PostgreSQL only.

On PostgreSQL `name__icontains` is `UPPER("name"::text) LIKE UPPER('%…%')`: a GIN index with
pg_trgm's gin_trgm_ops on that same expression answers it from the index instead of reading
every unit. They are not Meta.indexes: django.contrib.postgres's GinIndex and TrigramExtension
cannot be created on SQLite, which has no such index and skips this step (its search reads the
table). So makemigrations knows nothing of them, and nothing else should create or drop them.
"""

from django.db import migrations

# Index name → the column searched (UnitQuerySet.search reads exactly these three).
TRIGRAM_INDEXES = {
    "unit_name_trgm_idx": "name",
    "unit_short_name_trgm_idx": "short_name",
    "unit_code_trgm_idx": "code",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("units", "Unit")._meta.db_table)
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ((UPPER({schema_editor.quote_name(column)}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    """The extension stays: other database objects may use it by then."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0011_created_on_the_campaign_clock"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
