"""Before the database holds the rules of one unit row (0006): codes that a spreadsheet would run as
a formula get the leading apostrophe the exports write (core.spreadsheet), empty codes one made of
the row's key, empty names the unit's code. A unit type that does not fit its level cannot be
corrected without a person: the migration stops and names those units."""

from django.db import migrations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TERRITORIAL_LEVELS = {
    "committee": ("central", "province", "city", "county"),
    "township": ("township",),
    "street": ("township",),
    "village": ("village",),
    "community": ("village",),
}
LEVELS = ("central", "province", "city", "county", "township", "village")
TYPES = ("committee", "organ", "affiliated", "enterprise", "institution", "university", "township", "street",
         "village", "community", "non_public", "social", "other")


def make_inert(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    wrong = []
    for unit in Unit.objects.only("pk", "code", "name", "level", "unit_type").iterator():
        changed = []
        if unit.code.startswith(FORMULA_PREFIXES):
            unit.code = "'" + unit.code
            changed.append("code")
        if not unit.code:
            unit.code = f"U{unit.pk}"
            changed.append("code")
        if not unit.name:
            unit.name = unit.code
            changed.append("name")
        if changed:
            unit.save(update_fields=changed)
        if (unit.level not in LEVELS or unit.unit_type not in TYPES
                or unit.level not in TERRITORIAL_LEVELS.get(unit.unit_type, LEVELS)):
            wrong.append(f"{unit.code} ({unit.level}, {unit.unit_type})")
    if wrong:
        raise RuntimeError(
            "These units have a unit type that does not fit their level (a Party committee from the centre "
            "to the county, townships and streets at the township level, villages and communities at the "
            "village level); correct them, then migrate again: " + ", ".join(wrong[:50])
        )


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0004_batches_are_per_campaign"),
    ]

    operations = [
        migrations.RunPython(make_inert, migrations.RunPython.noop),
    ]
